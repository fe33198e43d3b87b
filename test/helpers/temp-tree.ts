// Writes a small tree of files (paths relative to its top) into a new temporary directory, for tests on real paths.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The new directory holding `files`. */
export function writeTempTree(prefix: string, files: Record<string, string>): string {
  const top = mkdtempSync(join(tmpdir(), prefix));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(top, name)), { recursive: true });
    writeFileSync(join(top, name), text);
  }
  return top;
}

/** What makes a directory a Linux source tree to Sysarg (isKernelTree): its generic UAPI directories and arch/. */
export const KERNEL_TREE_SKELETON: Record<string, string> = {
  'include/uapi/linux/.keep': '',
  'include/uapi/asm-generic/.keep': '',
  'arch/x86/include/uapi/asm/.keep': '',
};
