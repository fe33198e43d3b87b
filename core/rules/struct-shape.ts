// The rules one version of an extensible struct answers: implicit padding, arch-dependent types, layouts that differ
// between targets, a flexible array before other members, and *_SIZE_VER<n> values that do not fit the struct.
import { LayoutError, type MemberLayout, type RecordLayout } from '../abi/layout';
import type { CType, Member } from '../c/ast';
import type { AnalyzedRecord, DocumentAnalysis } from '../document-analysis';
import { isFlexibleArray, memberEnds, type SizeVersion } from '../extensible';
import type { TargetName } from '../protocol';
import type { Span } from '../source';
import { recordTitle, targetList, type Finding, type FindingFix } from './finding';
import { afterLine, closingBraceLine, indentOf, wholeLines } from './fix-text';

/** The record's layout on each target that has one. */
function layoutsOf(record: AnalyzedRecord): [TargetName, RecordLayout][] {
  return [...record.layouts].filter((e): e is [TargetName, RecordLayout] => !(e[1] instanceof LayoutError));
}

/** Why a struct that is not extensible is judged: it is new in a UAPI header, the one time its layout can change. */
const NEW_UAPI_NOTE = ' — the struct is new in this UAPI header, so its layout can still be fixed; once released it cannot';

/**
 * Every finding of these rules on the document's extensible structs, and on `added`: structs new in a UAPI header
 * (any struct userspace will share with the kernel should need no compat path and leave no byte unnamed).
 */
export function structShapeFindings(analysis: DocumentAnalysis, added: ReadonlySet<AnalyzedRecord> = new Set()): Finding[] {
  const out: Finding[] = [];
  const unit = analysis.units.get(analysis.targets[0]);
  // Whether a fix may name a macro (`__aligned_u64`): the file sees linux/types.h's.
  const defined = (name: string) => unit?.pp.macros.get(name) !== undefined;
  for (const record of analysis.records) {
    const extensible = record.extensible.extensible;
    if ((!extensible && !added.has(record)) || record.decl.incompleteBody) continue;
    const layouts = layoutsOf(record);
    if (layouts.length === 0) continue;
    const found = [...implicitPadding(record, layouts), ...compatLayout(record, layouts, defined), ...archDependentTypes(record, defined), ...flexibleArrayNotLast(record), ...sizeVersions(record, layouts)];
    out.push(...(extensible ? found : found.map((f) => ({ ...f, message: f.message + NEW_UAPI_NOTE }))));
  }
  return out;
}



function memberSpan(record: AnalyzedRecord, name: string | null): Span {
  const member = name === null ? undefined : record.decl.members?.find((m) => m.name === name);
  return member?.span ?? record.decl.nameSpan;
}

/**
 * implicit-padding: a hole, or tail padding, the compiler adds. Userspace leaves whatever was on its stack there: a
 * kernel that checks those bytes (bpf's CHECK_ATTR, memchr_inv() past the command's last field) refuses the call, one
 * that does not accepts garbage it can never give a meaning; each is shown once, with the targets that have it.
 */
function implicitPadding(record: AnalyzedRecord, layouts: [TargetName, RecordLayout][]): Finding[] {
  // By place: after a named member, before the first (after: null), or at the tail (after: undefined).
  const gaps = new Map<string, { span: Span; what: string; after: string | null | undefined; sizes: number[]; texts: string[] }>();
  const note = (key: string, span: Span, what: string, after: string | null | undefined, size: number, target: TargetName) => {
    const gap = gaps.get(key) ?? { span, what, after, sizes: [], texts: [] };
    gap.sizes.push(size);
    gap.texts.push(`${size} byte${size === 1 ? '' : 's'} on ${target}`);
    gaps.set(key, gap);
  };
  for (const [target, layout] of layouts) {
    for (const hole of layout.holes) note(`hole:${hole.after}`, memberSpan(record, hole.after), `a hole ${hole.after === null ? 'before its first member' : `after '${hole.after}'`}`, hole.after, hole.size, target);
    if (layout.tailPadding > 0) note('tail', record.decl.nameSpan, 'tail padding', undefined, layout.tailPadding, target);
  }
  return [...gaps.values()].map((gap) => {
    const finding: Finding = {
      span: gap.span,
      severity: 'warning',
      code: 'implicit-padding',
      message: `${recordTitle(record)} has ${gap.what} (${targetList(gap.texts)}): a program that sets the members one by one leaves stack garbage in bytes no member names, so a kernel that checks them refuses its call (bpf's CHECK_ATTR does) and one that does not can never give them a meaning. Make it an explicit member (__u8 __reserved[N], checked to be zero)`,
    };
    // The same bytes on every target: one explicit member fills them all.
    const same = gap.sizes.length === layouts.length && gap.sizes.every((n) => n === gap.sizes[0]);
    const fix = same && gap.after !== null ? explicitPadding(record, gap.after, gap.sizes[0]) : undefined;
    if (fix) finding.fixes = [fix];
    return finding;
  });
}

