// Where holes and padding are shown beside the members (the text view, inlay hints): after the member they follow.
import type { LayoutHoleJson, TargetName } from './protocol';

/** What hole placement reads of a field, in the layout engine's objects and in the report's JSON alike. */
interface PlacedField {
  path: string | null;
  offset?: number;
  size?: number;
  bitOffset?: number;
  bitWidth?: number;
}

/** The byte just past a field (a bit-field's last byte counts whole). */
function byteEnd(f: PlacedField): number {
  return f.bitWidth !== undefined ? Math.ceil(((f.bitOffset as number) + f.bitWidth) / 8) : (f.offset as number) + (f.size as number);
}

/**
 * What a stretch of bytes no named member holds is, as shown beside the members: a hole between members, a nested
 * record's own tail padding, or explicit padding (bytes the author filled with unnamed bit-fields, `__u32 :24;`).
 */
export type GapKind = 'hole' | 'padding' | 'explicit';

/** A stretch of such bytes shown after one member. */
export interface AnchoredHole {
  size: number;
  kind: GapKind;
}

/** What placing holes reads of a layout, in the layout engine's objects and in the report's JSON alike. */
interface PlacedLayout {
  fields: PlacedField[];
  holes: LayoutHoleJson[];
  explicitPadding?: LayoutHoleJson[];
}

/**
 * The anchor of what is shown before field `i` rather than after one: a stretch no named member precedes (unnamed
 * bit-fields only before it). Anchors after fields are their indexes, so these are negative.
 */
export function beforeField(i: number): number {
  return -1 - i;
}

/**
 * A layout's holes and explicit padding by the index of the field they are shown after, as pahole shows holes. A hole
 * comes after the member `after` names, moved on past the bit-fields that share its last byte (`after` names the
 * first of them; the hole follows them all), then out of every nested record that ends where it begins (the hole is
 * the outer record's: it goes after the nested record's closing line). A hole that begins inside a nested record and
 * goes on past its end is split there: the part inside is that record's tail padding. With no named member before it,
 * a hole is shown before the first member that begins after it, inside the records that hold it (beforeField).
 * `depths` are the fields' nesting depths.
 */
export function holesByAnchor(layout: PlacedLayout, depths: number[]): Map<number, AnchoredHole[]> {
  const out = new Map<number, AnchoredHole[]>();
  const explicit = layout.explicitPadding ?? [];
  if (layout.holes.length === 0 && explicit.length === 0) return out;
  const { fields } = layout;
  const parents = enclosingFields(depths);
  const add = (i: number, size: number, kind: GapKind) => out.set(i, [...(out.get(i) ?? []), { size, kind }]);
  const place = (first: number, start: number, end: number, kind: GapKind) => {
    let i = first;
    while (i + 1 < fields.length && fields[i].bitWidth !== undefined && fields[i + 1].bitWidth !== undefined && byteEnd(fields[i + 1]) === byteEnd(fields[i])) i++;
    for (let p = parents[i]; p >= 0 && start < end; p = parents[i]) {
      const parentEnd = byteEnd(fields[p]);
      if (parentEnd > end) break;
      if (parentEnd > start) {
        add(i, parentEnd - start, kind === 'hole' ? 'padding' : kind);
        start = parentEnd;
      }
      i = p;
    }
    if (start < end) add(i, end - start, kind);
  };
  const byPath = new Map<string, number>();
  fields.forEach((f, i) => f.path !== null && !byPath.has(f.path) && byPath.set(f.path, i));
  // In offset order, so that explicit padding and a hole after the same member are listed as they lie.
  const gaps = [...layout.holes.map((h) => [h, 'hole'] as const), ...explicit.map((h) => [h, 'explicit'] as const)];
  gaps.sort(([a], [b]) => a.offset - b.offset);
  const memberFrom = firstMemberFrom(fields, depths);
  for (const [gap, kind] of gaps) {
    const i = gap.after === null ? undefined : byPath.get(gap.after);
    if (i === undefined && gap.after !== null) continue;
    // Bytes at the start of a nested record (unnamed bit-fields first in it) are shown inside it, before the member
    // after them, even when the member they follow is outside it.
    const next = memberFrom(gap.offset + gap.size);
    const p = parents[next] ?? -1;
    const inside = p >= 0 && (i === undefined || i < p) && byteStart(fields[p]) <= gap.offset;
    if (i === undefined || inside) add(beforeField(next), gap.size, kind);
    else place(i, gap.offset, gap.offset + gap.size, kind);
  }
  return out;
}

/** Whether field `i` is a record member whose own members follow it (fields are listed depth first). */
export function hasMembers(depths: number[], i: number): boolean {
  return i + 1 < depths.length && depths[i + 1] > depths[i];
}

function byteStart(f: PlacedField): number {
  return f.bitWidth !== undefined ? Math.floor((f.bitOffset as number) / 8) : (f.offset as number);
}

/**
 * For offsets asked in increasing order, the member with no members of its own that begins first at or after each
 * (the first listed of several; else the first such member, else 0): one sweep, as holes come in offset order.
 */
function firstMemberFrom(fields: PlacedField[], depths: number[]): (offset: number) => number {
  const leaves: number[] = [];
  for (let i = 0; i < fields.length; i++) if (!hasMembers(depths, i)) leaves.push(i);
  const byStart = [...leaves].sort((a, b) => byteStart(fields[a]) - byteStart(fields[b]));
  let next = 0;
  return (offset) => {
    while (next < byStart.length && byteStart(fields[byStart[next]]) < offset) next++;
    return next < byStart.length ? byStart[next] : (leaves[0] ?? 0);
  };
}

/** For each field (listed depth first), the index of the record member it is nested in, or -1 at the top level. */
function enclosingFields(depths: number[]): number[] {
  const parents: number[] = [];
  const open: number[] = [];
  depths.forEach((depth, i) => {
    open.length = Math.min(open.length, depth);
    parents.push(depth > 0 ? (open[depth - 1] ?? -1) : -1);
    open[depth] = i;
  });
  return parents;
}

/** Bytes shown after a field, with the targets that have them (`every`: all of them, so no need to name them). */
export interface ShownHole {
  size: number;
  kind: GapKind;
  targets: TargetName[];
  every: boolean;
}

const NO_HOLES: ShownHole[] = [];

/** The holes shown after field `i`, one per size and kind, from each target's holesByAnchor (in `targets` order). */
export function holesAfter(targets: TargetName[], anchored: Map<number, AnchoredHole[]>[], i: number): ShownHole[] {
  // Asked for every member of every record, and most have no hole after them.
  if (!anchored.some((byField) => byField.has(i))) return NO_HOLES;
  const byKind = new Map<string, { size: number; kind: GapKind; targets: TargetName[] }>();
  targets.forEach((t, c) => {
    for (const hole of anchored[c].get(i) ?? []) {
      const key = `${hole.kind} ${hole.size}`;
      const shown = byKind.get(key) ?? { size: hole.size, kind: hole.kind, targets: [] };
      shown.targets.push(t);
      byKind.set(key, shown);
    }
  });
  return [...byKind.values()].map((h) => ({ ...h, every: h.targets.length === targets.length }));
}
