// The rules that compare an extensible struct with its published version (the baseline): a member inserted before
// the published end, and any change to the published prefix (removed, reordered, retyped, renamed members).
import { LayoutError, type MemberLayout, type RecordLayout } from '../abi/layout';
import type { AnalyzedRecord, DocumentAnalysis } from '../document-analysis';
import { recordKey, type PublishedLayout, type PublishedMember, type PublishedRecord } from '../published-records';
import type { TargetName } from '../protocol';
import type { Span } from '../source';
import { recordTitle, targetList, type Finding, type FindingFix } from './finding';
import { closingBraceLine, wholeLines } from './fix-text';
import { RESERVED_NAME } from './reserved-names';


/**
 * Every finding on the document's extensible structs (extensible now or in the baseline) against the same structs of
 * `baseline` (matched by tag), the published version. Compared on each target both have; what differs on several is said once.
 */
export function publishedPrefixFindings(analysis: DocumentAnalysis, baseline: readonly PublishedRecord[]): Finding[] {
  const published = new Map(baseline.map((r) => [r.key, r]));
  const out = new Map<string, { finding: Finding; targets: TargetName[] }>();
  for (const record of analysis.records) {
    const old = published.get(recordKey(record));
    if (!old || !(record.extensible.extensible || record.extensible.appendOnly || old.extensible) || record.decl.incompleteBody) continue;
    for (const target of analysis.targets) {
      const now = layoutOn(record, target);
      const then = old.layouts[target];
      if (!now || !then) continue;
      for (const f of compare(record, now, then)) {
        const key = `${f.code}:${f.span.start}`;
        const seen = out.get(key);
        if (seen) seen.targets.push(target);
        else out.set(key, { finding: f, targets: [target] });
      }
    }
  }
  // Said once for every target it holds on (the figures are the first one's).
  return [...out.values()]
    .map(({ finding, targets }) => ({ ...finding, message: finding.message.replace(TARGETS, targetList(targets)) }))
    .sort((a, b) => a.span.start - b.span.start);
}

/** Where a message names the targets it holds on, filled in once every target was compared. */
const TARGETS = '\u0000targets';


function layoutOn(record: AnalyzedRecord, target: TargetName): RecordLayout | undefined {
  const layout = record.layouts.get(target);
  return layout && !(layout instanceof LayoutError) ? layout : undefined;
}

const nameOf = (m: MemberLayout): string => m.member.name ?? `(anonymous ${m.member.typeText})`;
const oldName = (m: PublishedMember): string => m.name ?? `(anonymous ${m.type})`;
const spanOf = (m: MemberLayout): Span => m.member.nameSpan ?? m.member.span;
const sameType = (a: MemberLayout, b: PublishedMember): boolean => a.member.typeText.replace(/\s+/g, ' ') === b.type.replace(/\s+/g, ' ');

/** Where a member lies: what both a member laid out now and a published one say. */
type Placed = Pick<PublishedMember, 'offset' | 'size' | 'bitOffset' | 'bitWidth'>;

/** The bits a member takes: [first, end). */
function bitRange(m: Placed): [number, number] {
  return m.bitWidth !== undefined ? [m.bitOffset as number, (m.bitOffset as number) + m.bitWidth] : [m.offset * 8, (m.offset + m.size) * 8];
}

/** Whether `m` lies within the bits of one of the `reserved` published members (a reserved field given a meaning). */
function withinReserved(m: Placed, reserved: PublishedMember[]): PublishedMember | undefined {
  const [from, to] = bitRange(m);
  return reserved.find((r) => {
    const [rFrom, rTo] = bitRange(r);
    return from >= rFrom && to <= rTo;
  });
}

/** One target's comparison: the struct now and as published, and what of it was matched so far. */
interface Comparison {
  record: AnalyzedRecord;
  what: string;
  now: RecordLayout;
  then: PublishedLayout;
  /** The published members whose names say they were kept free (`__reserved`, `pad`). */
  reserved: PublishedMember[];
  /** The members now that stand for a published one. */
  matched: Set<MemberLayout>;
  /** The index now of the last published member met so far. */
  lastIndex: number;
  out: Finding[];
}

/** The findings of one target: the published members walked in order against the members now, then the new ones. */
function compare(record: AnalyzedRecord, now: RecordLayout, then: PublishedLayout): Finding[] {
  const reserved = then.members.filter((m) => m.name !== null && RESERVED_NAME.test(m.name));
  const c: Comparison = { record, what: recordTitle(record), now, then, reserved, matched: new Set(), lastIndex: -1, out: [] };
  publishedMembers(c);
  newMembers(c);
  return c.out;
}

