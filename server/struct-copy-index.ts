// The structs the workspace's .c files copy in with copy_struct_from_user(): read in the background, kept up to date.
import { opendir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { C_SOURCE_NAME } from '../core/file-kinds';
import { COPY_MARKERS, copiedStructsOf, copiesKey, structCopies, type CopiedStructs, type StructCopy } from '../core/struct-copies';

/** A kernel tree has ~32,000 .c files; past this many the rest are left unread (a home directory opened by mistake). */
const MAX_FILES = 100_000;
/** The largest .c file read: kernel sources stay under 1 MB; generated tables may not. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;
/** Files read at once: enough to keep the disk busy, few enough to leave the event loop to requests. */
const CONCURRENT_READS = 8;
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '.hg', '.svn']);

export class StructCopyIndex {
  /** What the files on disk copy in, by path (files that copy nothing are left out). */
  private disk = new Map<string, StructCopy[]>();
  /** What open buffers copy in: an open buffer stands for its file. */
  private readonly buffers = new Map<string, StructCopy[]>();
  private merged: CopiedStructs = new Map();
  /** What `merged` says (copiesKey), to tell a change: where each call is, what its file reads and tests. */
  private mergedKey = '';
  private generation = 0;
  /** Files changed on disk, to be read again (see fileChanged). */
  private readonly pending = new Set<string>();
  private draining: Promise<void> | undefined;
  /** Files changed on disk since the scan under way began (read again once it ends). */
  private readonly changedWhileScanning = new Set<string>();
  private scanning = false;

  /** `changed`: called when the set of copied structs (or where they are copied) changes. */
  constructor(private readonly changed: () => void) {}

  /** The structs copied in, by tag (files in path order, the first call of each). */
  copied(): CopiedStructs {
    return this.merged;
  }

  /**
   * Reads every .c file below `folders` that names the call (hidden directories and node_modules left out), a few at
   * a time; a later scan (folders changed) supersedes one under way. Resolves when done.
   */
  async scan(folders: string[]): Promise<void> {
    const generation = ++this.generation;
    this.changedWhileScanning.clear();
    this.scanning = true;
    const found = new Map<string, StructCopy[]>();
    const paths = await sourcesBelow(folders, () => generation !== this.generation);
    for (let i = 0; i < paths.length && generation === this.generation; i += CONCURRENT_READS) {
      await Promise.all(paths.slice(i, i + CONCURRENT_READS).map(async (path) => {
        const copies = await copiesOnDisk(path);
        if (copies.length > 0) found.set(path, copies);
      }));
    }
    if (generation !== this.generation) return;
    this.scanning = false;
    this.disk = found;
    this.merge();
    // What changed on disk while the scan read may have been read before the change: read again.
    const changed = [...this.changedWhileScanning];
    this.changedWhileScanning.clear();
    await Promise.all(changed.map((path) => this.fileChanged(path)));
  }

  /** An open .c buffer's text; undefined: it was closed, and its file on disk counts again. */
  bufferChanged(path: string, text: string | undefined): void {
    if (!C_SOURCE_NAME.test(path)) return;
    if (text === undefined) {
      if (!this.buffers.delete(path)) return;
      void this.fileChanged(path);
    } else this.buffers.set(path, structCopies(path, text));
    this.merge();
  }

  /**
   * A .c file changed on disk (or was created or deleted). A checkout changes thousands at once: they are read a few at
   * a time, and the set merged once they all are. Resolves when this one has been read.
   */
  fileChanged(path: string): Promise<void> {
    if (!C_SOURCE_NAME.test(path)) return Promise.resolve();
    if (this.scanning) this.changedWhileScanning.add(path);
    this.pending.add(path);
    this.draining ??= this.drain();
    return this.draining;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.size > 0) {
        const batch = [...this.pending].slice(0, CONCURRENT_READS);
        for (const path of batch) this.pending.delete(path);
        await Promise.all(batch.map(async (path) => {
          const copies = await copiesOnDisk(path);
          if (copies.length > 0) this.disk.set(path, copies);
          else this.disk.delete(path);
        }));
      }
    } finally {
      // Cleared as the queue is found empty: a file changed from now on starts a drain of its own.
      this.draining = undefined;
    }
    this.merge();
  }

  private merge(): void {
    const byPath = new Map([...this.disk, ...this.buffers]);
    this.merged = copiedStructsOf([...byPath.keys()].sort().map((path) => byPath.get(path) as StructCopy[]));
    const key = copiesKey(this.merged.values());
    if (key === this.mergedKey) return;
    this.mergedKey = key;
    this.changed();
  }
}

/** The copies a file on disk makes; none if it is too large, unreadable or gone. */
async function copiesOnDisk(path: string): Promise<StructCopy[]> {
  try {
    if ((await stat(path)).size > MAX_FILE_BYTES) return [];
    const bytes = await readFile(path);
    return COPY_MARKERS.some((m) => bytes.includes(m)) ? structCopies(path, bytes.toString('utf8')) : [];
  } catch {
    return [];
  }
}

/** The .c files below the folders, up to MAX_FILES, read without blocking (node-host.ts's cFilesBelow, for the CLI, lists every C file, hidden directories too, in one synchronous walk); symbolic links are not followed (they may loop). */
async function sourcesBelow(folders: string[], cancelled: () => boolean): Promise<string[]> {
  const out: string[] = [];
  const queue = [...folders];
  while (queue.length > 0 && out.length < MAX_FILES && !cancelled()) {
    const dir = queue.shift() as string;
    try {
      for await (const entry of await opendir(dir)) {
        if (entry.isDirectory() && !entry.name.startsWith('.') && !SKIPPED_DIRECTORIES.has(entry.name)) queue.push(join(dir, entry.name));
        else if (entry.isFile() && C_SOURCE_NAME.test(entry.name) && out.length < MAX_FILES) out.push(join(dir, entry.name));
      }
    } catch {
      // a directory that cannot be read holds nothing we can read
    }
  }
  return out;
}
