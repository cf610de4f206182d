/* SPDX-License-Identifier: GPL-2.0 */
/* wait4() and waitid() options and waitid's siginfo, as Linux has them (the user ABI). */
#ifndef _UAPI_WAIT_H
#define _UAPI_WAIT_H

#include <mosaic/types.h>

#define WNOHANG		0x00000001
#define WUNTRACED	0x00000002	/* = WSTOPPED */
#define WSTOPPED	0x00000002
#define WEXITED		0x00000004
#define WCONTINUED	0x00000008
#define WNOWAIT		0x01000000
#define __WNOTHREAD	0x20000000
#define __WALL		0x40000000
#define __WCLONE	0x80000000

/* waitid idtype */
#define P_ALL		0
#define P_PID		1
#define P_PGID		2

/* si_code of a SIGCHLD siginfo */
#define CLD_EXITED	1
#define CLD_KILLED	2

/* The part of siginfo_t that waitid fills (the whole is 128 bytes). */
struct waitid_info {
	s32 si_signo, si_errno, si_code, __pad;
	s32 si_pid;
	u32 si_uid;
	s32 si_status;
	s32 __pad2;
	s64 si_utime, si_stime;
	u8 __rest[128 - 48];
};

#define RUSAGE_SIZE 144		/* struct rusage: wait4 and waitid zero it */

#endif
