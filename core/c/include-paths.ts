// Where `#include` looks, per target, the way gcc searches (-I, then the system directories), plus path joining.
import type { Target } from '../abi/targets';
import { asmGenericDir, BUILTIN_DIR } from './builtin-headers';

export interface SystemIncludeOptions {
  /** gcc's own include directory (stddef.h, stdarg.h...), found by the host; built-ins stand in when absent. */
  compilerIncludeDir?: string;
  /** Like gcc -nostdinc: no system directories at all. */
  nostdinc?: boolean;
  /** Root of the system headers; "/usr/include" unless a test or a sysroot says otherwise. */
  usrInclude?: string;
}

/** The system include directories for `target`, in search order. */
export function systemIncludeDirs(target: Target, isDirectory: (path: string) => boolean, options: SystemIncludeOptions = {}): string[] {
  if (options.nostdinc) return [];
  const usr = options.usrInclude ?? '/usr/include';
  const dirs: string[] = [];
  if (options.compilerIncludeDir) dirs.push(options.compilerIncludeDir);
  const own = `${usr}/${target.multiarch}`;
  const hasOwn = isDirectory(own);
  // Where the host has no multiarch directory for the target but a cross toolchain's headers (Debian's
  // /usr/aarch64-linux-gnu/include), those are what gcc for the target reads, asm/ included, and nothing else.
  const cross = `/usr/${target.multiarch}/include`;
  if (!hasOwn && !options.usrInclude && isDirectory(cross)) return [...dirs, cross, BUILTIN_DIR];
  if (!options.usrInclude) dirs.push('/usr/local/include');
  const fallbacks = target.fallbackMultiarch.map((m) => `${usr}/${m}`).filter((d) => isDirectory(d));
  // With no asm/ of its own (nor of a sibling ABI's), the generic asm/ stands where the target's multiarch directory
  // would: before /usr/include, whose asm/ (gcc-multilib's link) is the host's, x86's stat.h and siginfo.h included.
  if (hasOwn) dirs.push(own);
  else if (fallbacks.length === 0) dirs.push(asmGenericDir(target.pointer.size * 8));
  dirs.push(usr, ...fallbacks, BUILTIN_DIR);
  return dirs;
}

/** Joins and normalises POSIX paths ("a/b/../c" → "a/c"), keeping a relative path relative. */
export function joinPath(dir: string, name: string): string {
  if (name.startsWith('/')) return normalizePath(name);
  if (dir === '' || dir === '.') return normalizePath(name);
  return normalizePath(dir.endsWith('/') ? dir + name : `${dir}/${name}`);
}

/** A `.` or `..` component, an empty one, or a trailing slash: what normalizing changes. */
const NOT_NORMAL = /\/\.{1,2}(?:\/|$)|\/\/|^\.{1,2}(?:\/|$)|.\/$/;

export function normalizePath(path: string): string {
  if (path.startsWith('<') || !NOT_NORMAL.test(path)) return path;
  const absolute = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (part === '..' && absolute) continue;
    else out.push(part);
  }
  const joined = out.join('/');
  return absolute ? '/' + joined : joined || '.';
}

export function dirname(path: string): string {
  const slash = path.lastIndexOf('/');
  if (slash < 0) return '.';
  if (slash === 0) return '/';
  return path.slice(0, slash);
}