/** Each published member: there by name (moved? retyped?), at its place under another name, or gone. */
function publishedMembers(c: Comparison): void {
  const { now, then, what, reserved, matched, out } = c;
  const target = TARGETS;
  const byName = new Map(now.members.filter((m) => m.member.name !== null).map((m) => [m.member.name as string, m]));
  // An anonymous struct or union is the one in the same place among the anonymous ones (its own members may grow).
  const anonymousNow = now.members.filter((m) => m.member.name === null);
  const anonymousThen = then.members.filter((m) => m.name === null);
  for (const old of then.members) {
    const same = old.name !== null ? byName.get(old.name) : anonymousNow[anonymousThen.indexOf(old)];
    if (same) {
      matched.add(same);
      const index = now.members.indexOf(same);
      const changed = same.size !== old.size || same.offset !== old.offset || same.bitWidth !== old.bitWidth;
      // A reserved member that gave up some of its bytes or bits to new members, and kept the rest, is as meant.
      const shrunk = reserved.includes(old) && withinReserved(same, [old]) !== undefined;
      if (index < c.lastIndex) {
        out.push(finding(same, 'error', 'member-reordered', `'${nameOf(same)}' of ${what} moved before a member published ahead of it (now at ${same.offset}, published at ${old.offset}) on ${target}: userspace built against the published struct reads the wrong bytes`));
      } else if (changed && !shrunk && (!sameType(same, old) || same.size !== old.size || same.bitWidth !== old.bitWidth)) {
        out.push(finding(same, 'error', 'member-retyped', `'${nameOf(same)}' of ${what} was ${old.type} (${old.size} bytes at ${old.offset}) and is now ${same.member.typeText} (${same.size} bytes at ${same.offset}) on ${target}: the published layout changed`));
      }
      c.lastIndex = Math.max(c.lastIndex, index);
      continue;
    }
    // Not there by name: the member at the same place, of the same size, is the same bytes under another name.
    const inPlace = now.members.find((m) => !matched.has(m) && m.offset === old.offset && m.size === old.size && m.bitWidth === old.bitWidth && !then.members.some((t) => t.name !== null && t.name === m.member.name));
    if (inPlace) {
      matched.add(inPlace);
      c.lastIndex = Math.max(c.lastIndex, now.members.indexOf(inPlace));
      out.push(
        reserved.includes(old)
          ? consumed(inPlace, old, what, target)
          : finding(inPlace, 'warning', 'member-renamed', `'${nameOf(inPlace)}' of ${what} was published as '${old.name ?? '(anonymous)'}' on ${target}: the bytes are the same, but code that names the member no longer builds`),
      );
      continue;
    }
    // A reserved member that new members now fill entirely is consumed, not removed (said at each new member).
    if (reserved.includes(old) && now.members.some((m) => !matched.has(m) && withinReserved(m, [old]))) continue;
    out.push({ span: c.record.decl.nameSpan, severity: 'error', code: 'member-removed', message: `'${oldName(old)}' of ${what} (${old.size} bytes at ${old.offset}) was published and is gone on ${target}: userspace that sets it now sets whatever took its bytes` });
  }
}

/** Each member now that stands for none published: in reserved bytes, inserted before the published end, or appended. */
function newMembers(c: Comparison): void {
  const { now, then, what, out } = c;
  const target = TARGETS;
  const appended: MemberLayout[] = [];
  now.members.forEach((m, index) => {
    if (c.matched.has(m)) return;
    const inReserved = withinReserved(m, c.reserved);
    if (inReserved) out.push(consumed(m, inReserved, what, target));
    else if (index < c.lastIndex && m.offset < then.size) {
      const next = now.members.slice(index + 1).find((n) => c.matched.has(n));
      const inserted = finding(m, 'error', 'non-tail-insertion', `'${nameOf(m)}' is inserted into the published part of ${what}${next ? `, before '${nameOf(next)}'` : ''} on ${target}: every member after it moves, and userspace built against the published struct passes its values in the wrong places. Add new members only at the tail, after '${oldName(then.members[then.members.length - 1])}'`);
      const fix = moveToTail(c.record, m);
      if (fix) inserted.fixes = [fix];
      out.push(inserted);
    } else if (m.offset >= then.size) appended.push(m);
  });
  out.push(...unalignedExtension(appended, now, what, target));
}

/**
 * unaligned-extension: what a version appends starts off an 8-byte boundary, or leaves the struct's size off one (the
 * kernel's rule for clone_args: "properly 64bit aligned"). Two __u32 that make up 8 bytes, as sched_attr's
 * sched_util_min and sched_util_max do, are fine.
 */
function unalignedExtension(appended: MemberLayout[], now: RecordLayout, what: string, target: string): Finding[] {
  if (appended.length === 0) return [];
  const first = appended[0];
  if (first.offset % 8 !== 0) {
    return [finding(first, 'warning', 'unaligned-extension', `'${nameOf(first)}' extends ${what} at offset ${first.offset} on ${target}, not a multiple of 8: start each version's members on an 8-byte boundary (an explicit reserved member before it) so a __u64 among them needs no hole`)];
  }
  if (now.size % 8 !== 0) {
    const last = appended[appended.length - 1];
    return [finding(last, 'warning', 'unaligned-extension', `${what} now ends at ${now.size} on ${target}, not a multiple of 8: fill the version to an 8-byte boundary with an explicit reserved member so the next version starts aligned`)];
  }
  return [];
}

function consumed(m: MemberLayout, old: PublishedMember, what: string, target: string): Finding {
  return finding(m, 'information', 'reserved-field-consumed', `'${nameOf(m)}' of ${what} takes bytes of the reserved '${old.name}' on ${target}: fine where the kernel rejected non-zero values there, so that old kernels refuse the new meaning`);
}

function finding(m: MemberLayout, severity: Finding['severity'], code: string, message: string): Finding {
  return { span: spanOf(m), severity, code, message };
}

/** Moves the lines of member `m` to just before the record's closing brace (when it has lines of its own). */
function moveToTail(record: AnalyzedRecord, m: MemberLayout): FindingFix | undefined {
  const lines = wholeLines(m.member.span);
  const brace = closingBraceLine(record.decl);
  if (!lines || !brace) return undefined;
  const text = lines.file.text.slice(lines.start, lines.end);
  return { title: `Move '${nameOf(m)}' to the tail of ${recordTitle(record)}`, edits: [{ span: lines, newText: '' }, { span: brace, newText: text.endsWith('\n') ? text : `${text}\n` }] };
}