/** A member of `size` bytes written on the line after the member `after` (undefined: before the closing brace). */
function explicitPadding(record: AnalyzedRecord, after: string | undefined, size: number): FindingFix | undefined {
  const members = record.decl.members ?? [];
  const member = after === undefined ? undefined : members.find((m) => m.name === after);
  const lines = member && wholeLines(member.span);
  const at = after === undefined ? closingBraceLine(record.decl) : lines && { file: lines.file, start: lines.end, end: lines.end };
  const like = member ?? members[members.length - 1];
  if (!at || !like) return undefined;
  const name = `__reserved_${after ?? 'tail'}`;
  const declaration = size === 1 || size === 2 || size === 4 || size === 8 ? `__u${size * 8} ${name};` : `__u8 ${name}[${size}];`;
  return { title: `Insert ${declaration} (explicit padding, checked to be zero)`, edits: [{ span: at, newText: `${indentOf(like.span)}${declaration}\n` }] };
}

/** compat-layout: the size or a member's offset differs between targets (a 32-bit process passes another struct). */
function compatLayout(record: AnalyzedRecord, layouts: [TargetName, RecordLayout][], defined: (name: string) => boolean): Finding[] {
  if (layouts.length < 2) return [];
  const [[firstTarget, first], ...rest] = layouts;
  for (const [target, layout] of rest) {
    const padded: MemberDifference[] = [];
    const differs = firstDifference(first.members, layout.members, TOP, true, padded);
    if (!differs && layout.size === first.size) continue;
    const sizes = `${recordTitle(record)} is ${first.size} bytes on ${firstTarget} and ${layout.size} on ${target}`;
    const fixes = withFixes(alignedSixtyFourFixes(layouts, defined));
    if (!differs && record.extensible.extensible) return [{ span: record.decl.nameSpan, severity: 'information', code: 'compat-layout', message: `${sizes}${TAIL_ONLY}`, ...fixes }];
    const moved = differs ?? padded[0];
    const where = moved ? `; '${moved.path}' is at ${moved.offsets[0]} (${moved.sizes[0]} bytes) on ${firstTarget} and at ${moved.offsets[1]} (${moved.sizes[1]} bytes) on ${target}` : '';
    return [
      {
        span: moved ? moved.member.span : record.decl.nameSpan,
        severity: 'warning',
        code: 'compat-layout',
        message: `${sizes}${where}: a 32-bit process passes another layout, which needs a compat path. Use fixed-size types (__u32, __aligned_u64) so every ABI agrees`,
        ...fixes,
      },
    ];
  }
  return [];
}

/**
 * An extensible struct whose size differs and no member's place (its own tail padding, or a last nested record's):
 * the kernel is told the caller's size, and takes the shorter struct as an older version whose tail is zero.
 */
const TAIL_ONLY =
  ', by its tail padding alone: every member lies at the same offset, and a kernel told the caller\'s size (copy_struct_from_user(), drm_ioctl()) reads the shorter one as an older version, its tail zero. ' +
  'Where the size is encoded in an ioctl number (_IOW()) that number differs too; drm_ioctl() ignores it';

/** A member laid out differently on two targets: its designator, and its offsets (from the outer record) and sizes. */
interface MemberDifference {
  member: Member;
  path: string;
  offsets: [number, number];
  sizes: [number, number];
}

/** Where a walk over two targets' members is: where their record starts in the outer one on each, and its designator. */
interface Place {
  bases: [number, number];
  path: string;
}

const TOP: Place = { bases: [0, 0], path: '' };

/**
 * The first of two targets' members laid out differently. A member differs where its offset does; a nested record
 * where one of its members does; any other member where its size does, when `sizes` counts.
 *
 * A nested record whose size differs only by its own tail padding (bpf_attr's `raw_tracepoint`, `{ __u64; __u32; }`:
 * 16 bytes on x86_64, 12 on i386) moves no byte a member names: where that changes anything, the next member's offset
 * or the record's size says so. Such records go to `padded` (the place to show when the record's size differs and
 * nothing else does). Inside a nested record of the same size on both, a member's size is left to
 * arch-dependent-type (a pointer in `__bpf_md_ptr`'s union); where it moves another member, that one's offset differs.
 */
