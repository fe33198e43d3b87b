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

/**
 * The holes of a layout by the index of the field they are shown after: the member each comes after (`after`),
 * moved on past the bit-fields that share its last byte (`after` names the first of them; the hole follows them all),
 * then out of every nested record that ends where the hole begins (`after` names a member inside it, but the hole is
 * the outer record's: pahole shows it after the nested record's closing line). `depths` are the fields' nesting depths.
 */
export function holesByAnchor<H extends LayoutHoleJson>(fields: PlacedField[], holes: H[], depths: number[]): Map<number, H[]> {
  const out = new Map<number, H[]>();
  if (holes.length === 0) return out;
  const parents = enclosingFields(depths);
  for (const hole of holes) {
    let i = hole.after === null ? -1 : fields.findIndex((f) => f.path === hole.after);
    if (i < 0) continue;
    while (i + 1 < fields.length && fields[i].bitWidth !== undefined && fields[i + 1].bitWidth !== undefined && byteEnd(fields[i + 1]) === byteEnd(fields[i])) i++;
    while (parents[i] >= 0 && byteEnd(fields[parents[i]]) <= hole.offset) i = parents[i];
    out.set(i, [...(out.get(i) ?? []), hole]);
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
  targets: TargetName[];
  every: boolean;
}

const NO_HOLES: ShownHole[] = [];

/** The holes shown after field `i`, one per size, from each target's holesByAnchor (in `targets` order). */
export function holesAfter(targets: TargetName[], anchored: Map<number, LayoutHoleJson[]>[], i: number): ShownHole[] {
  // Asked for every member of every record, and most have no hole after them.
  if (!anchored.some((byField) => byField.has(i))) return NO_HOLES;
  const bySize = new Map<number, TargetName[]>();
  targets.forEach((t, c) => {
    for (const hole of anchored[c].get(i) ?? []) bySize.set(hole.size, [...(bySize.get(hole.size) ?? []), t]);
  });
  return [...bySize].map(([size, ts]) => ({ size, targets: ts, every: ts.length === targets.length }));
}
