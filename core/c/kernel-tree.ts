// A Linux source tree's UAPI headers (and its selftests) include from the tree, as the kernel's build compiles them
// (USERINCLUDE in its top Makefile: the arch's uapi directories, then include/uapi), before the system's copies.
import type { Target } from '../abi/targets';
import { kernelAsmWrappersDir, KERNEL_UAPI_SHIM_DIR } from './builtin-headers';
import { joinPath } from './include-paths';

/**
 * What `make headers_install` does to a UAPI header's text (scripts/headers_install.sh's sed and unifdef), as macros:
 * the sparse annotations and __attribute_const__ vanish, __packed becomes the attribute, and __EXPORTED_HEADERS__ is
 * defined (linux/types.h warns "Attempt to use kernel headers from user space" without it). The includes it deletes
 * (linux/compiler.h, linux/compiler_types.h) are found empty in KERNEL_UAPI_SHIM_DIR.
 */
export const KERNEL_UAPI_DEFINES: readonly string[] = ['__user=', '__force=', '__iomem=', '__attribute_const__=', '__packed=__attribute__((packed))', '__EXPORTED_HEADERS__'];

/**
 * The top of the source tree holding `path` when it lies under the tree's `include/uapi/`, `arch/<arch>/include/uapi/`
 * or `tools/testing/selftests/` (whose Makefiles compile against the tree's installed UAPI headers, lib.mk's
 * KHDR_INCLUDES); undefined elsewhere (internal headers need the build's configuration, and a file outside a tree is
 * gcc's to resolve).
 */
export function kernelTreeOf(path: string, isDirectory: (path: string) => boolean): string | undefined {
  const top = uapiTop(path) ?? selftestsTop(path);
  if (top === undefined) return undefined;
  const root = top === '' ? '.' : top === '/' ? '/' : top.replace(/\/$/, '');
  return isKernelTree(root, isDirectory) ? root : undefined;
}

/** Whether `root` is the top of a Linux source tree: what every tree since 3.7 has, generic UAPI headers beside linux/ and per-arch directories. */
export function isKernelTree(root: string, isDirectory: (path: string) => boolean): boolean {
  return ['include/uapi/linux', 'include/uapi/asm-generic', 'arch'].every((d) => isDirectory(joinPath(root, d)));
}

/** `arch/<arch>/` at the end of what precedes an `include/uapi/`: an architecture's UAPI directory (its name captured). */
const ARCH_DIR = /(?:^|\/)arch\/([^/]+)\/$/;

/** What precedes `marker` in `path` where it starts a path component ('' at the start), or undefined. */
function before(path: string, marker: string): string | undefined {
  const at = path.lastIndexOf(marker);
  return at < 0 || (at > 0 && path[at - 1] !== '/') ? undefined : path.slice(0, at);
}

/**
 * The architecture (its arch/ directory: `arm64`, `alpha`) whose UAPI headers hold `path`, when it lies under a Linux
 * tree's `arch/<arch>/include/uapi/`; undefined elsewhere (the generic UAPI headers serve every architecture).
 */
export function kernelArchOf(path: string, isDirectory: (path: string) => boolean): string | undefined {
  const top = before(path, 'include/uapi/');
  const arch = top === undefined ? null : ARCH_DIR.exec(top);
  return arch && kernelTreeOf(path, isDirectory) !== undefined ? arch[1] : undefined;
}

function uapiTop(path: string): string | undefined {
  const top = before(path, 'include/uapi/');
  if (top === undefined) return undefined;
  const arch = ARCH_DIR.exec(top);
  return arch ? top.slice(0, arch.index + (top[arch.index] === '/' ? 1 : 0)) : top;
}

function selftestsTop(path: string): string | undefined {
  return before(path, 'tools/testing/selftests/');
}

/**
 * The include directories the kernel's build gives a UAPI header of the tree at `root` for `target` (those that
 * exist; in a tree not built for the architecture, the asm-generic wrappers its build would generate), then the
 * empty stand-ins for the includes headers_install deletes.
 */
export function kernelUapiDirs(root: string, target: Target, isDirectory: (path: string) => boolean): string[] {
  const arch = joinPath(root, `arch/${target.kernelArch}`);
  const generated = joinPath(arch, 'include/generated/uapi');
  const dirs = [joinPath(arch, 'include/uapi'), generated, joinPath(root, 'include/uapi'), joinPath(root, 'include/generated/uapi')].filter(isDirectory);
  return isDirectory(generated) ? [...dirs, KERNEL_UAPI_SHIM_DIR] : [...dirs, kernelAsmWrappersDir(target.kernelArch), KERNEL_UAPI_SHIM_DIR];
}

/** `uname -m` as the selftests' Makefiles spell an architecture (kvm's `-Iinclude/$(UNAME_M)`), by arch/ directory. */
const UNAME_M: Readonly<Record<string, string>> = { x86: 'x86_64', arm64: 'aarch64', riscv: 'riscv', arm: 'arm' };

/**
 * The directory of the selftest suite holding `path` (`<root>/tools/testing/selftests/futex` for
 * `futex/functional/futex_wait.c`), the selftests directory itself for a file directly in it, or undefined when
 * `path` is not under the tree's selftests.
 */
export function selftestsSuiteOf(root: string, path: string): string | undefined {
  const selftests = joinPath(root, 'tools/testing/selftests');
  const prefix = selftests === '' ? '' : `${selftests}/`;
  if (!path.startsWith(prefix)) return undefined;
  const slash = path.indexOf('/', prefix.length);
  return slash < 0 ? selftests : path.slice(0, slash);
}

/**
 * The include directories a selftest of the tree at `root` is given: before the tree's UAPI headers (lib.mk's
 * KHDR_INCLUDES), those most suites' Makefiles add, the suite's own directory (rseq's `-I./`, for `<rseq-x86.h>`),
 * its `include/` (futex's `-I../include`, powerpc's, kvm's with `include/<uname -m>/`) and the selftests directory
 * (`kselftest.h`). Those that exist, then the stand-ins. The tools' own headers (`tools/include`, `tools/lib`'s
 * libbpf) are left out: bpf and kvm put them before the UAPI headers and also need headers their build generates
 * (`vmlinux.h`, `bpf_helper_defs.h`), so half of them would trade a missing include for wrong declarations.
 */
export function selftestsDirs(root: string, suite: string, target: Target, isDirectory: (path: string) => boolean): string[] {
  const own = [suite, joinPath(suite, 'include'), joinPath(suite, `include/${UNAME_M[target.kernelArch] ?? target.kernelArch}`), joinPath(root, 'tools/testing/selftests')];
  return [...new Set(own)].filter(isDirectory).concat(kernelUapiDirs(root, target, isDirectory));
}

/**
 * Whether `path` (absolute) is a Linux tree's internal file (`kernel/fork.c`, `include/linux/sched.h`): inside a tree
 * but outside its UAPI headers and selftests. Those need the kernel build's configuration and are read as written.
 */
export function isKernelInternal(path: string, isDirectory: (path: string) => boolean): boolean {
  if (kernelTreeOf(path, isDirectory) !== undefined) return false;
  for (let dir = path.slice(0, path.lastIndexOf('/')); dir.length > 0; dir = dir.slice(0, dir.lastIndexOf('/'))) {
    if (isKernelTree(dir, isDirectory)) return true;
  }
  return false;
}
