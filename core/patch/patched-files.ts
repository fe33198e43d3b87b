// The C files a patch (or a mailbox of patches) changes, as they read once it is applied to the tree it is for.
import { joinPath } from '../c/include-paths';
import { isKernelTree, kernelTreeOf } from '../c/kernel-tree';
import { C_FILE_NAME } from '../file-kinds';
import { applyHunks } from './apply';
import type { LayoutErrorJson } from '../protocol';
import { parsePatch, type FilePatch, type PatchProblem } from './unified-diff';


export interface PatchedFile {
  /** Where the file is in the tree (`tree` joined with the patch's path), as it is printed. */
  path: string;
  text: string;
  /** Made of the patch's own lines (the tree lacks the file): fragments, whose parse errors say nothing. */
  fromHunks: boolean;
  /** For each line of `text`, the patch line (0-based) it is written on; -1 for a line the patch does not show. */
  patchLines: number[];
  /**
   * What the patch changed, the published version: the tree's text (before every patch of a series), or for a file the
   * tree lacks the hunks' old sides; undefined for a file the patch creates.
   */
  preimage: string | undefined;
  /**
   * A Linux tree's internal file (`kernel/fork.c`): not to be laid out (it needs the build's configuration), only read
   * as written by the rules that need no preprocessing (strict-size-check).
   */
  internal?: boolean;
}

export interface PatchedTree {
  files: PatchedFile[];
  /** What did not apply or could not be read, by line of the patch (0-based). */
  problems: PatchProblem[];
}

/**
 * Applies the patch in `patchText` to the tree at `tree` (read through `read`), as `patch -p1` run at the top of the
 * tree would, and returns every C file it leaves changed. A file the tree lacks is made of the patch's own lines (its
 * hunks' new sides), so a struct the patch adds is still laid out. Given `isDirectory`, a Linux tree's internal files
 * (outside its UAPI headers and selftests) are marked `internal` and said so once each, as information: they need the
 * kernel build's configuration, without which their layouts would be wrong, not just incomplete, and only the rules
 * that read code as written look at them.
 */
export function patchedFiles(patchText: string, tree: string, read: (path: string) => string | undefined, isDirectory?: (path: string) => boolean): PatchedTree {
  const parsed = parsePatch(patchText);
  const problems = [...parsed.problems];
  if (parsed.files.length === 0) problems.push({ line: 0, message: 'no unified diff in this file (no ---/+++ file headers with @@ hunks)' });
  // Later patches of a series apply to what the earlier ones made.
  const texts: Texts = new Map();
  const order: string[] = [];
  const internal = isDirectory && isKernelTree(tree, isDirectory) ? (path: string) => kernelTreeOf(path, isDirectory) === undefined : () => false;
  const skipped = new Set<string>();
  for (const file of parsed.files) {
    if (file.binary || file.hunks.length === 0) continue;
    const target = file.newPath ?? file.oldPath;
    if (target === null || !C_FILE_NAME.test(target)) continue;
    // As git apply refuses them: a patch names files inside its tree.
    if ([file.oldPath, file.newPath].some((p) => p !== null && (p.startsWith('/') || p.split('/').includes('..')))) {
      problems.push({ line: file.line, message: `${target}: a path outside the tree, not read` });
      continue;
    }
    const path = joinPath(tree, target);
    if (internal(path)) {
      if (!skipped.has(path)) problems.push({ line: file.line, severity: 'information', message: `${target}: a kernel-internal file, not laid out (it needs the kernel build's configuration; Sysarg lays out a kernel tree's UAPI headers and selftests), only read as written (for strict size checks, and the structs it copies in with copy_struct_from_user())` });
      skipped.add(path);
    }
    if (file.newPath === null) {
      texts.set(path, null);
      continue;
    }
    const text = applyTo(file, tree, texts, read, problems);
    if (!texts.has(path)) order.push(path);
    texts.set(path, text);
  }
  const files = order.flatMap((path) => {
    const file = texts.get(path);
    return file ? [{ path, ...file, ...(skipped.has(path) ? { internal: true } : {}) }] : [];
  });
  return { files, problems: problems.sort((a, b) => a.line - b.line) };
}

