// A Linux source tree's UAPI headers include from the tree (the target's arch/ directory first), not from the system.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LayoutError } from '../../../core/abi/layout';
import { TARGETS } from '../../../core/abi/targets';
import { kernelAsmWrappersDir, KERNEL_UAPI_SHIM_DIR } from '../../../core/c/builtin-headers';
import { kernelTreeOf, kernelUapiDirs, selftestsDirs, selftestsSuiteOf } from '../../../core/c/kernel-tree';
import { SourceCache } from '../../../core/c/source-cache';
import { analyzeDocument } from '../../../core/document-analysis';
import { targetsFor, translate, type FrontEndOptions } from '../../../core/front-end';
import type { TargetName } from '../../../core/protocol';
import { memoryHost } from '../../helpers/memory-host';

/** A small tree: one UAPI header whose struct depends on the arch's asm/ header and on a macro only the tree has. */
const TREE: Record<string, string> = {
  '/k/arch/x86/include/uapi/asm/word.h': 'typedef int __sysarg_word_t;\n',
  '/k/arch/arm64/include/uapi/asm/word.h': 'typedef long long __sysarg_word_t;\n',
  '/k/include/uapi/asm-generic/int-ll64.h': 'typedef unsigned char __u8;\n',
  '/k/include/uapi/linux/types.h': '#ifndef _LINUX_TYPES_H\n#define _LINUX_TYPES_H\n#include <asm-generic/int-ll64.h>\n#define SYSARG_TREE_ONLY 3\n#endif\n',
  '/k/include/uapi/linux/probe.h': '#include <linux/types.h>\n#include <asm/word.h>\nstruct probe { __sysarg_word_t w; __u8 tag[SYSARG_TREE_ONLY]; };\n',
  '/k/include/linux/internal.h': '#include <linux/types.h>\nstruct internal { int x; };\n',
  // What the "system" has: a linux/types.h without the tree's macro, and no asm/word.h at all.
  '/sys/linux/types.h': '#ifndef _LINUX_TYPES_H\n#define _LINUX_TYPES_H\ntypedef unsigned char __u8;\n#endif\n',
};

function unit(path: string, target: TargetName, options: FrontEndOptions = {}, files = TREE) {
  const cache = new SourceCache(memoryHost(files));
  return translate(cache, cache.get(path)!, target, { nostdinc: true, ...options });
}

function probeSize(target: TargetName, options: FrontEndOptions = {}, path = '/k/include/uapi/linux/probe.h'): number | string {
  const u = unit(path, target, options);
  const decl = u.decls.records.find((r) => r.tag === 'probe' && r.members !== null);
  if (!decl) return u.diagnostics.map((d) => d.message).join('; ');
  const layout = u.engine.layout(decl);
  return layout instanceof LayoutError ? layout.message : layout.size;
}