function firstDifference(a: MemberLayout[], b: MemberLayout[], place: Place, sizes: boolean, padded: MemberDifference[]): MemberDifference | undefined {
  for (let i = 0; i < a.length && i < b.length; i++) {
    const [x, y] = [a[i], b[i]];
    const path = x.member.name === null ? place.path : place.path === '' ? x.member.name : `${place.path}.${x.member.name}`;
    const here = (): MemberDifference => ({ member: x.member, path: path || '(anonymous)', offsets: [place.bases[0] + x.offset, place.bases[1] + y.offset], sizes: [x.size, y.size] });
    if (x.offset !== y.offset || x.bitOffset !== y.bitOffset || x.bitWidth !== y.bitWidth) return here();
    if (x.nested && y.nested && x.nested.members.length === y.nested.members.length) {
      const inner: Place = { bases: [place.bases[0] + x.offset, place.bases[1] + y.offset], path };
      const found = firstDifference(x.nested.members, y.nested.members, inner, x.size !== y.size, padded);
      if (found) return found;
      if (x.size !== y.size) padded.push(here());
    } else if (sizes && x.size !== y.size) return here();
  }
  return undefined;
}

/** A 64-bit integer type's 8-byte-aligned form in linux/types.h, by the type's written name. */
const ALIGNED_64: Record<string, string> = {
  __u64: '__aligned_u64',
  __s64: '__aligned_s64',
  __be64: '__aligned_be64',
  __le64: '__aligned_le64',
  'unsigned long long': '__aligned_u64',
  'long long': '__aligned_s64',
  uint64_t: '__aligned_u64',
  int64_t: '__aligned_s64',
};

/**
 * The fix of a compat layout the i386 ABI makes (a 64-bit integer aligned to 4 there): each member (nested ones too) of such a
 * type whose alignment differs between the targets declared with linux/types.h's 8-byte-aligned form instead.
 */
function alignedSixtyFourFixes(layouts: [TargetName, RecordLayout][], defined: (name: string) => boolean): FindingFix[] {
  const [[, first], ...rest] = layouts;
  const members = new Set<Member>();
  collectMisaligned(first.members, rest.map(([, l]) => l.members), members);
  const fixes = [...members].flatMap((m) => {
    const aligned = ALIGNED_64[m.typeText.trim()];
    return aligned && defined(aligned) ? (retype(m, aligned) ?? []) : [];
  });
  if (fixes.length <= 1) return fixes;
  return [{ title: `Declare the ${fixes.length} 64-bit members 8-byte aligned on every ABI (__aligned_u64 and kin)`, edits: fixes.flatMap((f) => f.edits) }];
}

/** The members (those of nested records too, each once) whose alignment differs between the first targets' and the others'. */
function collectMisaligned(first: MemberLayout[], others: MemberLayout[][], into: Set<Member>): void {
  first.forEach((m, i) => {
    const peers = others.map((o) => o[i]);
    if (m.nested && peers.every((p) => p?.nested)) collectMisaligned(m.nested.members, peers.map((p) => p.nested!.members), into);
    else if (peers.some((p) => p && p.align !== m.align)) into.add(m.member);
  });
}

/** Fixes on a finding, when there are any (a finding without fixes has no `fixes` property). */
function withFixes(fixes: FindingFix[]): { fixes?: FindingFix[] } {
  return fixes.length > 0 ? { fixes } : {};
}

/**
 * The member declared with `type` instead of the type written before its name; undefined where that text is not a
 * plain type (another declarator before it, a function pointer, an inline body, a macro's expansion).
 */
function retype(member: Member, type: string): FindingFix | undefined {
  const name = member.nameSpan;
  if (!name || name.file !== member.span.file || name.start < member.span.start) return undefined;
  const written = member.span.file.text.slice(member.span.start, name.start);
  if (!/^[\w\s*]+$/.test(written)) return undefined;
  return { title: `Declare '${member.name}' as ${type}`, edits: [{ span: { file: name.file, start: member.span.start, end: name.start }, newText: `${type} ` }] };
}

const LIBC_TYPES = /^(u?int(8|16|32|64)_t|size_t|ssize_t|ptrdiff_t|u?intptr_t|off_t|time_t|pid_t|uid_t|gid_t)$/;
/** The libc types whose size is the same on every ABI: only where they come from is wrong in a UAPI header. */
const FIXED_LIBC = /^u?int(8|16|32|64)_t$/;

function libcNote(name: string): string {
  const own = name.replace(/^uint(\d+)_t$/, '__u$1').replace(/^int(\d+)_t$/, '__s$1');
  return FIXED_LIBC.test(name) ? `, a libc type: a UAPI header cannot count on <stdint.h> (use ${own})` : ', a libc type whose size the ABI decides (use __u32, __u64 or a __kernel_* type)';
}

