// Applies a file's hunks to its text in memory as GNU `patch` does: each hunk where its old lines are, searched
// outward from where its header says when earlier changes moved them, with up to two context lines at its ends let
// differ from the file where the exact lines are nowhere (patch's default fuzz).
import type { Hunk } from './unified-diff';

export interface AppliedPatch {
  /** The text with every hunk that applied. */
  text: string;
  /** Hunks whose old lines were not found. */
  failed: Hunk[];
  /** Hunks that applied only with some of their outer context lines not the file's: how many were let go at each end. */
  fuzzed: { hunk: Hunk; fuzz: number }[];
  /** For each line of `text`, the patch line (0-based) it was written on, -1 for a line the patch does not show. */
  patchLines: number[];
}

/** At most this many context lines at each end of a hunk may differ from the file (patch's -F default). */
const MAX_FUZZ = 2;

/** Where a hunk goes: the file line its first old line stands on, and how many old lines at each end were not compared. */
interface Placement {
  at: number;
  lead: number;
  trail: number;
}

/**
 * Applies `hunks` (in order) to `text`; `text` undefined is a new file, made of the hunks' new lines. `textLines`
 * carries over where an earlier patch of a series wrote `text`'s lines (patchLines of that application).
 */
export function applyHunks(text: string | undefined, hunks: Hunk[], textLines?: number[]): AppliedPatch {
  const old = text === undefined ? [] : text.split('\n');
  const file: FileLines = { lines: old, count: text === undefined || text === '' ? 0 : text.endsWith('\n') ? old.length - 1 : old.length, index: lineIndex(old) };
  const out: string[] = [];
  const patchLines: number[] = [];
  // Context lines are the file's (as patch copies them): each keeps the patch line that showed it, if one did.
  const shownAt = new Map<number, number>();
  let cursor = 0;
  const keepTo = (end: number) => {
    for (; cursor < end; cursor++) {
      out.push(old[cursor]);
      patchLines.push(shownAt.get(cursor) ?? textLines?.[cursor] ?? -1);
    }
  };
  const failed: Hunk[] = [];
  const fuzzed: AppliedPatch['fuzzed'] = [];
  let drift = 0;
  for (const hunk of hunks) {
    const before = hunk.lines.filter((l) => l.kind !== '+').map((l) => l.text);
    // An empty old side is an insertion after line oldStart (0: at the top).
    const expected = (before.length === 0 ? hunk.oldStart : hunk.oldStart - 1) + drift;
    const placed = locate(file, hunk, before, expected, cursor);
    if (!placed) {
      failed.push(hunk);
      continue;
    }
    if (placed.lead + placed.trail > 0) fuzzed.push({ hunk, fuzz: Math.max(placed.lead, placed.trail) });
    let at = placed.at;
    let seen = 0;
    for (const line of hunk.lines) {
      if (line.kind === '+') {
        keepTo(at);
        out.push(line.text);
        patchLines.push(line.line);
        continue;
      }
      const compared = seen >= placed.lead && seen < before.length - placed.trail;
      seen++;
      if (line.kind === ' ') {
        if (compared) shownAt.set(at, line.line);
      } else {
        keepTo(at);
        cursor = at + 1;
      }
      at++;
    }
    drift = placed.at - (before.length === 0 ? hunk.oldStart : hunk.oldStart - 1);
  }
  keepTo(old.length);
  // A new file's lines each end in a newline (the split of an existing text keeps its own ending).
  if (text === undefined) {
    out.push('');
    patchLines.push(-1);
  }
  return { text: out.join('\n'), failed, fuzzed, patchLines };
}

interface FileLines {
  lines: string[];
  /** Lines the text has (the split's last element is no line when the text ends in a newline). */
  count: number;
  index: LineIndex;
}

/**
 * Where `hunk` (its old lines `before`) applies at or after line `from`, as patch looks for it: exactly first, then
 * with one and two context lines at each end not compared. A hunk with less context at one end than at the other
 * was cut short there by the file's start or end, so it must meet that start or end.
 */
function locate(file: FileLines, hunk: Hunk, before: string[], near: number, from: number): Placement | undefined {
  if (before.length === 0) return { at: Math.min(Math.max(near, from), Math.max(file.count, from)), lead: 0, trail: 0 };
  const prefix = leadingContext(hunk);
  const suffix = leadingContext(hunk, true);
  const context = Math.max(prefix, suffix);
  for (let fuzz = 0; fuzz <= Math.min(MAX_FUZZ, context); fuzz++) {
    const lead = fuzz + prefix - context;
    const trail = fuzz + suffix - context;
    const placed = lead < 0 && hunk.oldStart <= 1 ? atTop(file, before, trail, from) : trail < 0 ? atEnd(file, before, Math.max(lead, 0), from) : nearest(file, before, Math.max(lead, 0), trail, near, from);
    if (placed) return placed;
  }
  return undefined;
}

/** How many context lines open the hunk (or, with `end`, close it). */
function leadingContext(hunk: Hunk, end = false): number {
  let n = 0;
  for (let i = 0; i < hunk.lines.length; i++) {
    const line = hunk.lines[end ? hunk.lines.length - 1 - i : i];
    if (line.kind !== ' ') break;
    n++;
  }
  return n;
}

/** The hunk at the file's first line (and, with `trail` < 0, as the whole file). */
function atTop(file: FileLines, before: string[], trail: number, from: number): Placement | undefined {
  if (trail < 0 && before.length !== file.count) return undefined;
  const t = Math.max(trail, 0);
  return from === 0 && before.length - t <= file.count && matchesAt(file.lines, before, 0, 0, t) ? { at: 0, lead: 0, trail: t } : undefined;
}

/** The hunk at the file's end. */
function atEnd(file: FileLines, before: string[], lead: number, from: number): Placement | undefined {
  const at = file.count - before.length;
  return at >= from && matchesAt(file.lines, before, at, lead, 0) ? { at, lead, trail: 0 } : undefined;
}

/** The place nearest `near` where `before` less `lead` and `trail` lines matches, the whole hunk at or after `from`. */
function nearest(file: FileLines, before: string[], lead: number, trail: number, near: number, from: number): Placement | undefined {
  const core = before.slice(lead, before.length - trail);
  const at = findLines(file, core, near + lead, from + lead, file.count - core.length);
  return at < 0 ? undefined : { at: at - lead, lead, trail };
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
 * Where `lines` occur in the file between `from` and `last`, the nearest to `near` first (later before earlier at the
 * same distance); -1 if nowhere. Only the places of the block's rarest line are tried, so a hunk that matches nowhere
 * costs no scan of the file.
 */
function findLines(file: FileLines, lines: string[], near: number, from: number, last: number): number {
  // Nothing left to compare (fuzz let go of every line): the place nearest the expected one that the hunk fits in.
  if (lines.length === 0) return from > last ? -1 : Math.min(Math.max(near, from), last);
  let anchor = 0;
  let places: number[] = [];
  for (let k = 0; k < lines.length; k++) {
    const at = file.index.get(lines[k]) ?? [];
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
    if (start >= from && start <= last && matchesAt(file.lines, lines, start, 0, 0)) return start;
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

/** Whether `lines` but its first `lead` and last `trail` are the text's from `at` on. */
function matchesAt(text: string[], lines: string[], at: number, lead: number, trail: number): boolean {
  for (let i = lead; i < lines.length - trail; i++) {
    const line = text[at + i];
    if (line !== lines[i] && line?.replace(/\r$/, '') !== lines[i]) return false;
  }
  return true;
}
