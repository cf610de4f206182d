/* SPDX-License-Identifier: GPL-2.0 */
/* Linux poll()/select() ABI: struct pollfd, the event bits, fd_set. */
#ifndef _UAPI_POLL_H
#define _UAPI_POLL_H

#include <mosaic/types.h>

#define POLLIN		0x0001
#define POLLPRI		0x0002
#define POLLOUT		0x0004
#define POLLERR		0x0008
#define POLLHUP		0x0010
#define POLLNVAL	0x0020
#define POLLRDNORM	0x0040
#define POLLRDBAND	0x0080
#define POLLWRNORM	0x0100
#define POLLWRBAND	0x0200

struct pollfd {
	int fd;
	short events;
	short revents;
};

#define FD_SETSIZE 1024		/* bits in glibc's fd_set; select() takes any nfds */

#endif
