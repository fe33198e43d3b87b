// reserved-unchecked: a reserved member of a struct kernel code copies in, which that code never reads (so never checks).
import type { CType, Member } from '../c/ast';
import type { AnalyzedRecord, DocumentAnalysis } from '../document-analysis';
import type { StructCopy } from '../struct-copies';
import { recordTitle, type Finding } from './finding';
import { RESERVED_NAME } from './reserved-names';

/**
 * Each reserved member (`__reserved`, `pad`, `spare`...) of an extensible struct whose copying file (the .c file
 * calling copy_struct_from_user() on it) never names it: the kernel then accepts any value there, and no later kernel
 * can give those bytes a meaning, since programs already pass garbage in them. Documentation/process/
 * botching-up-ioctls.rst: "Check *all* unused fields and flags and all the padding for whether it's 0".
 */
export function reservedCheckFindings(analysis: DocumentAnalysis): Finding[] {
  const out: Finding[] = [];
  for (const record of analysis.records) {
    const copy = record.extensible.copy;
    if (!copy || !record.extensible.extensible || !record.decl.members) continue;
    for (const member of reservedMembers(record.decl.members)) {
      if (copy.membersNamed.has(member.name as string)) continue;
      out.push({ span: member.nameSpan ?? member.span, severity: 'warning', code: 'reserved-unchecked', message: message(record, member, copy) });
    }
  }
  return out;
}

function message(record: AnalyzedRecord, member: Member, copy: StructCopy): string {
  return (
    `'${member.name}' of ${recordTitle(record)} is never read in ${copy.path}, which copies it in with ${copy.call}() (line ${copy.line}): ` +
    'the kernel accepts any value there, so no later kernel can give it a meaning. Check that it is zero (-EINVAL otherwise)'
  );
}

/** The named members whose names say they are kept free, those of nested structs and unions too. */
function reservedMembers(members: readonly Member[], depth = 0): Member[] {
  const out: Member[] = [];
  for (const m of members) {
    if (m.name !== null && RESERVED_NAME.test(m.name)) out.push(m);
    const nested = recordMembers(m.type);
    if (nested && depth < 8) out.push(...reservedMembers(nested, depth + 1));
  }
  return out;
}

function recordMembers(type: CType): readonly Member[] | null {
  return type.kind === 'record' ? type.decl.members : null;
}
