/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CRC-32 (the IEEE 802.3 polynomial, bit-reflected; the checksum of zlib,
 * PNG and Ethernet's FCS). lib/crc32.c.
 *
 *   u32 c = crc32(0, hdr, hdr_len);      // start with 0
 *   c = crc32(c, payload, payload_len);  // continue over a second buffer
 *
 * crc32(0, "123456789", 9) == 0xcbf43926. Any context; no state.
 */
#ifndef _MOSAIC_CRC32_H
#define _MOSAIC_CRC32_H

#include <mosaic/types.h>

u32 crc32(u32 crc, const void *buf, size_t len);

#endif