/** Why a type's size or alignment depends on the ABI, or undefined when it does not (arrays by their element). */
function archDependence(type: CType, depth = 0): string | undefined {
  if (depth > 64) return undefined;
  switch (type.kind) {
    case 'pointer':
      return 'a pointer (8 bytes on 64-bit ABIs, 4 on 32-bit ones; pass it as __aligned_u64 and read it with u64_to_user_ptr())';
    case 'base':
      if (type.name === 'long' || type.name === 'unsigned long') return `'${type.name}' (8 bytes on 64-bit ABIs, 4 on 32-bit ones)`;
      if (type.name === '_Bool') return "'_Bool' (its size is the ABI's choice)";
      return undefined;
    case 'enum':
      return 'an enum (its size is the compiler\'s choice; use __u32)';
    case 'typedef':
      if (LIBC_TYPES.test(type.decl.name)) return `'${type.decl.name}'${libcNote(type.decl.name)}`;
      return archDependence(type.decl.type, depth + 1);
    case 'array':
      return archDependence(type.of, depth + 1);
    case 'attributed':
      return archDependence(type.of, depth + 1);
    default:
      return undefined;
  }
}

/** What a member of an arch-dependent type is declared as instead (linux/types.h's types), or undefined. */
function fixedType(type: CType, defined: (name: string) => boolean): string | undefined {
  const via = (name: string) => (defined(name) ? name : undefined);
  switch (type.kind) {
    case 'pointer':
      return via('__aligned_u64');
    case 'base':
      if (type.name === 'unsigned long') return via('__aligned_u64');
      if (type.name === 'long') return via('__aligned_s64');
      if (type.name === '_Bool') return via('__aligned_u64') && '__u8';
      return undefined;
    case 'enum':
      return via('__aligned_u64') && '__u32';
    case 'typedef': {
      const name = type.decl.name;
      if (name === 'size_t' || name === 'uintptr_t') return via('__aligned_u64');
      if (name === 'ssize_t' || name === 'ptrdiff_t' || name === 'intptr_t') return via('__aligned_s64');
      const fixed = /^(u?)int(8|16|32|64)_t$/.exec(name);
      return fixed ? via('__aligned_u64') && `__${fixed[1] ? 'u' : 's'}${fixed[2]}` : undefined;
    }
    case 'array':
      return fixedType(type.of, defined);
    default:
      return undefined;
  }
}

/** A type of 64 bits on every ABI (__u64, long long), or an unnamed `:64` bit-field: what keeps a union 8 bytes wide. */
function sixtyFourBitsEverywhere(member: Member): boolean {
  if (member.bitWidth !== null) return member.name === null && member.bitWidth.kind === 'int' && member.bitWidth.value === 64n;
  let type = member.type;
  for (let i = 0; i < 64 && (type.kind === 'typedef' || type.kind === 'attributed'); i++) type = type.kind === 'typedef' ? type.decl.type : type.of;
  return type.kind === 'base' && (type.name === 'long long' || type.name === 'unsigned long long');
}

/**
 * arch-dependent-type: a member of a type whose size or alignment an ABI decides (anonymous members' members too). One
 * in an anonymous union that a 64-bit member keeps 8 bytes wide (bpf.h's __bpf_md_ptr) leaves the layout alone, but a
 * 32-bit process still sets only 4 of those bytes: said so, not that the layout differs (compat-layout says where it does).
 */
function archDependentTypes(record: AnalyzedRecord, defined: (name: string) => boolean): Finding[] {
  const out: Finding[] = [];
  const visit = (members: Member[], widened: boolean) => {
    for (const member of members) {
      if (member.type.kind === 'record' && member.name === null && member.type.decl.members) {
        const inner = member.type.decl.members;
        visit(inner, member.type.decl.kind === 'union' && inner.some((m) => sixtyFourBitsEverywhere(m)));
        continue;
      }
      const why = archDependence(member.type);
      if (!why) continue;
      // uint32_t is the same everywhere: said, not warned about (fuse.h uses them on purpose, for other kernels).
      const fixedSize = FIXED_LIBC.test(why.slice(1, why.indexOf("'", 1)));
      const effect = fixedSize ? '' : widened ? ": a 64-bit member keeps the union 8 bytes wide, but a 32-bit process sets only 4 of them" : ': its layout differs between ABIs';
      out.push({
        span: member.nameSpan ?? member.span,
        severity: fixedSize ? 'information' : 'warning',
        code: 'arch-dependent-type',
        message: `'${member.name ?? member.typeText}' of ${recordTitle(record)} is ${why}${effect}`,
        ...withFixes([fixedType(member.type, defined)].flatMap((type) => (type && retype(member, type)) || [])),
      });
    }
  };
  visit(record.decl.members ?? [], false);
  return out;
}

