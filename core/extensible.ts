// Decides which records are extensible syscall argument structs: by `sysarg:` annotation or by evidence in the file.
import { LayoutError, type RecordLayout } from './abi/layout';
import type { RecordDecl } from './c/ast';
import type { MacroDef } from './c/macro';
import type { SourceCache } from './c/source-cache';
import type { Comment } from './c/token';
import { emptyList } from './empty';
import type { TargetUnit } from './front-end';
import { macroValue } from './macro-values';
import type { Span } from './source';
import type { CopiedStructs } from './struct-copies';

export interface SizeVersion {
  name: string;
  n: number;
  value: number;
  macro: MacroDef;
}

export interface Annotation {
  kind: 'extensible' | 'fixed';
  sizeMacro?: string;
  since?: string;
  span: Span;
}

export interface ExtensibleInfo {
  extensible: boolean;
  /** Why: the annotation or each piece of evidence, in words. */
  reasons: string[];
  annotation?: Annotation;
  /** The struct's `PREFIX_SIZE_VER<n>` family, by n. */
  sizeVersions: SizeVersion[];
  sizeMacroPrefix?: string;
}

const ANNOTATION = /sysarg:\s*(extensible|fixed)\b([^\n*]*)/;
const SIZE_VER = /^(\w+)_SIZE_VER(\d+)$/;
const KERNEL_DOC_EVIDENCE = /versioned by (?:its )?size|\bextensible\b/i;

/**
 * Classifies every record defined (with a body) in the unit's root file; `copied`: the structs kernel code copies in
 * with copy_struct_from_user() (in the .c files of the workspace or of the run), by tag.
 */
export function classifyRecords(unit: TargetUnit, cache: SourceCache, records: RecordDecl[], copied?: CopiedStructs): Map<RecordDecl, ExtensibleInfo> {
  const families = sizeVersionFamilies(unit, cache);
  const comments = unit.root.lexed.comments;
  const out = new Map<RecordDecl, ExtensibleInfo>();
  const claimed = assignFamilies(unit, records, families);
  for (const decl of records) {
    const info: ExtensibleInfo = { extensible: false, reasons: emptyList(), sizeVersions: emptyList() };
    const comment = commentBefore(comments, unit.root.file.text, decl.span.start);
    const annotation = comment ? parseAnnotation(comment, unit) : undefined;
    const family = claimed.get(decl);
    if (annotation?.sizeMacro) {
      const named = families.get(annotation.sizeMacro.replace(/_SIZE_VER$/, ''));
      if (named) {
        info.sizeVersions = named;
        info.sizeMacroPrefix = annotation.sizeMacro.replace(/_SIZE_VER$/, '');
      }
    } else if (family) {
      info.sizeVersions = family.versions;
      info.sizeMacroPrefix = family.prefix;
    }
    if (annotation) {
      info.annotation = annotation;
      info.extensible = annotation.kind === 'extensible';
      info.reasons.push(`annotated 'sysarg: ${annotation.kind}'`);
      out.set(decl, info);
      continue;
    }
    if (family) info.reasons.push(`${family.prefix}_SIZE_VER<n> values fall on member ends`);
    if (comment && KERNEL_DOC_EVIDENCE.test(comment.text)) info.reasons.push('its comment says it is extensible / versioned by size');
    const copy = decl.tag !== null && decl.kind === 'struct' ? copied?.get(decl.tag) : undefined;
    if (copy) info.reasons.push(`kernel code copies it in with ${copy.call}() (${copy.path}:${copy.line})`);
    if (leadingSizeMember(decl)) info.reasons.push("its first member is 'size' (the RFC's and sched_attr's convention)");
    info.extensible = info.reasons.length > 0;
    out.set(decl, info);
  }
  return out;
}

/** `PREFIX_SIZE_VER<n>` macros defined in the root file, by prefix, sorted by n. */
function sizeVersionFamilies(unit: TargetUnit, cache: SourceCache): Map<string, SizeVersion[]> {
  const families = new Map<string, SizeVersion[]>();
  for (const macro of unit.pp.definitions) {
    if (macro.file !== unit.root.file || !macro.name.includes('_SIZE_VER')) continue;
    const m = SIZE_VER.exec(macro.name);
    if (!m) continue;
    const value = macroValue(unit, cache, macro);
    if (value === undefined) continue;
    const list = families.get(m[1]) ?? [];
    const n = Number(m[2]);
    const existing = list.findIndex((v) => v.n === n);
    const entry = { name: macro.name, n, value: Number(value), macro };
    if (existing >= 0) list[existing] = entry;
    else list.push(entry);
    families.set(m[1], list);
  }
  for (const list of families.values()) list.sort((a, b) => a.n - b.n);
  return families;
}

/** Gives each SIZE_VER family to one struct: the one named like the prefix, else the nearest whose member ends fit. */
function assignFamilies(unit: TargetUnit, records: RecordDecl[], families: Map<string, SizeVersion[]>): Map<RecordDecl, { prefix: string; versions: SizeVersion[] }> {
  const out = new Map<RecordDecl, { prefix: string; versions: SizeVersion[] }>();
  for (const [prefix, versions] of families) {
    const byName = records.find((r) => r.tag && r.tag.toUpperCase() === prefix);
    if (byName) {
      out.set(byName, { prefix, versions });
      continue;
    }
    const at = versions[0].macro.start;
    const fitting = records
      .filter((r) => r.kind === 'struct' && fitsMemberEnds(unit, r, versions))
      .sort((a, b) => Math.abs(a.span.start - at) - Math.abs(b.span.start - at));
    if (fitting[0] && !out.has(fitting[0])) out.set(fitting[0], { prefix, versions });
  }
  return out;
}

function fitsMemberEnds(unit: TargetUnit, decl: RecordDecl, versions: SizeVersion[]): boolean {
  const layout = unit.engine.layout(decl);
  if (layout instanceof LayoutError) return false;
  const ends = memberEnds(layout);
  return versions.every((v) => ends.has(v.value));
}

/** Byte offsets where a top-level member ends (the sizes a versioned struct can be cut at). */
export function memberEnds(layout: RecordLayout): Set<number> {
  const ends = new Set<number>();
  for (const m of layout.members) ends.add(m.bitWidth !== undefined ? Math.ceil(((m.bitOffset as number) + m.bitWidth) / 8) : m.offset + m.size);
  ends.add(layout.size);
  return ends;
}

function leadingSizeMember(decl: RecordDecl): boolean {
  const first = decl.members?.[0];
  return first?.name === 'size' && first.bitWidth === null && first.type.kind !== 'array' && first.type.kind !== 'pointer';
}

/** The comment that ends right before `start`, with only whitespace (or `typedef`) between. */
export function commentBefore(comments: Comment[], text: string, start: number): Comment | undefined {
  let lo = 0;
  let hi = comments.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (comments[mid].end <= start) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0) return undefined;
  const between = text.slice(comments[found].end, start);
  return /^\s*(typedef\s+)?$/.test(between) ? comments[found] : undefined;
}

function parseAnnotation(comment: Comment, unit: TargetUnit): Annotation | undefined {
  const m = ANNOTATION.exec(comment.text);
  if (!m) return undefined;
  const start = comment.start + m.index;
  const annotation: Annotation = { kind: m[1] as 'extensible' | 'fixed', span: { file: unit.root.file, start, end: start + m[0].trimEnd().length } };
  for (const [, key, value] of m[2].matchAll(/([\w-]+)=(\S+)/g)) {
    if (key === 'size-macro') annotation.sizeMacro = value;
    else if (key === 'since') annotation.since = value;
  }
  return annotation;
}
