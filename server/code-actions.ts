// Quick fixes: the rules' fixes for the findings in the asked range of an open C document, as LSP code actions.
import { CodeActionKind, type CodeAction, type Range } from 'vscode-languageserver';
import type { DocumentAnalysis } from '../core/document-analysis';
import type { Finding } from '../core/rules/finding';
import { findingDiagnostic } from './diagnostics';
import { spanToRange } from './positions';

export function overlaps(a: Range, b: Range): boolean {
  const before = (x: Range['start'], y: Range['start']) => x.line < y.line || (x.line === y.line && x.character < y.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

/** A code action for each fix of each finding in the document's own file whose range meets `range`. */
export function codeActions(analysis: DocumentAnalysis, findings: readonly Finding[], uri: string, range: Range): CodeAction[] {
  const out: CodeAction[] = [];
  for (const finding of findings) {
    if (finding.span.file !== analysis.root.file || !finding.fixes || !overlaps(spanToRange(finding.span), range)) continue;
    for (const fix of finding.fixes) {
      // Only fixes that edit this document: the editor applies them to the buffer the user sees.
      if (fix.edits.some((e) => e.span.file !== analysis.root.file)) continue;
      out.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [findingDiagnostic(finding)],
        isPreferred: finding.fixes.length === 1,
        edit: { changes: { [uri]: fix.edits.map((e) => ({ range: spanToRange(e.span), newText: e.newText })) } },
      });
    }
  }
  return out;
}
