// What reading a document found wrong in its own text: the front end's problems and the records with no layout.
import { LayoutError } from './abi/layout';
import type { DocumentAnalysis } from './document-analysis';
import type { FrontEndDiagnostic } from './source';

/** The front end's problems in the document's own file, and a layout error for each record with none on a target. */
export function documentProblems(analysis: DocumentAnalysis): FrontEndDiagnostic[] {
  const out = analysis.diagnostics.filter((d) => d.span.file === analysis.root.file);
  for (const record of analysis.records) {
    for (const [target, layout] of record.layouts) {
      if (!(layout instanceof LayoutError)) continue;
      const span = layout.span && layout.span.file === analysis.root.file ? layout.span : record.decl.nameSpan;
      out.push({ span, severity: 'error', code: 'layout-error', message: `${record.decl.kind} ${record.name} has no layout on ${target}: ${layout.message}` });
    }
  }
  return out;
}