type FileText = Omit<PatchedFile, 'path'>;
type Texts = Map<string, FileText | null>;

function applyTo(file: FilePatch, tree: string, texts: Texts, read: (path: string) => string | undefined, problems: PatchProblem[]): FileText {
  const source = file.oldPath === null ? undefined : joinPath(tree, file.oldPath);
  const known = source === undefined ? undefined : texts.get(source);
  if (known?.fromHunks) {
    const more = newSides(file);
    return { text: known.text + more.text, fromHunks: true, patchLines: [...known.patchLines.slice(0, -1), ...more.patchLines], preimage: (known.preimage ?? '') + oldSides(file) };
  }
  const before = source === undefined ? undefined : known !== undefined ? known?.text : read(source);
  if (source !== undefined && before === undefined) {
    problems.push({ line: file.line, severity: 'information', message: `${file.oldPath}: not found in the tree at ${tree} (--tree names the tree the patch applies to): only what the patch's own lines define is laid out` });
    // The hunks rarely show the file's #include of the kernel's fixed-size types, which UAPI structs are made of.
    const text = newSides(file);
    return { text: FRAGMENT_TYPES + text.text, patchLines: [-1, ...text.patchLines], fromHunks: true, preimage: FRAGMENT_TYPES + oldSides(file) };
  }
  const applied = applyHunks(before, file.hunks, known?.patchLines);
  for (const hunk of applied.failed) {
    problems.push({ line: hunk.line, message: `${file.newPath}: this hunk does not apply to ${source ?? 'a new file'} (its old lines are not there): left out` });
  }
  for (const { hunk, fuzz } of applied.fuzzed) {
    problems.push({ line: hunk.line, severity: 'information', message: `${file.newPath}: this hunk applied with fuzz ${fuzz}, as patch would apply it: up to ${fuzz} context line${fuzz > 1 ? 's' : ''} at its ends differ from ${source}` });
  }
  // A file the patch creates had nothing published: its preimage is empty.
  return { text: applied.text, fromHunks: false, patchLines: applied.patchLines, preimage: known ? known.preimage : (before ?? '') };
}

/** What a file made of a patch's lines starts with: the types its structs are most likely made of (__u32, __aligned_u64). */
const FRAGMENT_TYPES = '#include <linux/types.h>\n';

/** The old side of each hunk (its context and removed lines), a blank line after each: what the patch shows of the file before. */
function oldSides(file: FilePatch): string {
  return file.hunks.map((hunk) => `${hunk.lines.filter((l) => l.kind !== '+').map((l) => `${l.text}\n`).join('')}\n`).join('');
}

/** The new side of each hunk, a blank line after each, and the patch line of every line (the last: the one after). */
function newSides(file: FilePatch): { text: string; patchLines: number[] } {
  const lines: string[] = [];
  const patchLines: number[] = [];
  for (const hunk of file.hunks) {
    for (const l of hunk.lines) {
      if (l.kind === '-') continue;
      lines.push(l.text);
      patchLines.push(l.line);
    }
    lines.push('');
    patchLines.push(hunk.line);
  }
  patchLines.push(patchLines[patchLines.length - 1] ?? file.line);
  return { text: lines.join('\n') + '\n', patchLines };
}

/** A patch's problems as errors of a layout report, at their lines of the patch file `patchPath`. */
export function patchErrors(problems: PatchProblem[], patchPath: string): LayoutErrorJson[] {
  return problems.map((p) => ({ file: patchPath, line: p.line + 1, column: 1, message: p.message, ...(p.severity ? { severity: p.severity } : {}) }));
}
