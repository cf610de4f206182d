/* SPDX-License-Identifier: GPL-2.0 */
/* arch_prctl(2) codes (Linux arch/x86/include/uapi/asm/prctl.h numbers). */
#ifndef _UAPI_ARCH_PRCTL_H
#define _UAPI_ARCH_PRCTL_H

#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

#endif
