/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/* Demo: the argument struct of an imaginary frob2() syscall, extensible the clone3()/openat2() way. */
#ifndef _UAPI_LINUX_FROB_H
#define _UAPI_LINUX_FROB_H

#include <linux/types.h>

/* sysarg: flags FROB_ width=64 */
#define FROB_VERBOSE	0x01ULL
#define FROB_NOWAIT	0x02ULL
#define FROB_CHILDREN	0x04ULL

/*
 * struct frob_args - arguments for frob2()
 * @flags:       FROB_* flags.
 * @target:      pidfd of the process to frob.
 * @mode:        how hard to frob it.
 * @deadline_ns: give up after this many nanoseconds (0: never).
 *
 * sysarg: extensible size-macro=FROB_ARGS_SIZE_VER since=6.1
 */
struct frob_args {
	__aligned_u64 flags;
	__aligned_u64 target;
	__u32 mode;
	__u32 __reserved;
	__aligned_u64 deadline_ns;
};

#define FROB_ARGS_SIZE_VER0 16 /* sizeof first published struct */
#define FROB_ARGS_SIZE_VER1 32 /* sizeof second published struct */

#endif /* _UAPI_LINUX_FROB_H */
