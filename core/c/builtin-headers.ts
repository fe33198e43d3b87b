// Compiler-provided headers Sysarg carries itself, searched last, so headers parse on machines without gcc or libc headers.

/** Virtual directory of the built-in headers (never a real path). */
export const BUILTIN_DIR = '<sysarg-builtin>/';
/** Virtual directory whose asm/X.h forwards to asm-generic/X.h, for targets whose asm headers are not installed. */
export function asmGenericDir(bitsPerLong: number): string {
  return `<sysarg-asm-generic-${bitsPerLong}>/`;
}

/**
 * Virtual directory searched after a kernel tree's UAPI directories: the kernel headers a UAPI header may include that
 * `make headers_install` deletes the `#include` of (scripts/headers_install.sh), as empty files.
 */
export const KERNEL_UAPI_SHIM_DIR = '<sysarg-kernel-uapi>/';

/**
 * Virtual directory searched after an unbuilt kernel tree's UAPI directories for `arch`: the `asm/X.h` wrappers its
 * build would generate in arch/ARCH/include/generated/uapi (scripts/Makefile.asm-generic), each
 * `#include <asm-generic/X.h>`, for the headers every architecture must have (include/uapi/asm-generic/Kbuild's
 * mandatory-y, 6.1's) and the arch's own generic-y. Searched after the arch's own asm/, it stands for those it lacks.
 */
export function kernelAsmWrappersDir(arch: string): string {
  return `<sysarg-kernel-asm-wrappers-${arch}>/`;
}

const MANDATORY_ASM = [
  'auxvec', 'bitsperlong', 'bpf_perf_event', 'byteorder', 'errno', 'fcntl', 'ioctl', 'ioctls', 'ipcbuf', 'mman', 'msgbuf',
  'param', 'poll', 'posix_types', 'ptrace', 'resource', 'sembuf', 'setup', 'shmbuf', 'sigcontext', 'siginfo', 'signal',
  'socket', 'sockios', 'stat', 'statfs', 'swab', 'termbits', 'termios', 'types', 'unistd',
];

/** arch/ARCH/include/uapi/asm/Kbuild's generic-y, 6.1's (riscv's asm/kvm_para.h does not exist). */
const GENERIC_ASM: Readonly<Record<string, readonly string[]>> = { arm64: ['kvm_para'], arm: ['kvm_para'] };

const KERNEL_UAPI_SHIMS: Record<string, string> = {
  'linux/compiler.h': '/* Sysarg: make headers_install deletes this include from UAPI headers. */\n',
  'linux/compiler_types.h': '/* Sysarg: make headers_install deletes this include from UAPI headers. */\n',
};

