// Builds the `sysarg check` report: the rules' findings on each file (against its baseline), as text, JSON or SARIF.
import type { SourceCache } from './c/source-cache';
import { analyzeDocument, type AnalysisOptions } from './document-analysis';
import { documentProblems } from './document-problems';
import { C_SOURCE_NAME } from './file-kinds';
import type { DiagnosticJson, LayoutErrorJson, TargetName } from './protocol';
import type { Baseline } from './published-records';
import { ruleDescription, RULES } from './rules/catalog';
import { documentRules } from './rules/document-rules';
import { diagnosticInPatch, findingJson, formatDiagnosticText, type PatchLines } from './rules/finding';
import { writtenCodeFindings } from './rules/strict-size';
import type { SourceFile } from './source';
import { copiedStructsOf, structCopies, type CopiedStructs } from './struct-copies';

export interface CheckResult {
  version: 1;
  diagnostics: DiagnosticJson[];
  summary: { files: number; errors: number; warnings: number; information: number };
}

export interface CheckFile {
  path: string;
  /** The published version's records (matched by tag); undefined: no baseline. */
  baseline?: Baseline;
  /** For a file a patch changed: where the patch shows its lines (findings go there). */
  shown?: PatchLines;
  /** Made of a patch's own lines: its front-end problems are noise and are left out. */
  fragment?: boolean;
}

/** One file's diagnostics: what reading it found, and what the rules find. */
export function checkFile(cache: SourceCache, file: CheckFile, targets: TargetName[], options: AnalysisOptions): DiagnosticJson[] {
  const root = cache.get(file.path);
  if (!root) return [{ file: file.path, line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error', rule: 'unreadable-file', message: 'cannot read file' }];
  const analysis = analyzeDocument(cache, root, targets, options);
  const pathOf = (f: SourceFile) => (f === analysis.root.file ? file.path : analysis.pathOf(f));
  const findings = [...(file.fragment ? [] : documentProblems(analysis)), ...documentRules(analysis, cache, file.baseline).findings];
  const json = findings.map((f) => findingJson(f, pathOf));
  return file.shown ? json.map((d) => diagnosticInPatch(d, file.shown!)) : json;
}

/** A file read only as written (a Linux tree's internal file a patch changed): the rules that need no preprocessing. */
export interface WrittenFile {
  path: string;
  text: string;
  shown?: PatchLines;
}

export function checkWritten(file: WrittenFile): DiagnosticJson[] {
  const json = writtenCodeFindings(file.path, file.text).map((f) => findingJson(f, () => file.path));
  return file.shown ? json.map((d) => diagnosticInPatch(d, file.shown!)) : json;
}

/**
 * The whole report: `inputs` are problems of the inputs themselves (a hunk that did not apply), reported first;
 * `written` the files only read as written.
 */
export function checkReport(cache: SourceCache, files: CheckFile[], targets: TargetName[], options: AnalysisOptions, inputs: LayoutErrorJson[] = [], written: WrittenFile[] = []): CheckResult {
  const copiedStructs = runCopies(cache, files, written);
  if (copiedStructs.size > 0) options = { ...options, copiedStructs };
  const diagnostics: DiagnosticJson[] = inputs.map((e) => ({ file: e.file, line: e.line, column: e.column, endLine: e.line, endColumn: e.column, severity: e.severity ?? 'warning', rule: 'patch', message: e.message }));
  for (const file of files) {
    diagnostics.push(...checkFile(cache, file, targets, options));
    cache.release(file.path);
  }
  for (const file of written) diagnostics.push(...checkWritten(file));
  const count = (severity: DiagnosticJson['severity']) => diagnostics.filter((d) => d.severity === severity).length;
  return { version: 1, diagnostics, summary: { files: files.length + written.length, errors: count('error'), warnings: count('warning'), information: count('information') } };
}

/** The structs the run's .c files copy in with copy_struct_from_user(): evidence for every file of the run. */
function runCopies(cache: SourceCache, files: CheckFile[], written: WrittenFile[]): CopiedStructs {
  const sources = files.filter((f) => C_SOURCE_NAME.test(f.path)).map((f) => ({ path: f.path, text: cache.get(f.path)?.file.text ?? '' }));
  return copiedStructsOf([...sources, ...written.filter((f) => C_SOURCE_NAME.test(f.path))].map((f) => structCopies(f.path, f.text)));
}

/** gcc's form, one line each, then a summary line. */
export function formatCheckText(result: CheckResult): string {
  const { files, errors, warnings, information } = result.summary;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${result.diagnostics.map(formatDiagnosticText).join('')}${plural(files, 'file')} checked: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${information} information\n`;
}

const SARIF_LEVEL: Record<DiagnosticJson['severity'], string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

function sarifLocation(file: string, line: number, column: number, endLine = line, endColumn = column) {
  return { physicalLocation: { artifactLocation: { uri: file.split('/').map(encodeURIComponent).join('/') }, region: { startLine: line, startColumn: column, endLine, endColumn } } };
}

/** The report as SARIF 2.1.0 (the form code-scanning services read). */
export function checkSarif(result: CheckResult, version: string): object {
  const ids = [...new Set([...Object.keys(RULES), ...result.diagnostics.map((d) => d.rule)])];
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'sysarg', version, rules: ids.map((id) => ({ id, shortDescription: { text: ruleDescription(id) } })) } },
        results: result.diagnostics.map((d) => ({
          ruleId: d.rule,
          ruleIndex: ids.indexOf(d.rule),
          level: SARIF_LEVEL[d.severity],
          message: { text: d.message },
          locations: [sarifLocation(d.file, d.line, d.column, d.endLine, d.endColumn)],
          ...(d.related?.length ? { relatedLocations: d.related.map((r, i) => ({ id: i, ...sarifLocation(r.file, r.line, r.column), message: { text: r.message } })) } : {}),
        })),
      },
    ],
  };
}
