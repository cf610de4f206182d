/* SPDX-License-Identifier: GPL-2.0 */
/* prctl(2) options Mosaic implements. */
#ifndef _UAPI_PRCTL_H
#define _UAPI_PRCTL_H

#define PR_SET_NAME	15	/* arg2: name, up to 16 bytes with the NUL */
#define PR_GET_NAME	16	/* arg2: a 16-byte buffer */

#endif
