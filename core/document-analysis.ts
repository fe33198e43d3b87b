// One document through the front end on every configured target: its records with their layouts, and its problems.
import { LayoutError, type RecordLayout } from './abi/layout';
import type { Member, RecordDecl } from './c/ast';
import type { IncludeRecord } from './c/preprocessor';
import type { CachedSource, SourceCache } from './c/source-cache';
import { classifyRecords, type ExtensibleInfo } from './extensible';
import { archTargetsText, targetsFor, translate, type FrontEndOptions, type TargetUnit } from './front-end';
import type { TargetName } from './protocol';
import type { FrontEndDiagnostic, SourceFile, Span } from './source';
import type { CopiedStructs } from './struct-copies';

export interface AnalyzedRecord {
  /** The declaration as parsed for the first target that has it. */
  decl: RecordDecl;
  name: string;
  /** Layout (or why there is none) per target; absent where the record is not compiled (#ifdef). */
  layouts: Map<TargetName, RecordLayout | LayoutError>;
  extensible: ExtensibleInfo;
}

export interface DocumentAnalysis {
  root: CachedSource;
  targets: TargetName[];
  units: Map<TargetName, TargetUnit>;
  /** Records defined in the document, in source order. */
  records: AnalyzedRecord[];
  /** Problems in the document itself (problems in included files are summarised at their #include). */
  diagnostics: FrontEndDiagnostic[];
  /** The path an included file is shown by (SourceCache.displayPath). */
  pathOf(file: SourceFile): string;
}

/** Records the document defines that are named: tagged, or untagged but typedef'd. */
export function ownRecords(unit: TargetUnit): RecordDecl[] {
  return unit.decls.records.filter((r) => r.members !== null && r.nameSpan.file === unit.root.file && (r.tag !== null || r.typedefNames.length > 0));
}

export function recordName(decl: RecordDecl): string {
  return decl.tag ?? decl.typedefNames[0];
}

function recordKey(decl: RecordDecl): string {
  return `${decl.nameSpan.start}:${recordName(decl)}`;
}

export interface AnalysisOptions extends FrontEndOptions {
  /** Structs kernel code copies in with copy_struct_from_user(), by tag: evidence that they are extensible. */
  copiedStructs?: CopiedStructs;
}

/**
 * The document on each of `targets` (an architecture's own UAPI headers in a Linux tree on that architecture's targets
 * only, none if Sysarg has none: see targetsFor, and the `no-target` note then).
 */
export function analyzeDocument(cache: SourceCache, root: CachedSource, asked: TargetName[], options: AnalysisOptions): DocumentAnalysis {
  const { targets, arch } = targetsFor(cache, root.file.path, asked, options);
  const units = new Map<TargetName, TargetUnit>();
  // The same record on each target, by where it is written and its name: one macro call can define several.
  const byKey = new Map<string, AnalyzedRecord>();
  const diagnostics = new Map<string, FrontEndDiagnostic>();
  const pathOf = (file: SourceFile) => cache.displayPath(file);
  if (targets.length === 0) diagnostics.set('no-target', noTarget(root, arch as string));
  let first: TargetUnit | undefined;
  for (const target of targets) {
    const unit = translate(cache, root, target, options, first, first === undefined && targets.length > 1);
    first ??= unit;
    units.set(target, unit);
    for (const d of unit.diagnostics) {
      const own = ownDiagnostic(d, unit, pathOf);
      if (own) diagnostics.set(`${own.span.start}:${own.span.end}:${own.message}`, own);
    }
    const records = ownRecords(unit);
    const keys = records.map(recordKey);
    const fresh = records.filter((_, i) => !byKey.has(keys[i]));
    const classes = classifyRecords(unit, cache, fresh, options.copiedStructs);
    records.forEach((decl, i) => {
      let record = byKey.get(keys[i]);
      if (!record) {
        record = { decl, name: recordName(decl), layouts: new Map(), extensible: classes.get(decl) as ExtensibleInfo };
        byKey.set(keys[i], record);
      }
      record.layouts.set(target, unit.engine.namedLayout(decl));
    });
  }
  const records = [...byKey.values()].sort((a, b) => a.decl.nameSpan.start - b.decl.nameSpan.start);
  return { root, targets, units, records, diagnostics: [...diagnostics.values()], pathOf };
}

function noTarget(root: CachedSource, arch: string): FrontEndDiagnostic {
  return {
    span: { file: root.file, start: 0, end: 0 },
    severity: 'information',
    code: 'no-target',
    message: `a UAPI header of arch/${arch}, which Sysarg has no target for (it lays out ${archTargetsText()}): not laid out`,
  };
}

