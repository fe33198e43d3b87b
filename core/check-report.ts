// Builds the `sysarg check` report: the rules' findings on each file (against its baseline), as text, JSON or SARIF.
import { MEMO_TOKEN_BUDGET, unreadableReason, type SourceCache } from './c/source-cache';
import { analyzeDocument, type AnalysisOptions, type DocumentAnalysis } from './document-analysis';
import { C_SOURCE_NAME } from './file-kinds';
import { allFindings, newFindings } from './new-findings';
import type { DiagnosticJson, LayoutErrorJson, TargetName } from './protocol';
import type { Baseline } from './published-records';
import { ruleDescription, RULES } from './rules/catalog';
import { diagnosticInPatch, findingJson, formatDiagnosticText, type PatchLines } from './rules/finding';
import { writtenCodeFindings } from './rules/strict-size';
import type { FrontEndDiagnostic, SourceFile } from './source';
import { copiedStructsOf, structCopies, type StructCopy } from './struct-copies';

export interface CheckResult {
  version: 1;
  diagnostics: DiagnosticJson[];
  /** `unchanged`: with --new-only, the findings left out because the files' earlier versions had them too. */
  summary: { files: number; errors: number; warnings: number; information: number; unchanged?: number };
}

/** What a file is judged against. */
export interface Published {
  /** The published version's records (matched by tag); undefined: no baseline. */
  baseline?: Baseline;
  /**
   * With --new-only, what the file's earlier version (a patch's preimage, the file at a git ref) had, judged as the file
   * is (allFindings): only findings it did not have are reported. Undefined: nothing to compare, all are reported.
   */
  earlier?: readonly FrontEndDiagnostic[];
}

export interface CheckFile {
  path: string;
  /**
   * Asked when the file is checked, with its analysis (a file unchanged since its baseline is its own): a run over a
   * tree does not hold every file's published version at once.
   */
  published?: (current: { analysis: DocumentAnalysis; cache: SourceCache }) => Published;
  /** For a file a patch changed: where the patch shows its lines (findings go there). */
  shown?: PatchLines;
  /** Made of a patch's own lines: its front-end problems are noise and are left out. */
  fragment?: boolean;
}

/** One file's diagnostics, and how many findings its earlier version had too (left out). */
export interface FileCheck {
  diagnostics: DiagnosticJson[];
  unchanged: number;
}

/** One file's diagnostics: what reading it found, and what the rules find. */
export function checkFile(cache: SourceCache, file: CheckFile, targets: TargetName[], options: AnalysisOptions): FileCheck {
  const root = cache.get(file.path);
  if (!root) return { diagnostics: [unreadableJson(file.path)], unchanged: 0 };
  const analysis = analyzeDocument(cache, root, targets, options);
  const pathOf = (f: SourceFile) => (f === analysis.root.file ? file.path : analysis.pathOf(f));
  const { baseline, earlier } = file.published?.({ analysis, cache }) ?? {};
  const all = allFindings(analysis, cache, baseline, !file.fragment);
  const { fresh, unchanged } = earlier ? newFindings(all, earlier) : { fresh: all, unchanged: 0 };
  const json = fresh.map((f) => findingJson(f, pathOf));
  return { diagnostics: file.shown ? json.map((d) => diagnosticInPatch(d, file.shown!)) : json, unchanged };
}

/**
 * A file read only as written (a Linux tree's internal file, named or changed by a patch): the rules that need no
 * preprocessing. `text` may be read when it is checked (a tree's 32,000 .c files are not all held at once).
 */
export interface WrittenFile {
  path: string;
  text: string | (() => string | undefined);
  shown?: PatchLines;
  /** With --new-only, the file's earlier text: only the findings it did not have are reported (undefined: all are). */
  earlier?: () => string | undefined;
}

/** A written file's diagnostics, and the structs it copies in with copy_struct_from_user() (evidence for the run). */
export function checkWritten(file: WrittenFile): FileCheck & { copies: StructCopy[] } {
  const text = typeof file.text === 'function' ? file.text() : file.text;
  const problem = text === undefined ? 'cannot read file' : unreadableReason(text);
  if (text === undefined || problem) return { diagnostics: [unreadableJson(file.path, problem)], unchanged: 0, copies: [] };
  const all = writtenCodeFindings(file.path, text);
  const earlier = file.earlier?.();
  const { fresh, unchanged } = earlier === undefined || unreadableReason(earlier) ? { fresh: all, unchanged: 0 } : newFindings(all, writtenCodeFindings(file.path, earlier));
  const json = fresh.map((f) => findingJson(f, () => file.path));
  return { diagnostics: file.shown ? json.map((d) => diagnosticInPatch(d, file.shown!)) : json, unchanged, copies: C_SOURCE_NAME.test(file.path) ? structCopies(file.path, text) : [] };
}

