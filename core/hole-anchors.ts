// Where a hole is shown beside the members (the text view, inlay hints): after the member it follows.
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

/** A stretch of a hole as shown beside one member: a gap between members, or a nested record's own tail padding. */
export interface AnchoredHole {
  size: number;
  padding: boolean;
}

/**
 * The holes of a layout by the index of the field they are shown after, as pahole shows them. A hole comes after the
 * member `after` names, moved on past the bit-fields that share its last byte (`after` names the first of them; the
 * hole follows them all), then out of every nested record that ends where it begins (the hole is the outer record's:
 * it goes after the nested record's closing line). A hole that begins inside a nested record and goes on past its
 * end is split there: the part inside is that record's tail padding. `depths` are the fields' nesting depths.
 */
export function holesByAnchor(fields: PlacedField[], holes: LayoutHoleJson[], depths: number[]): Map<number, AnchoredHole[]> {
  const out = new Map<number, AnchoredHole[]>();
  if (holes.length === 0) return out;
  const parents = enclosingFields(depths);
  const add = (i: number, size: number, padding: boolean) => out.set(i, [...(out.get(i) ?? []), { size, padding }]);
  for (const hole of holes) {
    let i = hole.after === null ? -1 : fields.findIndex((f) => f.path === hole.after);
    if (i < 0) continue;
    while (i + 1 < fields.length && fields[i].bitWidth !== undefined && fields[i + 1].bitWidth !== undefined && byteEnd(fields[i + 1]) === byteEnd(fields[i])) i++;
    let start = hole.offset;
    const end = hole.offset + hole.size;
    for (let p = parents[i]; p >= 0 && start < end; p = parents[i]) {
      const parentEnd = byteEnd(fields[p]);
      if (parentEnd > end) break;
      if (parentEnd > start) {
        add(i, parentEnd - start, true);
        start = parentEnd;
      }
      i = p;
    }
    if (start < end) add(i, end - start, false);
  }
  return out;
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

/** A hole shown after a field, with the targets that have it (`every`: all of them, so no need to name them). */
export interface ShownHole {
  size: number;
  /** A nested record's own tail padding (the rest of the hole, if any, follows the record). */
  padding: boolean;
  targets: TargetName[];
  every: boolean;
}

const NO_HOLES: ShownHole[] = [];

/** The holes shown after field `i`, one per size and kind, from each target's holesByAnchor (in `targets` order). */
export function holesAfter(targets: TargetName[], anchored: Map<number, AnchoredHole[]>[], i: number): ShownHole[] {
  // Asked for every member of every record, and most have no hole after them.
  if (!anchored.some((byField) => byField.has(i))) return NO_HOLES;
  const byKind = new Map<string, { size: number; padding: boolean; targets: TargetName[] }>();
  targets.forEach((t, c) => {
    for (const hole of anchored[c].get(i) ?? []) {
      const key = `${hole.padding ? 'padding' : 'hole'} ${hole.size}`;
      const shown = byKind.get(key) ?? { size: hole.size, padding: hole.padding, targets: [] };
      shown.targets.push(t);
      byKind.set(key, shown);
    }
  });
  return [...byKind.values()].map((h) => ({ ...h, every: h.targets.length === targets.length }));
}
