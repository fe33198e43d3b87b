// What the kernel code copying an extensible struct in must check of it: reserved members zero (reserved-unchecked),
// flag words free of unknown bits (flags-unchecked). Read from that .c file as written.
import type { Member } from '../c/ast';
import type { AnalyzedRecord, DocumentAnalysis } from '../document-analysis';
import type { StructCopy } from '../struct-copies';
import { recordTitle, type Finding } from './finding';
import { RESERVED_NAME } from './reserved-names';

/** A member holding flags: `flags`, `sched_flags`, `newfd_flags`. */
const FLAGS_NAME = /(?:^|_)flags$/;

/**
 * For each extensible struct .c files copy in with copy_struct_from_user(), what none of those files checks:
 *
 * - each reserved member (`__reserved`, `pad`, `spare`...) the file never names: the kernel then accepts any value
 *   there, and no later kernel can give those bytes a meaning, since programs already pass garbage in them
 *   (Documentation/process/botching-up-ioctls.rst: "Check *all* unused fields and flags and all the padding for
 *   whether it's 0");
 * - each flags member the file never tests for unknown bits (`flags & ~VALID`): a bit this kernel does not know is
 *   then ignored, not refused, so a program cannot tell whether a later kernel's flag is supported
 *   (Documentation/process/adding-syscalls.rst: "check for unknown flags").
 *
 * bpf's tail checks are left out: the info structs they guard are filled by the kernel, not read from the program.
 */
export function copyCheckFindings(analysis: DocumentAnalysis): Finding[] {
  const out: Finding[] = [];
  for (const record of analysis.records) {
    const copy = record.extensible.copy;
    if (!copy || copy.checksTail || !record.extensible.extensible || !record.decl.members) continue;
    for (const member of namedMembers(record.decl.members)) {
      const name = member.name as string;
      const span = member.nameSpan ?? member.span;
      if (RESERVED_NAME.test(name) && !copy.membersNamed.has(name)) out.push({ span, severity: 'warning', code: 'reserved-unchecked', message: reservedMessage(record, name, copy) });
      else if (FLAGS_NAME.test(name) && !copy.maskedNames.has(name)) out.push({ span, severity: 'warning', code: 'flags-unchecked', message: flagsMessage(record, name, copy) });
    }
  }
  return out;
}

function copier(copy: StructCopy): string {
  const others = copy.alsoIn?.length ? `, nor in ${copy.alsoIn.join(', ')}, which ${copy.alsoIn.length === 1 ? 'copies' : 'copy'} it in too` : '';
  return `${copy.path}, which copies it in with ${copy.call}() (line ${copy.line})${others}`;
}

function reservedMessage(record: AnalyzedRecord, name: string, copy: StructCopy): string {
  return `'${name}' of ${recordTitle(record)} is never read in ${copier(copy)}: the kernel accepts any value there, so no later kernel can give it a meaning. Check that it is zero (-EINVAL otherwise)`;
}

function flagsMessage(record: AnalyzedRecord, name: string, copy: StructCopy): string {
  return (
    `'${name}' of ${recordTitle(record)} is never tested for unknown bits in ${copier(copy)}: a flag this kernel does not know is ignored, ` +
    `so a program cannot tell whether a later kernel's flag took effect. Refuse them: if (${name} & ~VALID_FLAGS) return -EINVAL`
  );
}

/** The named members, those of nested structs and unions too. */
function namedMembers(members: readonly Member[], depth = 0): Member[] {
  const out: Member[] = [];
  for (const m of members) {
    if (m.name !== null) out.push(m);
    const nested = m.type.kind === 'record' ? m.type.decl.members : null;
    if (nested && depth < 8) out.push(...namedMembers(nested, depth + 1));
  }
  return out;
}
