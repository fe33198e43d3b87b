// What a rule reports: a diagnostic at written text, with the other places it concerns.
import type { AnalyzedRecord } from '../document-analysis';
import type { DiagnosticJson } from '../protocol';
import type { FrontEndDiagnostic, SourceFile, Span } from '../source';

export interface RelatedSpan {
  span: Span;
  message: string;
}

/** Text to put in place of a span (an empty span inserts). */
export interface SpanEdit {
  span: Span;
  newText: string;
}

/** A quick fix: what it does, in a few words, and its edits (in the finding's file). */
export interface FindingFix {
  title: string;
  edits: SpanEdit[];
}

/** A rule's finding: `code` is its rule id (docs/rules.md). */
export interface Finding extends FrontEndDiagnostic {
  related?: RelatedSpan[];
  fixes?: FindingFix[];
}

/** How messages name a record: `struct clone_args`. */
export function recordTitle(record: AnalyzedRecord): string {
  return `${record.decl.kind} ${record.name}`;
}

/** Names (targets) as a list: `x86_64`, `x86_64 and i386`, `x86_64, i386 and x32`. */
export function targetList(names: readonly string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** A finding as CONTRACTS.md's diagnostics JSON, its files named by `pathOf`. */
export function findingJson(finding: Finding, pathOf: (file: SourceFile) => string): DiagnosticJson {
  const start = finding.span.file.positionAt(finding.span.start);
  const end = finding.span.file.positionAt(finding.span.end);
  const json: DiagnosticJson = {
    file: pathOf(finding.span.file),
    line: start.line + 1,
    column: start.character + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
    severity: finding.severity,
    rule: finding.code,
    message: finding.message,
  };
  if (finding.related?.length) {
    json.related = finding.related.map((r) => {
      const at = r.span.file.positionAt(r.span.start);
      return { file: pathOf(r.span.file), line: at.line + 1, column: at.character + 1, message: r.message };
    });
  }
  if (finding.fixes?.length) {
    json.fixes = finding.fixes.map((fix) => ({
      title: fix.title,
      edits: fix.edits.map((e) => {
        const from = e.span.file.positionAt(e.span.start);
        const to = e.span.file.positionAt(e.span.end);
        return { file: pathOf(e.span.file), line: from.line + 1, column: from.character + 1, endLine: to.line + 1, endColumn: to.character + 1, newText: e.newText };
      }),
    }));
  }
  return json;
}

/** gcc's one-line form: `file:line:column: severity: message [rule]`. */
export function formatDiagnosticText(d: DiagnosticJson): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message} [${d.rule}]\n`;
}

/** Where a patched file's lines are in the patch: `lines[i]` is the patch line (0-based) showing line i, or -1. */
export interface PatchLines {
  file: string;
  lines: readonly number[];
}

/**
 * A finding on a patched file, shown where the patch shows its line (CONTRACTS.md: a patch's findings point into the
 * patch, `related` into the patched file); a line the patch does not show stays in the file.
 */
export function diagnosticInPatch(d: DiagnosticJson, shown: PatchLines): DiagnosticJson {
  const at = shown.lines[d.line - 1] ?? -1;
  if (at < 0) return d;
  const end = d.endLine === d.line ? at : (shown.lines[d.endLine - 1] ?? at);
  const inFile = { file: d.file, line: d.line, column: d.column, message: 'in the file as patched' };
  // The patch line starts with its +, - or blank marker: columns move one right. Fixes stay on the patched file (a
  // patch is not edited in place).
  return { ...d, file: shown.file, line: at + 1, column: d.column + 1, endLine: end + 1, endColumn: d.endColumn + 1, related: [inFile, ...(d.related ?? [])] };
}
