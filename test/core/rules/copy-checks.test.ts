// reserved-unchecked and flags-unchecked: what the kernel code copying a struct in never checks of it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { nodeFileHost } from '../../../cli/node-host';
import { SourceCache } from '../../../core/c/source-cache';
import { analyzeDocument } from '../../../core/document-analysis';
import { copyCheckFindings } from '../../../core/rules/copy-checks';
import { copiedStructsOf, structCopies } from '../../../core/struct-copies';
import { memoryHost } from '../../helpers/memory-host';
import { kernelTreeWith } from '../../helpers/paths';

const HEADER = `typedef unsigned char __u8;
typedef unsigned int __u32;
typedef unsigned long long __u64;
struct frob_args {
\t__u64 flags;
\t__u32 mode;
\t__u32 __reserved;
\tstruct {
\t\t__u64 addr;
\t\t__u8 pad[8];
\t} buf;
\tunion {
\t\t__u32 spare1;
\t\t__u32 value;
\t};
};
`;

/** The `rule` findings on HEADER's struct when `code` (kernel/frob.c), and each of `more` (path, code), copy it in. */
function unchecked(code: string, rule = 'reserved-unchecked', more: [string, string][] = []): string[] {
  const cache = new SourceCache(memoryHost({ '/t/frob.h': HEADER }));
  const copiedStructs = copiedStructsOf([structCopies('kernel/frob.c', code), ...more.map(([path, text]) => structCopies(path, text))]);
  const analysis = analyzeDocument(cache, cache.get('/t/frob.h')!, ['x86_64'], { nostdinc: true, copiedStructs });
  return copyCheckFindings(analysis)
    .filter((f) => f.code === rule)
    .map((f) => `${f.span.file.text.slice(f.span.start, f.span.end)}: ${f.message}`);
}

const COPY = 'long frob(struct frob_args __user *uargs, size_t usize)\n{\n\tstruct frob_args args;\n\tint err = copy_struct_from_user(&args, sizeof(args), uargs, usize);\n';

describe('reserved-unchecked and flags-unchecked', () => {
  it('finds each reserved member, nested ones too, that the copying file never reads', () => {
    const found = unchecked(`${COPY}\tif (args.__reserved)\n\t\treturn -EINVAL;\n\treturn do_frob(args.flags, args.mode);\n}\n`);
    assert.deepEqual(found.map((f) => f.slice(0, f.indexOf(':'))), ['pad', 'spare1']);
    assert.match(found[0], /^pad: 'pad' of struct frob_args is never read in kernel\/frob\.c, which copies it in with copy_struct_from_user\(\) \(line 4\): the kernel accepts any value there, so no later kernel can give it a meaning\. Check that it is zero/);
  });

  it('takes a read through a pointer, memchr_inv() on it, or offsetof() naming it as a check', () => {
    const code = `${COPY}\tif (args.__reserved || memchr_inv(args.buf.pad, 0, sizeof(args.buf.pad)))\n\t\treturn -EINVAL;\n\treturn check_tail(uargs, offsetofend(struct frob_args, spare1));\n}\n`;
    assert.deepEqual(unchecked(code), []);
    const viaPointer = `${COPY}\treturn frob_checked(&args);\n}\nstatic int frob_checked(struct frob_args *a) { return a->__reserved || a->spare1 || a->buf.pad[0] ? -EINVAL : 0; }\n`;
    assert.deepEqual(unchecked(viaPointer), []);
  });

  it('finds a flags member never tested for unknown bits, and takes `flags & ~VALID` or `~VALID & flags` as the test', () => {
    const found = unchecked(`${COPY}\tif (args.flags & FROB_NOW)\n\t\tfrob_now();\n\treturn 0;\n}\n`, 'flags-unchecked');
    assert.deepEqual(found, [
      "flags: 'flags' of struct frob_args is never tested for unknown bits in kernel/frob.c, which copies it in with copy_struct_from_user() (line 4): a flag this kernel does not know is ignored, so a program cannot tell whether a later kernel's flag took effect. Refuse them: if (flags & ~VALID_FLAGS) return -EINVAL",
    ]);
    assert.deepEqual(unchecked(`${COPY}\tif (args.flags &\n\t    ~(FROB_NOW | FROB_LATER))\n\t\treturn -EINVAL;\n}\n`, 'flags-unchecked'), []);
    assert.deepEqual(unchecked(`${COPY}\tu64 flags = args.flags;\n\tif (~(FROB_NOW | FROB_LATER) & flags)\n\t\treturn -EINVAL;\n}\n`, 'flags-unchecked'), []);
    assert.deepEqual(unchecked(`${COPY}\tif (~FROB_VALID & args.flags)\n\t\treturn -EINVAL;\n}\n`, 'flags-unchecked'), []);
    // Clearing bits is no test: `flags &= ~X` leaves the others through.
    assert.equal(unchecked(`${COPY}\targs.flags &= ~FROB_NOW;\n}\n`, 'flags-unchecked').length, 1);
  });

  it('takes a test of a local holding the member, or of `& (~VALID)`, as the test; not of a local holding something else', () => {
    assert.deepEqual(unchecked(`${COPY}\tu64 f = args.flags;\n\tif (f & ~FROB_VALID)\n\t\treturn -EINVAL;\n}\n`, 'flags-unchecked'), []);
    assert.deepEqual(unchecked(`${COPY}\tu64 f;\n\tf = uargs->flags, m = 0;\n\tif (~FROB_VALID & f)\n\t\treturn -EINVAL;\n}\n`, 'flags-unchecked'), []);
    assert.deepEqual(unchecked(`${COPY}\tif (args.flags & (~FROB_VALID))\n\t\treturn -EINVAL;\n}\n`, 'flags-unchecked'), []);
    assert.equal(unchecked(`${COPY}\tu64 f = args.mode;\n\tif (f & ~FROB_VALID)\n\t\treturn -EINVAL;\n}\n`, 'flags-unchecked').length, 1);
    assert.equal(unchecked(`${COPY}\tu64 f = frob_flags(args.flags);\n\tif (f & ~FROB_VALID)\n\t\treturn -EINVAL;\n}\n`, 'flags-unchecked').length, 1);
  });

  it('counts a check in any file that copies the struct in, names the others, and lets a later copy of a path add nothing', () => {
    const checks = 'int frob_io(struct frob_args *a, struct frob_args __user *u, size_t n)\n{\n\tif (copy_struct_from_user(a, sizeof(*a), u, n))\n\t\treturn -EFAULT;\n\tif (a->flags & ~FROB_VALID || a->__reserved || a->buf.pad[0] || a->spare1)\n\t\treturn -EINVAL;\n}\n';
    assert.deepEqual(unchecked(COPY, 'flags-unchecked', [['io_uring/frob.c', checks]]), []);
    assert.deepEqual(unchecked(COPY, 'reserved-unchecked', [['io_uring/frob.c', checks]]), []);
    const neither = unchecked(COPY, 'flags-unchecked', [['io_uring/frob.c', checks.replace(' || a->spare1', '').replace('a->flags & ~FROB_VALID || ', '')]]);
    assert.deepEqual(neither.length, 1);
    assert.match(neither[0], /never tested for unknown bits in kernel\/frob\.c, which copies it in with copy_struct_from_user\(\) \(line 4\), nor in io_uring\/frob\.c, which copies it in too: /);
    // The same path again (the workspace's file behind a patch's version of it) is the first version's alone.
    assert.equal(unchecked(COPY, 'flags-unchecked', [['kernel/frob.c', checks]]).length, 1);
  });

  it('says nothing of a struct no kernel code is known to copy in', () => {
    const cache = new SourceCache(memoryHost({ '/t/frob.h': `/* sysarg: extensible */\n${HEADER}` }));
    assert.deepEqual(copyCheckFindings(analyzeDocument(cache, cache.get('/t/frob.h')!, ['x86_64'], { nostdinc: true })), []);
  });
});

