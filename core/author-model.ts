// The author's own patch as a simulator model: the extensible clone struct and the CLONE_* flags of a document.
import { LayoutError } from './abi/layout';
import type { SourceCache } from './c/source-cache';
import type { DocumentAnalysis } from './document-analysis';
import { macroValue } from './macro-values';
import type { AuthorModel } from './sim/types';

/** The structs the simulator models, and the kernel model each one extends. */
const BASES: Record<string, string> = { clone_args: '6.1', long_clone_arg: '2.6.24+longarg-rfc' };

/**
 * The author model of a document laid out on x86_64, or undefined when it defines neither `struct clone_args`
 * nor the RFC's `struct long_clone_arg`.
 */
export function authorModel(analysis: DocumentAnalysis, cache: SourceCache): AuthorModel | undefined {
  const unit = analysis.units.get('x86_64');
  if (!unit) return undefined;
  const record = analysis.records.find((r) => r.decl.kind === 'struct' && r.decl.tag !== null && r.decl.tag in BASES);
  const layout = record?.layouts.get('x86_64');
  if (!record || !layout || layout instanceof LayoutError) return undefined;
  const flags: AuthorModel['flags'] = [];
  for (const macro of unit.pp.definitions) {
    if (macro.file !== unit.root.file || !macro.name.startsWith('CLONE_') || /_SIZE_VER\d+$/.test(macro.name)) continue;
    if (unit.pp.macros.get(macro.name) !== macro) continue;
    const value = macroValue(unit, cache, macro);
    if (value !== undefined && value > 0n) flags.push({ name: macro.name, value: BigInt.asUintN(64, value) });
  }
  return {
    base: BASES[record.decl.tag as string],
    structName: record.decl.tag as string,
    size: layout.size,
    members: layout.members.filter((m) => m.member.name !== null).map((m) => ({ name: m.member.name as string, offset: m.offset, size: m.size })),
    sizeVersions: record.extensible.sizeVersions.map((v) => ({ name: v.name, value: v.value })),
    flags,
  };
}
