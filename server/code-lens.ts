// A code lens above each struct/union: its size and member count, and where targets differ.
import type { CodeLens } from 'vscode-languageserver';
import { LayoutError, type RecordLayout } from '../core/abi/layout';
import type { DocumentAnalysis } from '../core/document-analysis';

export function codeLenses(analysis: DocumentAnalysis): CodeLens[] {
  const lenses: CodeLens[] = [];
  for (const record of analysis.records) {
    const parts: string[] = [];
    let base: RecordLayout | undefined;
    for (const t of analysis.targets) {
      const layout = record.layouts.get(t);
      if (!layout || layout instanceof LayoutError) continue;
      if (!base) {
        base = layout;
        const members = record.decl.members?.filter((m) => m.name !== null || m.bitWidth === null).length ?? 0;
        parts.push(`${layout.size} bytes, align ${layout.align}, ${members} member${members === 1 ? '' : 's'} (${t})`);
      } else if (layout.size !== base.size || layout.align !== base.align) {
        parts.push(`${t}: ${layout.size} bytes, align ${layout.align}`);
      }
    }
    if (!base) parts.push('no layout (see problems)');
    const padding = base ? base.holes.reduce((n, h) => n + h.size, 0) + base.tailPadding : 0;
    if (padding) parts.push(`${padding} bytes padding`);
    if (record.extensible.extensible) parts.push('extensible');
    const range = record.decl.nameSpan.file.rangeOf(record.decl.span.start, record.decl.span.start);
    lenses.push({ range, command: { title: parts.join(' · '), command: 'sysarg.showLayout', arguments: [] } });
  }
  return lenses;
}
