/* Demo: a struct whose layout differs between x86_64 and i386 (hover on b), and its portable form. */
#ifndef SYSARG_DEMO_LAYOUT_H
#define SYSARG_DEMO_LAYOUT_H

#include <linux/types.h>

struct s { __u32 a; __u64 b; };

/* The same members with the hole made explicit and the u64 aligned on every ABI. */
struct s_portable {
	__u32 a;
	__u32 __reserved;
	__aligned_u64 b;
};

#endif /* SYSARG_DEMO_LAYOUT_H */
