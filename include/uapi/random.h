/* SPDX-License-Identifier: GPL-2.0 */
/* getrandom(2) flags. */
#ifndef _UAPI_RANDOM_H
#define _UAPI_RANDOM_H

#define GRND_NONBLOCK	0x0001
#define GRND_RANDOM	0x0002
#define GRND_INSECURE	0x0004

#endif