describe('kernel source trees', () => {
  it('finds the top of the tree from a header under include/uapi/ or arch/ARCH/include/uapi/, and nowhere else', () => {
    const isDirectory = memoryHost(TREE).isDirectory!;
    assert.equal(kernelTreeOf('/k/include/uapi/linux/probe.h', isDirectory), '/k');
    assert.equal(kernelTreeOf('/k/arch/x86/include/uapi/asm/word.h', isDirectory), '/k');
    assert.equal(kernelTreeOf('/k/include/linux/internal.h', isDirectory), undefined);
    assert.equal(kernelTreeOf('/k/tools/testing/selftests/clone3/clone3.c', isDirectory), '/k');
    assert.equal(kernelTreeOf('/k/tools/perf/util/x.h', isDirectory), undefined);
    // A path that merely looks like one: no asm-generic/ or arch/ beside it.
    assert.equal(kernelTreeOf('/other/include/uapi/linux/x.h', (p) => p === '/other/include/uapi/linux'), undefined);
    assert.equal(kernelTreeOf('/k/xinclude/uapi/linux/x.h', isDirectory), undefined);
  });

  it('takes relative paths as given, the tree being the current directory or below it', () => {
    const dirs = new Set(['include/uapi/linux', 'include/uapi/asm-generic', 'arch', 'arch/riscv/include/uapi', 'include/uapi', 'src/k/include/uapi/linux', 'src/k/include/uapi/asm-generic', 'src/k/arch']);
    const isDirectory = (p: string) => dirs.has(p);
    assert.equal(kernelTreeOf('include/uapi/linux/sched.h', isDirectory), '.');
    assert.equal(kernelTreeOf('arch/riscv/include/uapi/asm/ptrace.h', isDirectory), '.');
    assert.equal(kernelTreeOf('src/k/include/uapi/linux/sched.h', isDirectory), 'src/k');
    assert.deepEqual(kernelUapiDirs('.', TARGETS.riscv64, isDirectory), ['arch/riscv/include/uapi', 'include/uapi', kernelAsmWrappersDir('riscv'), KERNEL_UAPI_SHIM_DIR]);
  });

  it('lists the target arch\'s directories before include/uapi, generated ones where the tree was built', () => {
    const built = new Set(['/k/arch/arm64/include/uapi', '/k/arch/arm64/include/generated/uapi', '/k/include/uapi', '/k/include/generated/uapi']);
    assert.deepEqual(kernelUapiDirs('/k', TARGETS.aarch64, (p) => built.has(p)), [...built, KERNEL_UAPI_SHIM_DIR]);
    assert.deepEqual(kernelUapiDirs('/k', TARGETS.i386, (p) => built.has(p)), ['/k/include/uapi', '/k/include/generated/uapi', kernelAsmWrappersDir('x86'), KERNEL_UAPI_SHIM_DIR], 'not built for x86: its asm-generic wrappers stand in');
  });

  it("stands in for the asm/ wrappers an unbuilt tree's build would generate: the mandatory ones and the arch's generic-y", () => {
    const files = {
      ...TREE,
      '/k/include/uapi/asm-generic/errno.h': '#define SYSARG_EGENERIC 42\n',
      '/k/include/uapi/asm-generic/kvm_para.h': '#define SYSARG_KVM_PARA 1\n',
      '/k/arch/riscv/include/uapi/asm/word.h': 'typedef long __sysarg_word_t;\n',
      '/k/include/uapi/linux/errs.h': '#include <asm/errno.h>\n#include <asm/kvm_para.h>\nstruct errs { char c[SYSARG_EGENERIC]; };\n',
    };
    const messages = (target: TargetName, more: Record<string, string> = {}) => unit('/k/include/uapi/linux/errs.h', target, {}, { ...files, ...more }).diagnostics.map((d) => d.message);
    // No system directories here: before, asm/errno.h was not found at all (or was the system's, of another kernel).
    assert.deepEqual(messages('aarch64'), [], "arm64's Kbuild has generic-y += kvm_para.h");
    assert.deepEqual(messages('x86_64'), ["'asm/kvm_para.h' file not found"], "x86's is its own, and this tree lacks it");
    assert.deepEqual(messages('riscv64'), ["'asm/kvm_para.h' file not found"], 'riscv has none: its build would not have one');
    const generated = { '/k/arch/arm64/include/generated/uapi/asm/errno.h': '#define SYSARG_EGENERIC 7\n' };
    assert.deepEqual(messages('aarch64', generated), ["'asm/kvm_para.h' file not found"], 'a tree built for the arch has its own wrappers: none stand in');
  });

  it('lays a UAPI header out with the tree\'s headers, the arch\'s asm/ for each target', () => {
    // x86: a 4-byte word and 3 tag bytes (SYSARG_TREE_ONLY), padded to 8; arm64: an 8-byte word, 16.
    assert.equal(probeSize('x86_64'), 8);
    assert.equal(probeSize('i386'), 8);
    assert.equal(probeSize('aarch64'), 16);
  });

  it('gives a selftest of the tree the tree\'s UAPI headers, as lib.mk\'s KHDR_INCLUDES does', () => {
    const files = { ...TREE, '/k/tools/testing/selftests/probe/probe_test.c': '#include <linux/probe.h>\nstruct t { struct probe p; char c; };\n' };
    const u = unit('/k/tools/testing/selftests/probe/probe_test.c', 'aarch64', {}, files);
    assert.deepEqual(u.diagnostics.map((d) => d.message), []);
    const layout = u.engine.layout(u.decls.records.find((r) => r.tag === 't' && r.members !== null)!);
    assert.ok(!(layout instanceof LayoutError));
    assert.equal(layout.size, 24, 'arm64: a 16-byte probe and a byte, to 24');
  });

  it('gives a selftest its suite\'s directory, the suite\'s include/ and the selftests directory before the UAPI headers', () => {
    const suite = '/k/tools/testing/selftests/futex';
    const files = {
      ...TREE,
      '/k/tools/testing/selftests/kselftest.h': 'struct ksft_count { int pass; };\n',
      [`${suite}/include/futextest.h`]: '#include "kselftest.h"\ntypedef int futex_t;\n',
      [`${suite}/atomic.h`]: 'typedef struct { int val; } atomic_t;\n',
      [`${suite}/functional/futex_wait.c`]: '#include <futextest.h>\n#include <atomic.h>\n#include <linux/probe.h>\nstruct w { futex_t f; atomic_t a; struct ksft_count c; struct probe p; };\n',
    };
    const u = unit(`${suite}/functional/futex_wait.c`, 'x86_64', {}, files);
    assert.deepEqual(u.diagnostics.map((d) => d.message), []);
    assert.deepEqual(u.pp.includes.slice(0, 3).map((i) => i.path), [`${suite}/include/futextest.h`, '/k/tools/testing/selftests/kselftest.h', `${suite}/atomic.h`]);
    const layout = u.engine.layout(u.decls.records.find((r) => r.tag === 'w' && r.members !== null)!);
    assert.ok(!(layout instanceof LayoutError));
    assert.equal(layout.size, 20, 'three ints and an 8-byte probe');
    // Without the tree's directories, as gcc with no -I would read it: the suite's headers are not found.
    const plain = unit(`${suite}/functional/futex_wait.c`, 'x86_64', { kernelTree: false }, files);
    assert.match(plain.diagnostics.map((d) => d.message).join('\n'), /'futextest\.h' file not found/);
  });

  it('lists a suite\'s directories that exist, kvm\'s include/<uname -m>/ by target, and knows which suite holds a file', () => {
    const kvm = '/k/tools/testing/selftests/kvm';
    const dirs = new Set([kvm, `${kvm}/include`, `${kvm}/include/x86_64`, `${kvm}/include/aarch64`, '/k/tools/testing/selftests', '/k/include/uapi']);
    const isDirectory = (p: string) => dirs.has(p);
    assert.deepEqual(selftestsDirs('/k', kvm, TARGETS.i386, isDirectory), [kvm, `${kvm}/include`, `${kvm}/include/x86_64`, '/k/tools/testing/selftests', '/k/include/uapi', kernelAsmWrappersDir('x86'), KERNEL_UAPI_SHIM_DIR]);
    assert.deepEqual(selftestsDirs('/k', kvm, TARGETS.aarch64, isDirectory).slice(0, 3), [kvm, `${kvm}/include`, `${kvm}/include/aarch64`]);
    assert.equal(selftestsSuiteOf('/k', `${kvm}/x86_64/smm_test.c`), kvm);
    assert.equal(selftestsSuiteOf('/k', '/k/tools/testing/selftests/kselftest.h'), '/k/tools/testing/selftests');
    assert.equal(selftestsSuiteOf('.', 'tools/testing/selftests/clone3/clone3.c'), 'tools/testing/selftests/clone3');
    assert.equal(selftestsSuiteOf('/k', '/k/include/uapi/linux/probe.h'), undefined);
  });

  it('is off with kernelTree: false, which searches only what gcc would be given', () => {
    const u = unit('/k/include/uapi/linux/probe.h', 'x86_64', { kernelTree: false });
    const messages = u.diagnostics.map((d) => d.message);
    assert.ok(messages.includes("'asm/word.h' file not found"), messages.join('; '));
  });

  it('leaves headers outside the UAPI directories alone, and puts -I directories first', () => {
    const internal = unit('/k/include/linux/internal.h', 'x86_64');
    assert.equal(internal.pp.includes[0]?.path, null, 'no tree directories for an internal header');
    const probe = unit('/k/include/uapi/linux/probe.h', 'x86_64', { includePaths: ['/sys'] });
    assert.equal(probe.pp.includes[0]?.path, '/sys/linux/types.h', 'the -I directory /sys comes before the tree');
    assert.equal(probe.pp.includes[1]?.path, '/k/arch/x86/include/uapi/asm/word.h');
    assert.equal(unit('/k/include/uapi/linux/probe.h', 'x86_64').pp.includes[0]?.path, '/k/include/uapi/linux/types.h');
  });

  it('reads a UAPI header as make headers_install leaves it: no linux/compiler.h, no __user, __packed spelt out', () => {
    const files = {
      ...TREE,
      '/k/include/uapi/linux/io.h':
        '#include <linux/compiler_types.h>\n#include <linux/types.h>\n' +
        'struct io { void __user *buf; __u8 __force tag; } __packed;\nstatic inline int io_ok(void) __attribute_const__;\n',
    };
    const u = unit('/k/include/uapi/linux/io.h', 'x86_64', {}, files);
    assert.deepEqual(u.diagnostics.map((d) => d.message), []);
    const decl = u.decls.records.find((r) => r.tag === 'io' && r.members !== null)!;
    const layout = u.engine.layout(decl);
    assert.ok(!(layout instanceof LayoutError));
    assert.equal(layout.size, 9, 'packed: an 8-byte pointer and a byte');
    // The user's -D comes after and wins; kernelTree: false reads the text as gcc would.
    const asGcc = unit('/k/include/uapi/linux/io.h', 'x86_64', { kernelTree: false, includePaths: ['/k/include/uapi'] }, files);
    assert.match(asGcc.diagnostics.map((d) => d.message).join('\n'), /'linux\/compiler_types\.h' file not found/);
  });

  it('defines __EXPORTED_HEADERS__, as headers_install\'s unifdef does: linux/types.h does not warn of kernel headers in userspace', () => {
    const guarded = '#ifndef _UAPI_LINUX_TYPES_H\n#define _UAPI_LINUX_TYPES_H\n#ifndef __KERNEL__\n#ifndef __EXPORTED_HEADERS__\n#warning "Attempt to use kernel headers from user space"\n#endif\n#endif\n#endif\n';
    const files = { ...TREE, '/k/include/uapi/linux/types.h': guarded };
    assert.deepEqual(unit('/k/include/uapi/linux/types.h', 'x86_64', {}, files).diagnostics.map((d) => d.message), []);
    const plain = unit('/k/include/uapi/linux/types.h', 'x86_64', { kernelTree: false }, files);
    assert.deepEqual(plain.diagnostics.map((d) => d.message), ['#warning "Attempt to use kernel headers from user space"'], 'read as gcc would, it warns');
  });
});

