// Document symbols: each struct/union (with its members) and each enum the document defines.
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import { LayoutError } from '../core/abi/layout';
import type { Member, RecordDecl } from '../core/c/ast';
import type { DocumentAnalysis } from '../core/document-analysis';
import { spanToRange } from './positions';

/**
 * A member's children are the members of a record defined in its own declaration (`struct { ... } x;`), as in
 * clangd's outline. A record only named there is listed where it is defined; following it would not end on
 * `struct a { struct a x; };`, a slip easily made while typing. (Records a macro defines share the macro's span,
 * so the records already open are passed along too.)
 */
function definedInside(m: Member, open: Set<RecordDecl>): RecordDecl | undefined {
  if (m.type.kind !== 'record' || open.has(m.type.decl)) return undefined;
  const span = m.type.decl.span;
  return span.file === m.span.file && span.start >= m.span.start && span.end <= m.span.end ? m.type.decl : undefined;
}

function memberSymbols(record: RecordDecl, file: DocumentAnalysis['root']['file'], open: Set<RecordDecl>): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  open.add(record);
  for (const m of record.members ?? []) {
    if (m.span.file !== file) continue;
    const inner = definedInside(m, open);
    const nested = inner ? memberSymbols(inner, file, open) : [];
    if (m.name === null) {
      out.push(...nested);
      continue;
    }
    const nameRange = spanToRange(m.nameSpan ?? m.span);
    const range = spanToRange(m.span);
    out.push({ name: m.name, detail: m.typeText, kind: SymbolKind.Field, range: contains(range, nameRange) ? range : nameRange, selectionRange: nameRange, children: nested.length ? nested : undefined });
  }
  open.delete(record);
  return out;
}

/** Whether `inner` lies within `outer` (LSP: a symbol's range holds its selection range). */
export function contains(outer: { start: { line: number; character: number }; end: { line: number; character: number } }, inner: typeof outer): boolean {
  const before = (a: typeof outer.start, b: typeof outer.start): boolean => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}

export function documentSymbols(analysis: DocumentAnalysis): DocumentSymbol[] {
  const file = analysis.root.file;
  const symbols: DocumentSymbol[] = analysis.records.map((record) => {
    const layout = record.layouts.get(analysis.targets[0]);
    const size = layout && !(layout instanceof LayoutError) ? `${layout.size} bytes` : undefined;
    const range = spanToRange(record.decl.span);
    const selectionRange = spanToRange(record.decl.nameSpan);
    return {
      name: `${record.decl.kind} ${record.name}`,
      detail: size,
      kind: SymbolKind.Struct,
      range: contains(range, selectionRange) ? range : selectionRange,
      selectionRange,
      children: memberSymbols(record.decl, file, new Set()),
    };
  });
  const unit = analysis.units.get(analysis.targets[0]);
  for (const e of unit?.decls.enums ?? []) {
    if (e.span.file !== file || e.enumerators === null || e.nameSpan.file !== file) continue;
    const range = spanToRange(e.span);
    const selectionRange = spanToRange(e.nameSpan);
    symbols.push({
      name: `enum ${e.tag ?? '(anonymous)'}`,
      kind: SymbolKind.Enum,
      range: contains(range, selectionRange) ? range : selectionRange,
      selectionRange,
      children: e.enumerators.filter((x) => x.nameSpan.file === file).map((x) => ({ name: x.name, kind: SymbolKind.EnumMember, range: spanToRange(x.nameSpan), selectionRange: spanToRange(x.nameSpan) })),
    });
  }
  return symbols.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
