// Document symbols: each struct/union (with its members) and each enum the document defines.
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import { LayoutError } from '../core/abi/layout';
import type { Member } from '../core/c/ast';
import type { DocumentAnalysis } from '../core/document-analysis';
import { spanToRange } from './positions';

function memberSymbols(members: Member[], file: DocumentAnalysis['root']['file']): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  for (const m of members) {
    if (m.span.file !== file) continue;
    const nested = m.type.kind === 'record' && m.type.decl.members ? memberSymbols(m.type.decl.members, file) : [];
    if (m.name === null) {
      out.push(...nested);
      continue;
    }
    const nameRange = spanToRange(m.nameSpan ?? m.span);
    const range = spanToRange(m.span);
    out.push({ name: m.name, detail: m.typeText, kind: SymbolKind.Field, range: contains(range, nameRange) ? range : nameRange, selectionRange: nameRange, children: nested.length ? nested : undefined });
  }
  return out;
}

function contains(outer: { start: { line: number; character: number }; end: { line: number; character: number } }, inner: typeof outer): boolean {
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
      children: memberSymbols(record.decl.members ?? [], file),
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
