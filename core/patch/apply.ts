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
  const index = lineIndex(old);
  let cursor = 0;
  let drift = 0;
  for (const hunk of hunks) {
    const before = hunk.lines.filter((l) => l.kind !== '+').map((l) => l.text);
    const after = hunk.lines.filter((l) => l.kind !== '-');
    // An empty old side is an insertion after line oldStart (0: at the top).
    const expected = (before.length === 0 ? hunk.oldStart : hunk.oldStart - 1) + drift;
    const at = findLines(old, index, before, expected, cursor);
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

/** Where each line of a text is (its `\r` ending dropped). */
type LineIndex = Map<string, number[]>;

function lineIndex(text: string[]): LineIndex {
  const index: LineIndex = new Map();
  text.forEach((line, i) => {
    const key = line.endsWith('\r') ? line.slice(0, -1) : line;
    const at = index.get(key);
    if (at) at.push(i);
    else index.set(key, [i]);
  });
  return index;
}

/**
 * Where `lines` occur in `text` at or after `from`, the nearest to `near` first (later before earlier at the same
 * distance); -1 if nowhere. Only the places of the block's rarest line are tried, so a hunk that matches nowhere costs
 * no scan of the file.
 */
function findLines(text: string[], index: LineIndex, lines: string[], near: number, from: number): number {
  const last = text.length - lines.length;
  if (lines.length === 0) return Math.min(Math.max(near, from), Math.max(last, from));
  let anchor = 0;
  let places: number[] = [];
  for (let k = 0; k < lines.length; k++) {
    const at = index.get(lines[k]) ?? [];
    if (at.length === 0) return -1;
    if (k === 0 || at.length < places.length) [anchor, places] = [k, at];
  }
  // Outward from `near` through the anchor's places (in file order): the first that matches is the nearest.
  let next = lowerBound(places, near + anchor);
  let previous = next - 1;
  while (next < places.length || previous >= 0) {
    const up = next < places.length ? places[next] - anchor : Infinity;
    const down = previous >= 0 ? places[previous] - anchor : -Infinity;
    const start = up - near <= near - down ? (next++, up) : (previous--, down);
    if (start >= from && start <= last && matchesAt(text, lines, start)) return start;
  }
  return -1;
}

/** The first index of the sorted `list` whose value is at least `value`. */
function lowerBound(list: number[], value: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function matchesAt(text: string[], lines: string[], at: number): boolean {
  for (let i = 0; i < lines.length; i++) {
    const line = text[at + i];
    if (line !== lines[i] && line?.replace(/\r$/, '') !== lines[i]) return false;
  }
  return true;
}
