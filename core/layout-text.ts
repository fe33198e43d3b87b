// pahole-style text for layout results: each record with offsets and sizes, targets side by side where they differ.
import { type AnchoredHole, beforeField, type GapKind, hasMembers, holesAfter, holesByAnchor } from './hole-anchors';
import type { LayoutErrorJson, LayoutFieldJson, LayoutRecordJson, LayoutResult, TargetLayoutJson, TargetName } from './protocol';

function place(f: LayoutFieldJson | undefined): string {
  if (!f) return '-';
  if (f.bitWidth !== undefined) return `${Math.floor((f.bitOffset as number) / 8)}:${(f.bitOffset as number) % 8} ${f.bitWidth}b`;
  return `${f.offset} ${f.size}`;
}

/** Targets whose layouts of this record differ from the first one's. */
function differing(record: LayoutRecordJson, targets: TargetName[]): boolean {
  const [first, ...rest] = targets.map((t) => record.layouts[t]);
  return rest.some((l) => JSON.stringify(l) !== JSON.stringify(first));
}

/**
 * A member declared as C writes it, from its type text and name: `__u8 name[16]`, `struct s *next`, `int (*fn)(...)`,
 * `char (*rows)[4]`.
 */
export function declarationText(type: string, name: string): string {
  const nested = /\((\*+)\)/.exec(type);
  if (nested) return `${type.slice(0, nested.index)}(${nested[1]}${name})${type.slice(nested.index + nested[0].length)}`;
  const dims = firstTopLevelBracket(type);
  const base = dims < 0 ? type : type.slice(0, dims);
  const suffix = dims < 0 ? '' : type.slice(dims);
  return `${base}${base.endsWith('*') ? '' : ' '}${name}${suffix}`;
}

/** Where the array dimensions of a type text begin (the first `[` outside parentheses), or -1. */
function firstTopLevelBracket(type: string): number {
  let depth = 0;
  for (let i = 0; i < type.length; i++) {
    const c = type[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '[' && depth === 0) return i;
  }
  return -1;
}

/** The members' nesting: the record's when it says, else what the paths show (`outer.inner`). */
function depthsOf(record: LayoutRecordJson, fields: LayoutFieldJson[]): number[] {
  if (record.depths && record.depths.length === fields.length) return record.depths;
  return fields.map((f) => (f.path === null ? 0 : f.path.split('.').length - 1));
}

/** A line of a record's members: how deep it is indented, its text, and the field whose place it shows, if any. */
interface MemberLine {
  depth: number;
  text: string;
  field?: number;
  /** The `} name;` line of a record member (what follows it is shown after it; nothing is shown before it). */
  closing?: boolean;
}

function memberName(f: LayoutFieldJson): string {
  return f.path?.split('.').pop() ?? '';
}

function leafText(f: LayoutFieldJson): string {
  if (f.anonymous) return `${f.type} /* anonymous */`;
  // A member of an anonymous record type whose own members are not listed (an array of them, an empty one).
  const type = f.type.replace(/^(struct|union) \(anonymous\)/, '$1 {...}');
  return `${declarationText(type, memberName(f))}${f.bitWidth === undefined ? '' : `:${f.bitWidth}`};`;
}

/**
 * The members as pahole writes them: a member whose own members follow opens with `struct {` (or its type) and
 * closes with `} name;` carrying its offset and size, the members inside indented one step more.
 */
function memberLines(fields: LayoutFieldJson[], depths: number[]): MemberLine[] {
  const out: MemberLine[] = [];
  const open: number[] = [];
  const close = () => {
    const i = open.pop() as number;
    out.push({ depth: depths[i], text: fields[i].anonymous ? '};' : `} ${memberName(fields[i])};`, field: i, closing: true });
  };
  fields.forEach((f, i) => {
    while (open.length > 0 && depths[open[open.length - 1]] >= depths[i]) close();
    if (hasMembers(depths, i)) {
      out.push({ depth: depths[i], text: `${f.type.replace(/ \(anonymous\)$/, '')} {` });
      open.push(i);
    } else out.push({ depth: depths[i], text: leafText(f), field: i });
  });
  while (open.length > 0) close();
  return out;
}