const HEADERS: Record<string, string> = {
  'stddef.h': `#ifndef _SYSARG_STDDEF_H
#define _SYSARG_STDDEF_H
typedef __SIZE_TYPE__ size_t;
typedef __PTRDIFF_TYPE__ ptrdiff_t;
typedef __WCHAR_TYPE__ wchar_t;
typedef struct { long long __max_align_ll __attribute__((__aligned__(__alignof__(long long)))); long double __max_align_ld __attribute__((__aligned__(__alignof__(long double)))); } max_align_t;
#define NULL ((void *)0)
#define offsetof(TYPE, MEMBER) __builtin_offsetof (TYPE, MEMBER)
#endif
`,
  'stdarg.h': `#ifndef _SYSARG_STDARG_H
#define _SYSARG_STDARG_H
typedef __builtin_va_list va_list;
typedef __builtin_va_list __gnuc_va_list;
#define va_start(v, l) __builtin_va_start(v, l)
#define va_end(v) __builtin_va_end(v)
#define va_arg(v, l) __builtin_va_arg(v, l)
#endif
`,
  'stdbool.h': `#ifndef _SYSARG_STDBOOL_H
#define _SYSARG_STDBOOL_H
#define bool _Bool
#define true 1
#define false 0
#define __bool_true_false_are_defined 1
#endif
`,
  'stdint.h': `#ifndef _SYSARG_STDINT_H
#define _SYSARG_STDINT_H
typedef __INT8_TYPE__ int8_t;
typedef __INT16_TYPE__ int16_t;
typedef __INT32_TYPE__ int32_t;
typedef __INT64_TYPE__ int64_t;
typedef __UINT8_TYPE__ uint8_t;
typedef __UINT16_TYPE__ uint16_t;
typedef __UINT32_TYPE__ uint32_t;
typedef __UINT64_TYPE__ uint64_t;
typedef __INTPTR_TYPE__ intptr_t;
typedef __UINTPTR_TYPE__ uintptr_t;
typedef __INTMAX_TYPE__ intmax_t;
typedef __UINTMAX_TYPE__ uintmax_t;
#define INT8_MAX __INT8_MAX__
#define INT16_MAX __INT16_MAX__
#define INT32_MAX __INT32_MAX__
#define INT64_MAX __INT64_MAX__
#define UINT8_MAX __UINT8_MAX__
#define UINT16_MAX __UINT16_MAX__
#define UINT32_MAX __UINT32_MAX__
#define UINT64_MAX __UINT64_MAX__
#define SIZE_MAX __SIZE_MAX__
#endif
`,
  'limits.h': `#ifndef _SYSARG_LIMITS_H
#define _SYSARG_LIMITS_H
#define CHAR_BIT __CHAR_BIT__
#define SCHAR_MAX __SCHAR_MAX__
#define SCHAR_MIN (-SCHAR_MAX - 1)
#define UCHAR_MAX (SCHAR_MAX * 2 + 1)
#define SHRT_MAX __SHRT_MAX__
#define SHRT_MIN (-SHRT_MAX - 1)
#define USHRT_MAX (SHRT_MAX * 2 + 1)
#define INT_MAX __INT_MAX__
#define INT_MIN (-INT_MAX - 1)
#define UINT_MAX (INT_MAX * 2U + 1U)
#define LONG_MAX __LONG_MAX__
#define LONG_MIN (-LONG_MAX - 1L)
#define ULONG_MAX (LONG_MAX * 2UL + 1UL)
#define LLONG_MAX __LONG_LONG_MAX__
#define LLONG_MIN (-LLONG_MAX - 1LL)
#define ULLONG_MAX (LLONG_MAX * 2ULL + 1ULL)
#endif
`,
};

/** The text of a virtual header (built-in or asm-generic forward); undefined for any other path. */
export function builtinHeader(path: string): string | undefined {
  if (path.startsWith(BUILTIN_DIR)) return HEADERS[path.slice(BUILTIN_DIR.length)];
  if (path.startsWith(KERNEL_UAPI_SHIM_DIR)) return KERNEL_UAPI_SHIMS[path.slice(KERNEL_UAPI_SHIM_DIR.length)];
  const wrapper = /^<sysarg-kernel-asm-wrappers-(\w+)>\/asm\/(\w+)\.h$/.exec(path);
  if (wrapper && (MANDATORY_ASM.includes(wrapper[2]) || GENERIC_ASM[wrapper[1]]?.includes(wrapper[2]))) {
    return `/* Sysarg: the wrapper the kernel's build generates. */\n#include <asm-generic/${wrapper[2]}.h>\n`;
  }
  const forward = /^<sysarg-asm-generic-(\d+)>\/asm\/([\w.-]+\.h)$/.exec(path);
  if (forward) return asmGenericForward(forward[2], Number(forward[1]));
  return undefined;
}

export function isVirtualPath(path: string): boolean {
  return path.startsWith('<sysarg-');
}

/** The forwarding text for asm/<name> on a target without installed asm headers. */
function asmGenericForward(name: string, bitsPerLong: number): string {
  const lines = [`/* Sysarg: ${name} is not installed for this target; using asm-generic. */`];
  if (name === 'bitsperlong.h') lines.push(`#define __BITS_PER_LONG ${bitsPerLong}`);
  lines.push(`#include <asm-generic/${name}>`);
  return lines.join('\n') + '\n';
}
