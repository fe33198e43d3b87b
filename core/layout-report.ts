// Builds the `sysarg layout` report: every record defined in the named files, laid out on each requested target.
import { LayoutError, type RecordLayout } from './abi/layout';
import type { RecordDecl } from './c/ast';
import type { SourceCache } from './c/source-cache';
import { classifyRecords } from './extensible';
import { translate, type FrontEndOptions, type TargetUnit } from './front-end';
import type { LayoutErrorJson, LayoutRecordJson, LayoutResult, TargetLayoutJson, TargetName } from './protocol';
import type { FrontEndDiagnostic } from './source';

/** Records defined with a body in the unit's root file that the report names: tagged, or untagged but typedef'd. */
export function reportedRecords(unit: TargetUnit): RecordDecl[] {
  return unit.decls.records.filter((r) => r.members !== null && r.nameSpan.file === unit.root.file && (r.tag !== null || r.typedefNames.length > 0));
}

export function recordName(decl: RecordDecl): string {
  return decl.tag ?? decl.typedefNames[0];
}

export function targetLayoutJson(layout: RecordLayout): TargetLayoutJson {
  return {
    size: layout.size,
    align: layout.align,
    tailPadding: layout.tailPadding,
    holes: layout.holes.map((h) => ({ offset: h.offset, size: h.size, after: h.after })),
    fields: layout.fields.map((f) => {
      const out: TargetLayoutJson['fields'][number] = { path: f.path, type: f.type };
      if (f.bitWidth !== undefined) {
        out.bitOffset = f.bitOffset;
        out.bitWidth = f.bitWidth;
      } else {
        out.offset = f.offset;
        out.size = f.size;
        out.align = f.align;
      }
      if (f.anonymous) out.anonymous = true;
      return out;
    }),
  };
}

function errorJson(d: FrontEndDiagnostic, displayPath: string, rootPath: string): LayoutErrorJson {
  const pos = d.span.file.positionAt(d.span.start);
  const file = d.span.file.path === rootPath ? displayPath : d.span.file.path;
  return { file, line: pos.line + 1, column: pos.character + 1, message: d.message };
}

/** Lays out one file on every target; records are matched across targets by where they are written. */
export function layoutFile(cache: SourceCache, path: string, targets: TargetName[], options: FrontEndOptions): { records: LayoutRecordJson[]; errors: LayoutErrorJson[] } {
  const root = cache.get(path);
  if (!root) return { records: [], errors: [{ file: path, line: 1, column: 1, message: 'cannot read file' }] };
  const byPosition = new Map<number, LayoutRecordJson>();
  const errors = new Map<string, LayoutErrorJson>();
  const addError = (e: LayoutErrorJson): void => {
    errors.set(`${e.file}:${e.line}:${e.column}:${e.message}`, e);
  };
  for (const name of targets) {
    const unit = translate(cache, root, name, options);
    for (const d of unit.diagnostics) if (d.severity === 'error') addError(errorJson(d, path, root.file.path));
    const records = reportedRecords(unit);
    const classes = classifyRecords(unit, cache, records.filter((r) => !byPosition.has(r.nameSpan.start)));
    for (const decl of records) {
      let json = byPosition.get(decl.nameSpan.start);
      if (!json) {
        json = {
          name: recordName(decl),
          kind: decl.kind,
          file: path,
          line: root.file.positionAt(decl.nameSpan.start).line + 1,
          extensible: classes.get(decl)?.extensible ?? false,
          layouts: {},
        };
        if (decl.tag === null) json.typedef = true;
        byPosition.set(decl.nameSpan.start, json);
      }
      const layout = unit.engine.layout(decl);
      if (layout instanceof LayoutError) {
        const span = layout.span ?? decl.nameSpan;
        const pos = span.file.positionAt(span.start);
        addError({ file: span.file.path === root.file.path ? path : span.file.path, line: pos.line + 1, column: pos.character + 1, message: `${decl.kind} ${recordName(decl)} on ${name}: ${layout.message}` });
        continue;
      }
      json.layouts[name] = targetLayoutJson(layout);
    }
  }
  const records = [...byPosition.values()].sort((a, b) => a.line - b.line);
  return { records, errors: [...errors.values()] };
}

export function layoutReport(cache: SourceCache, paths: string[], targets: TargetName[], options: FrontEndOptions): LayoutResult {
  const result: LayoutResult = { version: 1, records: [], errors: [] };
  for (const path of paths) {
    const { records, errors } = layoutFile(cache, path, targets, options);
    result.records.push(...records);
    result.errors.push(...errors);
  }
  return result;
}
