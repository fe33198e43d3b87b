// Front-end problems as LSP diagnostics (source "sysarg", a code, and a link to what the code means).
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver';
import type { DocumentAnalysis } from '../core/document-analysis';
import { documentProblems } from '../core/document-problems';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { SERVER_NAME } from '../core/protocol';
import { newFindings } from '../core/new-findings';
import type { Finding } from '../core/rules/finding';
import type { FrontEndDiagnostic, Severity } from '../core/source';
import { spanToRange } from './positions';

/** docs/rules.md next to the bundle (dist/..): shipped in the .vsix and present in every checkout. */
export const RULES_DOC = pathToFileURL(join(__dirname, '..', 'docs', 'rules.md')).toString();

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** A front-end problem or a rule's finding as an LSP diagnostic (source "sysarg", its code linked to docs/rules.md). */
export function findingDiagnostic(d: FrontEndDiagnostic | Finding): Diagnostic {
  const diagnostic: Diagnostic = {
    range: spanToRange(d.span),
    severity: SEVERITY[d.severity],
    source: SERVER_NAME,
    code: d.code,
    codeDescription: { href: `${RULES_DOC}#${d.code}` },
    message: d.message,
  };
  if ('related' in d && d.related?.length) diagnostic.relatedInformation = d.related.map(relatedToLsp);
  return diagnostic;
}

function relatedToLsp(r: NonNullable<Finding['related']>[number]): DiagnosticRelatedInformation {
  return { location: { uri: pathToFileURL(r.span.file.path).toString(), range: spanToRange(r.span) }, message: r.message };
}

/**
 * The front end's problems in the document's own file and its layout errors (unless `problems` is false: a patch's
 * fragment), and the rules' `findings` on it; without those `earlier` had too (sysarg.newOnly), when given.
 */
export function documentDiagnostics(analysis: DocumentAnalysis, findings: readonly Finding[] = [], problems = true, earlier?: readonly FrontEndDiagnostic[]): Diagnostic[] {
  const all = [...(problems ? documentProblems(analysis) : []), ...findings.filter((f) => f.span.file === analysis.root.file)];
  return dedupe((earlier ? newFindings(all, earlier).fresh : all).map(findingDiagnostic));
}

function dedupe(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const key = `${d.range.start.line}:${d.range.start.character}:${String(d.message).replace(/ on \w+:/, ':')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