function unreadableJson(file: string, message = 'cannot read file'): DiagnosticJson {
  return { file, line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error', rule: 'unreadable-file', message };
}

/**
 * The whole report: `inputs` are problems of the inputs themselves (a hunk that did not apply), reported first;
 * `written` the files only read as written.
 */
export function checkReport(
  cache: SourceCache,
  files: CheckFile[],
  targets: TargetName[],
  options: AnalysisOptions,
  inputs: LayoutErrorJson[] = [],
  written: WrittenFile[] = [],
  budget = MEMO_TOKEN_BUDGET,
  newOnly = false,
): CheckResult {
  // The files read as written first: what they copy in is evidence for the files laid out.
  const writtenChecked = written.map(checkWritten);
  const copiedStructs = copiedStructsOf([...laidOutCopies(cache, files), ...writtenChecked.map((w) => w.copies)]);
  if (copiedStructs.size > 0) options = { ...options, copiedStructs };
  const diagnostics: DiagnosticJson[] = inputs.map((e) => ({ file: e.file, line: e.line, column: e.column, endLine: e.line, endColumn: e.column, severity: e.severity ?? 'warning', rule: 'patch', message: e.message }));
  let unchanged = 0;
  for (const file of files) {
    const checked = checkFile(cache, file, targets, options);
    diagnostics.push(...checked.diagnostics);
    unchanged += checked.unchanged;
    cache.doneWith(file.path, budget);
  }
  for (const w of writtenChecked) {
    diagnostics.push(...w.diagnostics);
    unchanged += w.unchanged;
  }
  const count = (severity: DiagnosticJson['severity']) => diagnostics.filter((d) => d.severity === severity).length;
  const summary: CheckResult['summary'] = { files: files.length + written.length, errors: count('error'), warnings: count('warning'), information: count('information') };
  if (newOnly) summary.unchanged = unchanged;
  return { version: 1, diagnostics, summary };
}

/** The structs the laid-out .c files copy in with copy_struct_from_user() (their texts read, not lexed or kept). */
function laidOutCopies(cache: SourceCache, files: CheckFile[]): StructCopy[][] {
  return files.filter((f) => C_SOURCE_NAME.test(f.path)).map((f) => structCopies(f.path, cache.text(f.path) ?? ''));
}

/** gcc's form, one line each, then a summary line. */
export function formatCheckText(result: CheckResult): string {
  const { files, errors, warnings, information } = result.summary;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const unchanged = result.summary.unchanged === undefined ? '' : ` (${plural(result.summary.unchanged, 'finding')} the earlier versions had too, not shown)`;
  return `${result.diagnostics.map(formatDiagnosticText).join('')}${plural(files, 'file')} checked: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${information} information${unchanged}\n`;
}

const SARIF_LEVEL: Record<DiagnosticJson['severity'], string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

function sarifUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

function sarifLocation(file: string, line: number, column: number, endLine = line, endColumn = column) {
  return { physicalLocation: { artifactLocation: { uri: sarifUri(file) }, region: { startLine: line, startColumn: column, endLine, endColumn } } };
}

/** A quick fix as SARIF's `fix`: its edits as replacements, grouped by the file they change. */
function sarifFix(fix: NonNullable<DiagnosticJson['fixes']>[number]) {
  const byFile = new Map<string, typeof fix.edits>();
  for (const edit of fix.edits) byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
  return {
    description: { text: fix.title },
    artifactChanges: [...byFile].map(([file, edits]) => ({
      artifactLocation: { uri: sarifUri(file) },
      replacements: edits.map((e) => ({ deletedRegion: { startLine: e.line, startColumn: e.column, endLine: e.endLine, endColumn: e.endColumn }, insertedContent: { text: e.newText } })),
    })),
  };
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
          // --new-only compared each file with its earlier version: what is left is new there.
          ...(result.summary.unchanged !== undefined ? { baselineState: 'new' } : {}),
          ...(d.related?.length ? { relatedLocations: d.related.map((r, i) => ({ id: i, ...sarifLocation(r.file, r.line, r.column), message: { text: r.message } })) } : {}),
          ...(d.fixes?.length ? { fixes: d.fixes.map(sarifFix) } : {}),
        })),
      },
    ],
  };
}