describe("an architecture's own UAPI headers", () => {
  const files: Record<string, string> = {
    ...TREE,
    '/k/include/uapi/linux/.keep': '',
    '/k/arch/arm64/include/uapi/asm/regs.h': '#include <asm/word.h>\nstruct regs { __sysarg_word_t w; };\n',
    '/k/arch/x86/include/uapi/asm/regs.h': '#include <asm/word.h>\nstruct regs { __sysarg_word_t w; };\n',
    '/k/arch/alpha/include/uapi/asm/fpu.h': '#define FPCR_SUM (1UL << 63)\nstruct fpu { unsigned long fpcr; };\n',
  };
  const analyse = (path: string, targets: TargetName[], options: FrontEndOptions = {}) => {
    const cache = new SourceCache(memoryHost(files));
    return analyzeDocument(cache, cache.get(path)!, targets, { nostdinc: true, ...options });
  };
  const sizes = (path: string, targets: TargetName[], options: FrontEndOptions = {}) =>
    Object.fromEntries([...(analyse(path, targets, options).records[0]?.layouts ?? [])].map(([t, l]) => [t, l instanceof LayoutError ? l.message : l.size]));

  it('lays arm64 headers out on aarch64 and x86 headers on the x86 targets asked for, each reading its own asm/', () => {
    assert.deepEqual(sizes('/k/arch/arm64/include/uapi/asm/regs.h', ['x86_64', 'i386']), { aarch64: 8 }, "none of x86's asked: all of arm64's");
    assert.deepEqual(sizes('/k/arch/x86/include/uapi/asm/regs.h', ['x86_64', 'aarch64', 'i386']), { x86_64: 4, i386: 4 });
    assert.deepEqual(sizes('/k/include/uapi/linux/probe.h', ['x86_64', 'aarch64']), { x86_64: 8, aarch64: 16 }, 'the generic headers on every target asked');
    assert.deepEqual(targetsFor(new SourceCache(memoryHost(files)), '/k/arch/arm64/include/uapi/asm/regs.h', ['arm', 'aarch64'], {}), { targets: ['aarch64'], arch: 'arm64' });
  });

  it('lays out nothing of an architecture Sysarg has no target for, and says so once', () => {
    const analysis = analyse('/k/arch/alpha/include/uapi/asm/fpu.h', ['x86_64', 'i386']);
    assert.deepEqual(analysis.targets, []);
    assert.deepEqual(analysis.records, []);
    assert.deepEqual(analysis.diagnostics.map((d) => [d.code, d.severity, d.span.start]), [['no-target', 'information', 0]]);
    assert.match(analysis.diagnostics[0].message, /^a UAPI header of arch\/alpha, which Sysarg has no target for \(it lays out x86 on x86_64, i386, x32; arm64 on aarch64; arm on arm; riscv on riscv64\): not laid out$/);
  });

  it('lays every file out on the targets asked for with --no-kernel-tree, or outside a tree', () => {
    assert.deepEqual(Object.keys(sizes('/k/arch/arm64/include/uapi/asm/regs.h', ['x86_64', 'i386'], { kernelTree: false, includePaths: ['/k/arch/arm64/include/uapi'] })), ['x86_64', 'i386']);
    const outside = { '/x/arch/alpha/include/uapi/asm/fpu.h': files['/k/arch/alpha/include/uapi/asm/fpu.h'] };
    const cache = new SourceCache(memoryHost(outside));
    assert.deepEqual(analyzeDocument(cache, cache.get('/x/arch/alpha/include/uapi/asm/fpu.h')!, ['x86_64'], { nostdinc: true }).targets, ['x86_64'], 'no tree around it');
  });
});