function formatRecord(record: LayoutRecordJson): string[] {
  const targets = Object.keys(record.layouts) as TargetName[];
  const lines: string[] = [];
  const where = `${record.file}:${record.line}${record.extensible ? ', extensible' : ''}`;
  lines.push(`${record.typedef ? 'typedef ' : ''}${record.kind} ${record.typedef ? '' : record.name + ' '}{ /* ${where} */`);
  // An untagged record is known by its typedef name, which C writes after the closing brace.
  const closing = record.typedef ? `} ${record.name};` : '};';
  if (targets.length === 0) {
    lines.push('\t/* no layout on any target (see the errors) */', closing);
    return lines;
  }
  const split = targets.length > 1 && differing(record, targets);
  const columns = split ? targets : [targets[0]];
  const base = record.layouts[targets[0]] as TargetLayoutJson;
  const depths = depthsOf(record, base.fields);
  const members = memberLines(base.fields, depths);
  const width = Math.max(24, ...members.map((m) => m.text.length + m.depth * 8));
  // One column for all targets when the layouts are the same on each: its heading names them all.
  const headings = split ? columns.map((t) => t.padEnd(12)) : [targets.join(', ').padEnd(12)];
  lines.push(`\t${''.padEnd(width)} /* ${headings.join(' | ')} */`);
  const holes = columns.map((t) => {
    const l = record.layouts[t] as TargetLayoutJson;
    return holesByAnchor(l, depths);
  });
  const holeLines = (i: number, indent: string) => {
    for (const hole of holesAfter(columns, holes, i)) {
      const what = hole.kind === 'explicit' ? `${bytesText(hole.size)} padding: unnamed bit-fields` : `XXX ${bytesText(hole.size)} ${hole.kind}`;
      lines.push(`${indent}/* ${what}${hole.every ? '' : ` on ${hole.targets.join(', ')}`} */`);
    }
  };
  // A record of unnamed bit-fields only (bpf_timer) has no member to show its padding before.
  if (members.length === 0) holeLines(beforeField(0), '\t');
  for (const m of members) {
    const indent = '\t'.repeat(m.depth + 1);
    if (m.field === undefined) {
      lines.push(`${indent}${m.text}`);
      continue;
    }
    const i = m.field;
    if (!m.closing) holeLines(beforeField(i), indent);
    const cells = columns.map((t) => place(record.layouts[t]?.fields[i]).padEnd(12));
    lines.push(`${indent}${m.text.padEnd(width - m.depth * 8)} /* ${cells.join(' | ')} */`);
    holeLines(i, indent);
  }
  columns.forEach((t, c) => {
    const l = record.layouts[t] as TargetLayoutJson;
    const tail = l.tailPadding ? `, padding: ${l.tailPadding}` : '';
    lines.push(`\t/* ${split ? t + ': ' : ''}size: ${l.size}, align: ${l.align}, members: ${depths.filter((d) => d === 0).length}${gapSummary(holes[c])}${tail} */`);
  });
  lines.push(closing);
  return lines;
}

function bytesText(n: number): string {
  return `${n} byte${n === 1 ? '' : 's'}`;
}

const SUMMARY_NAMES: Record<GapKind, string> = { hole: 'holes', padding: 'paddings', explicit: 'explicit paddings' };

/**
 * What the lines shown between the members add up to, as pahole sums them up: holes, the tail padding of nested
 * records ("paddings"), and explicit padding.
 */
function gapSummary(anchored: Map<number, AnchoredHole[]>): string {
  const sums = new Map<GapKind, { count: number; bytes: number }>();
  for (const list of anchored.values()) {
    for (const { kind, size } of list) {
      const sum = sums.get(kind) ?? { count: 0, bytes: 0 };
      sum.count++;
      sum.bytes += size;
      sums.set(kind, sum);
    }
  }
  return (['hole', 'padding', 'explicit'] as const)
    .filter((kind) => sums.has(kind))
    .map((kind) => {
      const { count, bytes } = sums.get(kind) as { count: number; bytes: number };
      return `, ${SUMMARY_NAMES[kind]}: ${count} (${bytesText(bytes)})`;
    })
    .join('');
}

/** One record's text, with the blank line that follows it. */
export function formatRecordText(record: LayoutRecordJson): string {
  return formatRecord(record).map((line) => `${line}\n`).join('') + '\n';
}

export function formatErrorText(e: LayoutErrorJson): string {
  return `${e.file}:${e.line}:${e.column}: ${e.severity === 'information' ? 'note' : 'error'}: ${e.message}\n`;
}

export function formatLayoutText(result: LayoutResult): string {
  return result.records.map(formatRecordText).join('') + result.errors.map(formatErrorText).join('');
}
