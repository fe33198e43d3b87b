// Builds the `sysarg layout` report: every record defined in the named files, laid out on each requested target.
import { type Hole, LayoutError, type RecordLayout } from './abi/layout';
import { appendAll } from './append';
import { MEMO_TOKEN_BUDGET, type SourceCache } from './c/source-cache';
import { analyzeDocument, type AnalysisOptions, type DocumentAnalysis } from './document-analysis';
import { emptyRecord } from './empty';
import { formatErrorText, formatRecordText } from './layout-text';
import type { LayoutErrorJson, LayoutHoleJson, LayoutRecordJson, LayoutResult, TargetLayoutJson, TargetName } from './protocol';
import type { Span } from './source';

function holeJson(h: Hole): LayoutHoleJson {
  return { offset: h.offset, size: h.size, after: h.after };
}

export function targetLayoutJson(layout: RecordLayout): TargetLayoutJson {
  return {
    size: layout.size,
    align: layout.align,
    tailPadding: layout.tailPadding,
    holes: layout.holes.map(holeJson),
    // Only where there is some (as `typedef` and `anonymous` are only there when true): most records have none, and
    // JSON leaves an undefined field out.
    explicitPadding: layout.explicitPadding.length > 0 ? layout.explicitPadding.map(holeJson) : undefined,
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

function errorAt(analysis: DocumentAnalysis, span: Span, displayPath: string, message: string): LayoutErrorJson {
  const pos = span.file.positionAt(span.start);
  return { file: span.file === analysis.root.file ? displayPath : analysis.pathOf(span.file), line: pos.line + 1, column: pos.character + 1, message };
}

/** The report's records and errors for an analysed document; `path` is printed as given; `depths` for the text view. */
export function layoutJson(analysis: DocumentAnalysis, path: string, depths = false): { records: LayoutRecordJson[]; errors: LayoutErrorJson[] } {
  const root = analysis.root;
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error').map((d) => errorAt(analysis, d.span, path, d.message));
  // A file not laid out for want of a target says so, as a fact about the input, not an error.
  for (const d of analysis.diagnostics) if (d.code === 'no-target') errors.push({ ...errorAt(analysis, d.span, path, d.message), severity: 'information' });
  const records: LayoutRecordJson[] = [];
  for (const record of analysis.records) {
    const json: LayoutRecordJson = {
      name: record.name,
      kind: record.decl.kind,
      file: path,
      line: root.file.positionAt(record.decl.nameSpan.start).line + 1,
      extensible: record.extensible.extensible,
      layouts: emptyRecord(),
    };
    if (record.decl.tag === null) json.typedef = true;
    for (const [target, layout] of record.layouts) {
      if (layout instanceof LayoutError) errors.push(errorAt(analysis, layout.span ?? record.decl.nameSpan, path, `${record.decl.kind} ${record.name} on ${target}: ${layout.message}`));
      else {
        json.layouts[target] = targetLayoutJson(layout);
        // The members nest the same way on every target.
        if (depths && json.depths === undefined) json.depths = layout.fields.map((f) => f.depth);
      }
    }
    records.push(json);
  }
  return { records, errors };
}

/** Lays out one file on every target; `path` is printed as given; `depths` for the text view. */
export function layoutFile(
  cache: SourceCache,
  path: string,
  targets: TargetName[],
  options: AnalysisOptions,
  depths = false,
): { records: LayoutRecordJson[]; errors: LayoutErrorJson[] } {
  const root = cache.get(path);
  if (!root) return { records: [], errors: [{ file: path, line: 1, column: 1, message: 'cannot read file' }] };
  return layoutJson(analyzeDocument(cache, root, targets, options), path, depths);
}

type FileLayout = ReturnType<typeof layoutFile>;

/** Lays out each file in turn and hands its records and errors to `visit`; a batch keeps no file's tokens after it. */
function eachFileLayout(
  cache: SourceCache,
  paths: string[],
  targets: TargetName[],
  options: AnalysisOptions,
  visit: (file: FileLayout, path: string) => void,
  depths = false,
  budget = MEMO_TOKEN_BUDGET,
): void {
  for (let i = 0; i < paths.length; i++) {
    visit(layoutFile(cache, paths[i], targets, options, depths), paths[i]);
    cache.doneWith(paths[i], budget);
  }
}

/** The whole report at once (`depths` for the text view); writeLayoutReport streams the same. */
export function layoutReport(cache: SourceCache, paths: string[], targets: TargetName[], options: AnalysisOptions, depths = false, budget = MEMO_TOKEN_BUDGET): LayoutResult {
  const result: LayoutResult = { version: 1, records: [], errors: [] };
  eachFileLayout(cache, paths, targets, options, ({ records, errors }) => {
    appendAll(result.records, records);
    appendAll(result.errors, errors);
  }, depths, budget);
  return result;
}

/**
 * What the caller knows of its inputs: errors of its own, and files made of a patch's fragments, whose errors are
 * noise and whose records are shown at the patch's lines (`lines`: the 0-based patch line of each line of the file).
 */
export interface ReportInputs {
  errors?: LayoutErrorJson[];
  fragments?: ReadonlyMap<string, { file: string; lines: readonly number[] }>;
}

/** Shows the records of a file made of a patch's own lines at those lines of the patch (`lines`: one per file line). */
export function placeInPatch(records: LayoutRecordJson[], fragment: { file: string; lines: readonly number[] }): void {
  for (const record of records) {
    record.file = fragment.file;
    record.line = (fragment.lines[record.line - 1] ?? 0) + 1;
  }
}

/** Output text is handed on in pieces of about this many characters. */
const CHUNK_CHARS = 1 << 16;

/** How a streamed report is written: its opening, each file's records (at least one), and its closing with the errors. */
interface ReportFormat {
  head: string;
  records(records: LayoutRecordJson[], first: boolean): string;
  tail(errors: LayoutErrorJson[]): string;
}

const JSON_FORMAT: ReportFormat = {
  head: '{"version":1,"records":[',
  // One JSON.stringify per file rather than per record: each call has a fixed cost (its builder, its result).
  records: (records, first) => (first ? '' : ',') + JSON.stringify(records).slice(1, -1),
  tail: (errors) => `],"errors":${JSON.stringify(errors)}}\n`,
};

const TEXT_FORMAT: ReportFormat = {
  head: '',
  records: (records) => records.map(formatRecordText).join(''),
  tail: (errors) => errors.map(formatErrorText).join(''),
};

/**
 * The report as CONTRACTS.md JSON or as the pahole-style text of formatLayoutText, handed to `write` piece by piece
 * as the files are laid out: a batch keeps no record objects alive to the end (over /usr/include/linux, ~17 MB that
 * the garbage collector would copy meanwhile), and a `write` that throws (the reader went away) stops it.
 * `inputs.errors` are reported first.
 */
export function writeLayoutReport(
  cache: SourceCache,
  paths: string[],
  targets: TargetName[],
  options: AnalysisOptions,
  view: 'json' | 'text',
  write: (text: string) => void,
  chunkChars = CHUNK_CHARS,
  inputs: ReportInputs = {},
): void {
  const format = view === 'json' ? JSON_FORMAT : TEXT_FORMAT;
  // What was wrong with the inputs themselves (a patch that did not apply) comes before what the files say.
  const errors: LayoutErrorJson[] = [...(inputs.errors ?? [])];
  let chunk = format.head;
  let first = true;
  eachFileLayout(cache, paths, targets, options, (file, path) => {
    const fragment = inputs.fragments?.get(path);
    if (fragment) placeInPatch(file.records, fragment);
    if (file.records.length > 0) {
      chunk += format.records(file.records, first);
      first = false;
    }
    if (chunk.length >= chunkChars) {
      write(chunk);
      chunk = '';
    }
    if (!fragment) appendAll(errors, file.errors);
  }, view === 'text');
  write(chunk + format.tail(errors));
}
