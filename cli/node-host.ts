// The disk as the core's FileHost, and the host facts the core may not look up itself (gcc's include directory).
import { type Dirent, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { C_FILE_NAME } from '../core/file-kinds';
import type { FileHost } from '../core/source';

/**
 * readFileSync's options as an object: given the string 'utf8', Node copies its defaults into a new object on every
 * call, in code that stays unoptimised over a run's ~1,000 reads (~2 µs a read).
 */
const UTF8 = { encoding: 'utf8', flag: 'r' } as const;

export const nodeFileHost: FileHost = {
  readFile(path: string): string | undefined {
    try {
      if (!statSync(path, { throwIfNoEntry: false })?.isFile()) return undefined;
      return readFileSync(path, UTF8);
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

const enum EntryKind {
  File,
  Directory,
  /** A symbolic link, or a file system that does not say (DT_UNKNOWN): ask stat. */
  Ask,
  Other,
}

interface Listing {
  kinds: Map<string, EntryKind>;
  /** The names in lower case, made on the first miss. */
  folded?: Set<string>;
}

function kindOf(entry: Dirent): EntryKind {
  if (entry.isFile()) return EntryKind.File;
  if (entry.isDirectory()) return EntryKind.Directory;
  if (entry.isSymbolicLink() || !(entry.isFIFO() || entry.isSocket() || entry.isBlockDevice() || entry.isCharacterDevice())) return EntryKind.Ask;
  return EntryKind.Other;
}

/**
 * The disk as one CLI run sees it: each directory is listed once, so an include search that misses costs no system
 * call and a file needs no stat before it is read, and a file's canonical path is its directory's (resolved once)
 * plus its name unless the file is itself a link. Over /usr/include/linux this saves ~7,000 system calls (most of
 * them the readlink of every path component that realpath makes). The language server keeps nodeFileHost: files
 * come and go while it runs.
 */
export function listingFileHost(): FileHost & { isFile(path: string): boolean } {
  const listings = new Map<string, Listing | null>();
  const realDirs = new Map<string, string | undefined>();

  /** What `path`'s directory listing says it is; undefined when its directory cannot be listed. */
  function kindAt(path: string): EntryKind | undefined {
    const slash = path.lastIndexOf('/');
    const dir = slash < 0 ? '.' : slash === 0 ? '/' : path.slice(0, slash);
    let listing = listings.get(dir);
    if (listing === undefined) {
      try {
        listing = { kinds: new Map(readdirSync(dir, { withFileTypes: true }).map((e) => [e.name, kindOf(e)])) };
      } catch (error) {
        // A directory that is not there holds nothing; one that cannot be listed (x without r) may still be read.
        const code = (error as NodeJS.ErrnoException).code;
        listing = code === 'ENOENT' || code === 'ENOTDIR' ? { kinds: new Map() } : null;
      }
      listings.set(dir, listing);
    }
    if (listing === null) return undefined;
    const name = path.slice(slash + 1);
    if (name === '' || name === '.' || name === '..') return EntryKind.Ask;
    const kind = listing.kinds.get(name);
    if (kind !== undefined) return kind;
    // On a case-insensitive file system (vfat, a casefolded ext4 directory) another spelling opens the same file.
    listing.folded ??= new Set([...listing.kinds.keys()].map((n) => n.toLowerCase()));
    return listing.folded.has(name.toLowerCase()) ? EntryKind.Ask : EntryKind.Other;
  }

  function realDir(dir: string): string | undefined {
    if (!realDirs.has(dir)) realDirs.set(dir, nodeFileHost.realPath?.(dir));
    return realDirs.get(dir);
  }

  return {
    /** Whether the listing shows a regular file at `path` (false: look closer, e.g. with unreadablePath). */
    isFile: (path: string) => kindAt(path) === EntryKind.File,
    readFile(path: string): string | undefined {
      const kind = kindAt(path);
      if (kind === EntryKind.File) {
        try {
          return readFileSync(path, UTF8);
        } catch {
          return undefined;
        }
      }
      return kind === EntryKind.Ask || kind === undefined ? nodeFileHost.readFile(path) : undefined;
    },
    isDirectory(path: string): boolean {
      const kind = kindAt(path);
      if (kind === EntryKind.Directory) return true;
      return kind === EntryKind.Ask || kind === undefined ? (nodeFileHost.isDirectory?.(path) ?? false) : false;
    },
    realPath(path: string): string | undefined {
      const slash = path.lastIndexOf('/');
      if (slash <= 0 || kindAt(path) !== EntryKind.File) return nodeFileHost.realPath?.(path);
      const dir = realDir(path.slice(0, slash));
      return dir === undefined ? undefined : `${dir === '/' ? '' : dir}${path.slice(slash)}`;
    },
  };
}

/**
 * The CLI's file host: directory listings on Linux; elsewhere (case- and normalization-insensitive file systems
 * by default, backslash paths) the stat-based host, which asks the system about every path.
 */
export function cliFileHost(): FileHost & { isFile(path: string): boolean } {
  return process.platform === 'linux' ? listingFileHost() : { ...nodeFileHost, isFile: () => false };
}

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

/**
 * The C files below `dir` (headers and sources, at any depth), sorted by path as `find DIR | sort` lists them: links
 * to files are listed, links to directories are not followed (as find does), unreadable directories are skipped.
 */
export function cFilesBelow(dir: string): string[] {
  const out: string[] = [];
  const walk = (at: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(at, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (C_FILE_NAME.test(entry.name) && (entry.isFile() || (entry.isSymbolicLink() && statSync(path, { throwIfNoEntry: false })?.isFile()))) out.push(path);
    }
  };
  walk(dir);
  return out.sort();
}