/** The headers and .c files of Linux 6.1 where structs are copied in with copy_struct_from_user() or bpf's tail check. */
const HEADERS = [
  'include/uapi/linux/sched.h',
  'include/uapi/linux/openat2.h',
  'include/uapi/linux/perf_event.h',
  'include/uapi/linux/mount.h',
  'include/uapi/linux/seccomp.h',
  'include/uapi/linux/landlock.h',
  'include/uapi/linux/bpf.h',
  'include/uapi/linux/surface_aggregator/cdev.h',
  'arch/x86/include/uapi/asm/amd_hsmp.h',
];
const SOURCES = [
  'kernel/fork.c',
  'fs/open.c',
  'kernel/events/core.c',
  'kernel/sched/core.c',
  'fs/namespace.c',
  'kernel/seccomp.c',
  'security/landlock/syscalls.c',
  'kernel/bpf/syscall.c',
  'drivers/platform/surface/surface_aggregator_cdev.c',
  'drivers/platform/x86/amd/hsmp.c',
];
const TREE = kernelTreeWith(...HEADERS, ...SOURCES);

describe('reserved-unchecked and flags-unchecked over Linux 6.1', { skip: TREE ? false : 'no Linux 6.1 tree with its .c files (apt-get install linux-source-6.1; see .ci/run)' }, () => {
  it("finds the Surface driver's unchecked __pad bytes and flags, and nothing in the structs the kernel checks", () => {
    const tree = TREE as string;
    const copiedStructs = copiedStructsOf(SOURCES.map((path) => structCopies(path, readFileSync(join(tree, path), 'utf8'))));
    const cache = new SourceCache(nodeFileHost);
    const found: string[] = [];
    for (const header of HEADERS) {
      const analysis = analyzeDocument(cache, cache.get(join(tree, header))!, ['x86_64', 'i386'], { copiedStructs });
      for (const f of copyCheckFindings(analysis)) found.push(`${header}:${f.span.file.positionAt(f.span.start).line + 1} ${f.code} ${f.message.slice(0, f.message.indexOf(' is never'))}`);
    }
    // perf_event_attr's __reserved_1..3 are checked by perf_copy_attr(); clone_args, open_how, sched_attr and
    // seccomp_notif_addfd refuse unknown flags. The Surface driver reads neither __pad of ssam_cdev_request, tests its
    // flags for two known bits only, and passes ssam_cdev_event_desc's flags on to the controller untested.
    assert.deepEqual(found, [
      "include/uapi/linux/surface_aggregator/cdev.h:60 flags-unchecked 'flags' of struct ssam_cdev_request",
      "include/uapi/linux/surface_aggregator/cdev.h:66 reserved-unchecked '__pad' of struct ssam_cdev_request",
      "include/uapi/linux/surface_aggregator/cdev.h:72 reserved-unchecked '__pad' of struct ssam_cdev_request",
      "include/uapi/linux/surface_aggregator/cdev.h:120 flags-unchecked 'flags' of struct ssam_cdev_event_desc",
    ]);
  });
});
