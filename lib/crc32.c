// SPDX-License-Identifier: GPL-2.0
/*
 * CRC-32, four bits per step through a 16-entry table: small enough to keep
 * as a constant, about four times faster than one bit per step.
 * Interface: include/mosaic/crc32.h.
 */
#include <mosaic/crc32.h>

/* crc32_nibble[i]: the reflected polynomial 0xedb88320 applied to i, 4 shifts. */
static const u32 crc32_nibble[16] = {
	0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac,
	0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
	0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
	0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
};

u32 crc32(u32 crc, const void *buf, size_t len)
{
	const u8 *p = buf;

	crc = ~crc;	/* the pre- and post-inversion make chaining calls work */
	while (len--) {
		crc ^= *p++;
		crc = (crc >> 4) ^ crc32_nibble[crc & 15];
		crc = (crc >> 4) ^ crc32_nibble[crc & 15];
	}
	return ~crc;
}