/** A diagnostic of the document, or one in an included file moved onto the #include line that brought it in. */
function ownDiagnostic(d: FrontEndDiagnostic, unit: TargetUnit, pathOf: (file: SourceFile) => string): FrontEndDiagnostic | undefined {
  if (d.span.file === unit.root.file) return d;
  if (d.severity !== 'error') return undefined;
  const include = rootIncludeOf(unit).get(d.span.file.path);
  if (!include) return undefined;
  const pos = d.span.file.positionAt(d.span.start);
  return {
    span: { file: unit.root.file, start: include.start, end: include.end },
    severity: 'warning',
    message: `in included file ${pathOf(d.span.file)}:${pos.line + 1}: ${d.message}`,
    code: 'included-file-error',
    origin: d.code,
  };
}

const rootIncludes = new WeakMap<TargetUnit, Map<string, IncludeRecord>>();

/**
 * For each file the unit read, the first of the root file's own `#include`s that brought it in (directly or further
 * down), worked out once per unit: a selftest whose missing headers leave hundreds of errors in the files it includes
 * had the include graph searched again for each of them.
 */
function rootIncludeOf(unit: TargetUnit): Map<string, IncludeRecord> {
  let owner = rootIncludes.get(unit);
  if (owner) return owner;
  owner = new Map();
  const children = new Map<string, string[]>();
  for (const i of unit.pp.includes) {
    if (i.path === null) continue;
    const list = children.get(i.from.path);
    if (list) list.push(i.path);
    else children.set(i.from.path, [i.path]);
  }
  for (const root of unit.pp.includes) {
    if (root.from !== unit.root.file || root.path === null || owner.has(root.path)) continue;
    // A file an earlier include reached has all it includes reached too: the walk stops there.
    owner.set(root.path, root);
    const queue = [root.path];
    for (let k = 0; k < queue.length; k++) {
      for (const child of children.get(queue[k]) ?? []) {
        if (owner.has(child)) continue;
        owner.set(child, root);
        queue.push(child);
      }
    }
  }
  rootIncludes.set(unit, owner);
  return owner;
}

export interface MemberHit {
  record: AnalyzedRecord;
  member: Member;
  /** Path from the outer record to the member (`outer.inner`); anonymous levels are skipped. */
  path: string;
  /** Layout of the member per target (offsets from the start of the outer record). */
  fields: Map<TargetName, { offset: number; size: number; align: number; bitOffset?: number; bitWidth?: number } | undefined>;
}

function contains(span: Span | null, offset: number): boolean {
  return span !== null && span.start <= offset && offset <= span.end;
}

/** The record whose tag (or keyword of an untagged one, or a typedef name given to it) is at `offset`. */
export function recordAt(analysis: DocumentAnalysis, offset: number): AnalyzedRecord | undefined {
  const direct = analysis.records.find((r) => contains(r.decl.nameSpan, offset));
  if (direct) return direct;
  const unit = analysis.units.get(analysis.targets[0]);
  if (!unit) return undefined;
  for (const typedef of unit.decls.typedefs.values()) {
    if (typedef.nameSpan.file !== analysis.root.file || !contains(typedef.nameSpan, offset)) continue;
    const target = typedef.type.kind === 'record' ? typedef.type.decl : undefined;
    return analysis.records.find((r) => r.decl === target || (target?.tag && r.decl.tag === target.tag && r.decl.kind === target.kind));
  }
  return undefined;
}

/** The member whose name is at `offset`, with where it lies on each target. */
export function memberAt(analysis: DocumentAnalysis, offset: number): MemberHit | undefined {
  for (const record of analysis.records) {
    if (!contains(record.decl.span, offset)) continue;
    for (const layout of record.layouts.values()) {
      if (layout instanceof LayoutError) continue;
      const field = layout.fields.find((f) => contains(f.member.nameSpan, offset));
      if (!field || field.path === null) continue;
      const fields: MemberHit['fields'] = new Map();
      for (const t of analysis.targets) {
        const other = record.layouts.get(t);
        const f = other instanceof LayoutError || !other ? undefined : other.fields.find((x) => x.path === field.path);
        fields.set(t, f ? { offset: f.offset, size: f.size, align: f.align, bitOffset: f.bitOffset, bitWidth: f.bitWidth } : undefined);
      }
      return { record, member: field.member, path: field.path, fields };
    }
  }
  return undefined;
}