/** flexible-array-not-last: members after a flexible (or zero-length) array, which the struct cannot grow past anyway. */
function flexibleArrayNotLast(record: AnalyzedRecord): Finding[] {
  const members = record.decl.members ?? [];
  const at = members.findIndex(isFlexibleArray);
  if (at < 0 || at === members.length - 1) return [];
  const flexible = members[at];
  const tail = record.extensible.extensible ? ', and an extensible struct can only grow at its tail, which this array already takes' : '';
  return [
    {
      span: flexible.nameSpan ?? flexible.span,
      severity: 'error',
      code: 'flexible-array-not-last',
      message: `'${flexible.name}' of ${recordTitle(record)} is a flexible array with ${members.length - at - 1} member(s) after it: they overlap its elements${tail}`,
      related: [{ span: members[at + 1].span, message: 'the first member after it' }],
    },
  ];
}

/**
 * size-ver-mismatch: a `*_SIZE_VER<n>` value that is no member's end, does not grow with n, or (the newest) is more
 * than the struct's size; size-ver-missing: the struct is larger than the newest version; unaligned-extension: a version size that is not a multiple of 8 (the next member would be misaligned
 * for a __u64).
 */
function sizeVersions(record: AnalyzedRecord, layouts: [TargetName, RecordLayout][]): Finding[] {
  const versions = record.extensible.sizeVersions;
  if (versions.length === 0) return [];
  const out: Finding[] = [];
  const at = (v: (typeof versions)[number]): Span => ({ file: v.macro.file!, start: v.macro.start, end: v.macro.end });
  const [target, layout] = layouts[0];
  const ends = memberEnds(layout);
  versions.forEach((v, i) => {
    if (!v.macro.file) return;
    if (!ends.has(v.value)) out.push({ span: at(v), severity: 'error', code: 'size-ver-mismatch', message: `${v.name} is ${v.value}, which is no member's end in ${recordTitle(record)} on ${target}: a struct cut there splits a member` });
    if (i > 0 && v.value <= versions[i - 1].value) out.push({ span: at(v), severity: 'error', code: 'size-ver-mismatch', message: `${v.name} is ${v.value}, not more than ${versions[i - 1].name} (${versions[i - 1].value}): each version must be larger than the one before` });
    if (v.value % 8 !== 0) out.push({ span: at(v), severity: 'warning', code: 'unaligned-extension', message: `${v.name} is ${v.value}, not a multiple of 8: a __u64 added after it would need padding first` });
  });
  const newest = versions[versions.length - 1];
  const sizes = layouts.filter(([, l]) => l.size !== newest.value);
  if (newest.macro.file && sizes.length > 0) {
    const sizeText = targetList(sizes.map(([t, l]) => `${l.size} bytes on ${t}`));
    const grew = sizes[0][1].size > newest.value;
    out.push({
      span: at(newest),
      severity: 'error',
      // Grown past the newest version: the new size was never published (size-ver-missing); else the numbers disagree.
      code: grew ? 'size-ver-missing' : 'size-ver-mismatch',
      fixes: grew && sizes.every(([, l]) => l.size === sizes[0][1].size) ? [nextVersion(newest, sizes[0][1].size)] : undefined,
      message: grew
        ? `${recordTitle(record)} grew to ${sizeText} past ${newest.name} (${newest.value}), the newest published size: add #define ${newest.name.replace(/\d+$/, '')}${newest.n + 1} ${sizes[0][1].size}`
        : `${newest.name} (the newest) is ${newest.value} but ${recordTitle(record)} is ${sizeText}: the newest version must be the struct's size`,
      related: [{ span: record.decl.nameSpan, message: recordTitle(record) }],
    });
  }
  return out;
}

/** `#define PREFIX_SIZE_VER<n+1> <size>` on the line after the newest version, written as that line writes its own. */
function nextVersion(newest: SizeVersion, size: number): FindingFix {
  const file = newest.macro.file!;
  const name = `${newest.name.replace(/\d+$/, '')}${newest.n + 1}`;
  const gap = /^[ \t]+/.exec(file.text.slice(newest.macro.end))?.[0] ?? ' ';
  const line = `#define ${name}${gap}${size}`;
  return { title: `Add ${line.replace(/\s+/g, ' ')}`, edits: [{ span: afterLine(file, newest.macro.end), newText: `${line}\n` }] };
}
