/* SPDX-License-Identifier: GPL-2.0 */
/* Linux's struct new_utsname, what uname(2) fills on x86-64. */
#ifndef _UAPI_UTSNAME_H
#define _UAPI_UTSNAME_H

#define NEW_UTS_LEN 64

struct new_utsname {
	char sysname[NEW_UTS_LEN + 1];
	char nodename[NEW_UTS_LEN + 1];
	char release[NEW_UTS_LEN + 1];
	char version[NEW_UTS_LEN + 1];
	char machine[NEW_UTS_LEN + 1];
	char domainname[NEW_UTS_LEN + 1];
};

#endif
