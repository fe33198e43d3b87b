// The disk as the core's FileHost, and the host facts the core may not look up itself (gcc's include directory).
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FileHost } from '../core/source';

export const nodeFileHost: FileHost = {
  readFile(path: string): string | undefined {
    try {
      if (!statSync(path, { throwIfNoEntry: false })?.isFile()) return undefined;
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  isDirectory(path: string): boolean {
    try {
      return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
    } catch {
      return false;
    }
  },
  realPath(path: string): string | undefined {
    try {
      return realpathSync.native(path);
    } catch {
      return undefined;
    }
  },
};

/** gcc's private include directory (stddef.h, stdarg.h...), newest version first; undefined without gcc. */
export function findCompilerIncludeDir(): string | undefined {
  const triples = process.arch === 'arm64' ? ['aarch64-linux-gnu'] : ['x86_64-linux-gnu'];
  for (const triple of triples) {
    const base = `/usr/lib/gcc/${triple}`;
    let versions: string[];
    try {
      versions = readdirSync(base);
    } catch {
      continue;
    }
    versions.sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
    for (const v of versions) {
      const dir = join(base, v, 'include');
      if (nodeFileHost.isDirectory?.(dir)) return dir;
    }
  }
  return undefined;
}

/** Why a path named on the command line cannot be read, or undefined when it can. */
export function unreadablePath(path: string): string | undefined {
  try {
    const st = statSync(path);
    if (st.isDirectory()) return `${path}: is a directory`;
    if (!st.isFile()) return `${path}: not a regular file`;
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `${path}: no such file` : `${path}: cannot read (${code ?? 'error'})`;
  }
}
