// Applies a file's hunks to its text in memory, as `patch` does without fuzz: each hunk where its old lines are,
// searched outward from where its header says when earlier changes moved them.
import type { Hunk } from './unified-diff';

export interface AppliedPatch {
  /** The text with every hunk that applied. */
  text: string;
  /** Hunks whose old lines were not found. */
  failed: Hunk[];
  /** For each line of `text`, the patch line (0-based) it was written on, -1 for a line the patch does not show. */
  patchLines: number[];
}

/**
 * Applies `hunks` (in order) to `text`; `text` undefined is a new file, made of the hunks' new lines. `textLines`
 * carries over where an earlier patch of a series wrote `text`'s lines (patchLines of that application).
 */
export function applyHunks(text: string | undefined, hunks: Hunk[], textLines?: number[]): AppliedPatch {
  const old = text === undefined ? [] : text.split('\n');
  const out: string[] = [];
  const patchLines: number[] = [];
  const keep = (i: number) => {
    out.push(old[i]);
    patchLines.push(textLines?.[i] ?? -1);
  };
  const failed: Hunk[] = [];
  let cursor = 0;
  let drift = 0;
  for (const hunk of hunks) {
    const before = hunk.lines.filter((l) => l.kind !== '+').map((l) => l.text);
    const after = hunk.lines.filter((l) => l.kind !== '-');
    // An empty old side is an insertion after line oldStart (0: at the top).
    const expected = (before.length === 0 ? hunk.oldStart : hunk.oldStart - 1) + drift;
    const at = findLines(old, before, expected, cursor);
    if (at < 0) {
      failed.push(hunk);
      continue;
    }
    for (let i = cursor; i < at; i++) keep(i);
    for (const line of after) {
      out.push(line.text);
      patchLines.push(line.line);
    }
    cursor = at + before.length;
    drift = at - (before.length === 0 ? hunk.oldStart : hunk.oldStart - 1);
  }
  for (let i = cursor; i < old.length; i++) keep(i);
  // A new file's lines each end in a newline (the split of an existing text keeps its own ending).
  if (text === undefined) {
    out.push('');
    patchLines.push(-1);
  }
  return { text: out.join('\n'), failed, patchLines };
}

/** Where `lines` occur in `text` at or after `from`, the nearest to `near` first; -1 if nowhere. */
function findLines(text: string[], lines: string[], near: number, from: number): number {
  const last = text.length - lines.length;
  const start = Math.min(Math.max(near, from), Math.max(last, from));
  for (let d = 0; start - d >= from || start + d <= last; d++) {
    if (start + d <= last && matchesAt(text, lines, start + d)) return start + d;
    if (d > 0 && start - d >= from && matchesAt(text, lines, start - d)) return start - d;
  }
  return -1;
}

function matchesAt(text: string[], lines: string[], at: number): boolean {
  for (let i = 0; i < lines.length; i++) {
    const line = text[at + i];
    if (line !== lines[i] && line?.replace(/\r$/, '') !== lines[i]) return false;
  }
  return true;
}
