// Patch mails and diffs in the editor: the C files a patch changes, analysed as patched, their features shown at the
// patch's own lines (a hover on a struct a mail adds, a lens over it, its outline, what did not apply).
import { dirname } from 'node:path';
import { DiagnosticSeverity, type CodeLens, type Diagnostic, type DocumentSymbol, type Hover, type InlayHint, type Position, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { SourceCache, type CachedSource } from '../core/c/source-cache';
import { analyzeDocument, type AnalysisOptions, type DocumentAnalysis } from '../core/document-analysis';
import { preimageBaseline, type Baseline } from '../core/published-records';
import { documentRules, type DocumentRules } from '../core/rules/document-rules';
import type { Finding } from '../core/rules/finding';
import { writtenCodeFindings } from '../core/rules/strict-size';
import { C_SOURCE_NAME, PATCH_FILE_NAME } from '../core/file-kinds';
import { patchErrors, patchedFiles, type PatchedFile } from '../core/patch/patched-files';
import { isPatchText, type PatchProblem } from '../core/patch/unified-diff';
import { layoutJson, placeInPatch } from '../core/layout-report';
import { SERVER_NAME, type LayoutResult, type TargetName } from '../core/protocol';
import type { FileHost } from '../core/source';
import { copiedStructsOf, copiesKey, structCopies, type StructCopy } from '../core/struct-copies';
import { codeLenses } from './code-lens';
import { documentDiagnostics, findingDiagnostic, RULES_DOC } from './diagnostics';
import { contains, documentSymbols } from './document-symbols';
import { hoverAt } from './hover';
import { inlayHints } from './inlay-hints';
import { uriToPath } from './positions';
import type { Workspace } from './workspace';

/** How many sets of options a tree keeps for patches whose own .c files copy structs in (see optionsWith). */
const RECENT_OPTIONS = 4;

const PATCH_LANGUAGES = new Set(['diff', 'mail', 'gitsendemail']);

/** One C file of a patch: its analysis as patched, and the patch line (0-based) of each of its lines (-1: not shown). */
interface PatchedAnalysis {
  analysis: DocumentAnalysis;
  patchLines: number[];
  fromHunks: boolean;
  /** The rules on the file as patched (worked out when first asked: hovers need none of it). */
  rules(): DocumentRules;
}

/** A Linux tree's internal file the patch changes: not laid out, only read as written by the rules (strict-size-check). */
interface WrittenFile {
  patchLines: number[];
  findings(): Finding[];
}

export interface PatchView {
  files: PatchedAnalysis[];
  /** The internal files of a Linux tree the patch changes. */
  written: WrittenFile[];
  problems: PatchProblem[];
}

/** The patch documents of a workspace, each analysed once per version over a cache of its own. */
export class PatchDocuments {
  private readonly views = new Map<string, { version: number; view: PatchView }>();
  /** The editor's other buffers by path: a patch applies to, and its files include, what the editor shows. */
  private readonly buffers = new Map<string, string>();
  /** The tree as the buffers over the disk have it, a patch's files put in as patched (which the workspace's cache must not see). */
  private readonly cache: SourceCache;
  private readonly tree: FileHost;
  /** The tree's files a patch was applied to, as read (see treeText). */
  private readonly treeTexts = new Map<string, string | undefined>();
  /** The files each patch document put in the cache as patched, by path. */
  private readonly patchedBy = new Map<string, Map<string, CachedSource>>();
  /** Each patched file's latest analysis, by targets and path (see analysis()). */
  private readonly analyses = new Map<string, { source: CachedSource; options: AnalysisOptions; analysis: DocumentAnalysis }>();
  /** The tree as published (no patch in it): each patched file's preimage is analysed here, the baseline of the rules. */
  private published: SourceCache;
  /** Each preimage's analysis, by targets and path, kept while its text is the same. */
  private readonly baselines = new Map<string, { source: CachedSource; analysis: DocumentAnalysis }>();
  private readonly treeOptions = new Map<string, AnalysisOptions>();
  /** The latest options of patches whose own .c files copy structs in, by tree, with what they copy (see optionsWith). */
  private readonly ownOptions = new Map<string, { key: string; options: AnalysisOptions }[]>();
  /** What each patched .c file copies in, with the text it was read from. */
  private readonly copies = new Map<string, { text: string; copies: StructCopy[] }>();

  constructor(
    host: FileHost,
    private readonly workspace: Workspace,
  ) {
    this.tree = buffersOverHost(this.buffers, host);
    this.cache = new SourceCache(this.tree);
    this.published = new SourceCache(this.tree);
  }

  static isPatch(doc: TextDocument): boolean {
    // Neovim names .mbox and .eml buffers 'mail', and a git format-patch mail 'gitsendemail'.
    return PATCH_LANGUAGES.has(doc.languageId) || PATCH_FILE_NAME.test(doc.uri);
  }

  /** The patch's files analysed on the configured targets (cached per version), or on `targets` (not cached). */
  view(doc: TextDocument, asked?: TargetName[]): PatchView {
    const path = uriToPath(doc.uri);
    const settings = this.workspace.settingsFor(path);
    const targets = asked ?? settings.targets;
    const configured = targets.join() === settings.targets.join();
    const known = configured ? this.views.get(doc.uri) : undefined;
    if (known && known.version === doc.version) return known.view;
    // As `patch -p1` run at the top of the tree: the workspace folder the patch is in, else the first, else its own folder.
    const tree = this.workspace.folderOf(path) ?? this.workspace.root ?? dirname(path);
    // A mail with no diff in it (or a patch still being written) shows nothing, and says nothing.
    const text = doc.getText();
    if (!isPatchText(text)) return { files: [], written: [], problems: [] };
    // The tree's text, not the cache's: the cache holds what an earlier version of this patch made of the file.
    const isDirectory = settings.kernelTree ? this.tree.isDirectory : undefined;
    const patched = patchedFiles(text, tree, (path) => this.treeText(path), isDirectory);
    const laidOut = patched.files.filter((file) => !file.internal);
    const { sources, changed } = this.putPatched(doc.uri, laidOut);
    const written = patched.files.filter((file) => file.internal).map((file) => ({ patchLines: file.patchLines, findings: () => writtenCodeFindings(file.path, file.text) }));
    const options = this.optionsWith(patched.files, tree);
    const files = laidOut.map((file, i) => {
      const analysis = this.analysis(sources[i], targets, changed, options);
      const rules = () => documentRules(analysis, this.cache, this.baseline(file, targets, tree));
      return { analysis, patchLines: file.patchLines, fromHunks: file.fromHunks, rules };
    });
    const view = { files, written, problems: patched.problems };
    if (configured) this.views.set(doc.uri, { version: doc.version, view });
    this.cache.trimIfOver();
    return view;
  }

  /** One options object per tree: the front end keeps its per-options answers (search lists) by identity. */
  private baseOptions(tree: string): AnalysisOptions {
    let options = this.treeOptions.get(tree);
    if (!options) this.treeOptions.set(tree, (options = this.workspace.analysisOptions(tree)));
    return options;
  }

  /**
   * The options a patch's files are analysed with: the workspace's, with the structs the patch's own .c files copy in
   * with copy_struct_from_user() (kernel/fork.c as patched) added to its evidence. The same object while what they
   * copy, read and test is the same (analyses are kept by it): the latest few per tree, so that two patches open at
   * once keep theirs, and a patch being edited does not keep one per keystroke.
   */
  private optionsWith(files: PatchedFile[], tree: string): AnalysisOptions {
    const base = this.baseOptions(tree);
    const own = copiedStructsOf(files.filter((f) => C_SOURCE_NAME.test(f.path)).map((f) => this.copiesIn(f)));
    if (own.size === 0) return base;
    const key = copiesKey(own.values());
    const recent = this.ownOptions.get(tree) ?? [];
    const known = recent.find((r) => r.key === key);
    const options = known?.options ?? { ...base, copiedStructs: copiedStructsOf([[...own.values()], [...(base.copiedStructs?.values() ?? [])]]) };
    this.ownOptions.set(tree, [{ key, options }, ...recent.filter((r) => r !== known)].slice(0, RECENT_OPTIONS));
    return options;
  }

  /** The structs a patched .c file copies in, read again only when its patched text changes (not at each keystroke). */
  private copiesIn(file: PatchedFile): StructCopy[] {
    const known = this.copies.get(file.path);
    if (known?.text === file.text) return known.copies;
    const copies = structCopies(file.path, file.text);
    this.copies.set(file.path, { text: file.text, copies });
    return copies;
  }

  /** A file of the tree as the buffers over the disk have it, read once until it changes (reset, bufferChanged). */
  private treeText(path: string): string | undefined {
    if (this.treeTexts.has(path)) return this.treeTexts.get(path);
    const text = this.tree.readFile(path);
    this.treeTexts.set(path, text);
    return text;
  }

  /**
   * Puts the patch's files in the cache as patched, and gives back to the tree those an earlier version of it patched
   * and this one does not: their sources, and the paths whose text changed.
   */
  private putPatched(uri: string, files: PatchedFile[]): { sources: CachedSource[]; changed: Set<string> } {
    const before = this.patchedBy.get(uri);
    const now = new Map<string, CachedSource>();
    const changed = new Set<string>();
    const sources = files.map((file) => {
      const source = this.cache.setText(file.path, file.text);
      if (before?.get(file.path) !== source) changed.add(file.path);
      // A file patched afresh may be what another file's #include did not find before.
      if (!before?.has(file.path)) this.analyses.clear();
      now.set(file.path, source);
      return source;
    });
    for (const path of before?.keys() ?? []) {
      if (now.has(path)) continue;
      this.cache.invalidate(path);
      changed.add(path);
    }
    this.patchedBy.set(uri, now);
    return { sources, changed };
  }

  /**
   * A patched file's analysis on `targets`, kept while its text is the same (setText gives the same source back) and
   * no file it read has `changed`: an edit of a mail's message, or of one file's hunk, analyses no other file again.
   */
  private analysis(source: CachedSource, targets: TargetName[], changed: ReadonlySet<string>, options: AnalysisOptions): DocumentAnalysis {
    const key = `${targets.join()}\0${source.file.path}`;
    const known = this.analyses.get(key);
    if (known?.source === source && known.options === options && !readAny(known.analysis, changed)) return known.analysis;
    const analysis = analyzeDocument(this.cache, source, targets, options);
    this.analyses.set(key, { source, options, analysis });
    return analysis;
  }

  /** What `file` published before the patch (nothing, for a file the patch creates), its analysis kept while it is the same. */
  private baseline(file: PatchedFile, targets: TargetName[], tree: string): Baseline | undefined {
    if (file.preimage === undefined) return undefined;
    return preimageBaseline(file.preimage, (text) => {
      const key = `${targets.join()}\0${file.path}`;
      const source = this.published.setText(file.path, text);
      const known = this.baselines.get(key);
      if (known?.source === source) return known.analysis;
      const analysis = analyzeDocument(this.published, source, targets, this.baseOptions(tree));
      this.baselines.set(key, { source, analysis });
      this.published.trimIfOver();
      return analysis;
    });
  }

  /** What the published tree's analyses read may have changed: start its cache afresh. */
  private forgetPublished(): void {
    this.published = new SourceCache(this.tree);
    this.baselines.clear();
  }

  closed(uri: string): void {
    this.views.delete(uri);
    // Its files read as the tree has them again (for the other patches' includes).
    for (const path of this.patchedBy.get(uri)?.keys() ?? []) this.cache.invalidate(path);
    this.patchedBy.delete(uri);
    this.analyses.clear();
  }

  /** Another document's buffer was opened or changed (its text), or closed (undefined: the disk's text again). */
  bufferChanged(path: string, text: string | undefined): void {
    if (text === undefined ? !this.buffers.delete(path) : this.buffers.get(path) === text) return;
    if (text !== undefined) this.buffers.set(path, text);
    this.cache.invalidate(path);
    this.treeTexts.delete(path);
    this.views.clear();
    // What a patched file includes may be this buffer.
    this.analyses.clear();
    this.forgetPublished();
  }

  /** Settings or files on disk changed. */
  reset(): void {
    this.views.clear();
    this.treeTexts.clear();
    this.analyses.clear();
    this.treeOptions.clear();
    this.ownOptions.clear();
    this.copies.clear();
    this.cache.memos.clear();
    this.forgetPublished();
  }
}

/** Whether any of the files `analysis` read (its root and includes, on any target) is at one of `paths`. */
function readAny(analysis: DocumentAnalysis, paths: ReadonlySet<string>): boolean {
  if (paths.size === 0) return false;
  for (const unit of analysis.units.values()) if (unit.pp.sources.some((s) => paths.has(s.file.path))) return true;
  return false;
}

/** `host` with the texts of open buffers in place of their files. */
function buffersOverHost(buffers: ReadonlyMap<string, string>, host: FileHost): FileHost {
  return {
    readFile: (path) => buffers.get(path) ?? host.readFile(path),
    isDirectory: host.isDirectory && ((path) => host.isDirectory!(path)),
    realPath: host.realPath && ((path) => host.realPath!(path)),
  };
}

/** A position in a patched file as a position in the patch (after the line's +/space marker); undefined if not shown. */
function toPatch(file: { patchLines: number[] }, p: Position): Position | undefined {
  const line = file.patchLines[p.line];
  return line === undefined || line < 0 ? undefined : { line, character: p.character + 1 };
}

export function rangeToPatch(file: { patchLines: number[] }, r: Range): Range | undefined {
  const start = toPatch(file, r.start);
  if (!start) return undefined;
  return { start, end: toPatch(file, r.end) ?? { line: start.line, character: start.character } };
}

export function patchHover(view: PatchView, at: Position): Hover | null {
  if (at.character === 0) return null;
  for (const file of view.files) {
    const line = file.patchLines.indexOf(at.line);
    if (line < 0) continue;
    const offset = file.analysis.root.file.offsetAt({ line, character: at.character - 1 });
    const hover = hoverAt(file.analysis, offset);
    if (hover) return hover;
  }
  return null;
}

export function patchLenses(view: PatchView): CodeLens[] {
  return view.files.flatMap((file) =>
    codeLenses(file.analysis).flatMap((lens) => {
      const range = rangeToPatch(file, lens.range);
      return range ? [{ ...lens, range }] : [];
    }),
  );
}

/** Offsets, sizes and holes after the members the mail shows, in the lines of `range`. */
export function patchInlayHints(view: PatchView, range: Range): InlayHint[] {
  return view.files.flatMap((file) => {
    const whole = { start: { line: 0, character: 0 }, end: { line: file.patchLines.length, character: 0 } };
    return inlayHints(file.analysis, whole).flatMap((hint) => {
      const position = toPatch(file, hint.position);
      return position && position.line >= range.start.line && position.line <= range.end.line ? [{ ...hint, position }] : [];
    });
  });
}

export function patchSymbols(view: PatchView): DocumentSymbol[] {
  const place = (file: PatchedAnalysis, symbol: DocumentSymbol): DocumentSymbol | undefined => {
    const selectionRange = rangeToPatch(file, symbol.selectionRange);
    if (!selectionRange) return undefined;
    const range = rangeToPatch(file, symbol.range);
    const children = symbol.children?.flatMap((c) => place(file, c) ?? []);
    return { ...symbol, range: range && contains(range, selectionRange) ? range : selectionRange, selectionRange, children };
  };
  return view.files.flatMap((file) => documentSymbols(file.analysis).flatMap((s) => place(file, s) ?? []));
}

/** Problems of one patch shown at most: past a thousand, an editor's problem list is no help. */
const MAX_PATCH_PROBLEMS = 1000;

export function patchDiagnostics(view: PatchView): Diagnostic[] {
  const shown = view.problems.slice(0, MAX_PATCH_PROBLEMS);
  const more = view.problems.length - shown.length;
  if (more > 0) shown.push({ line: view.problems[MAX_PATCH_PROBLEMS].line, message: `${more} more problems in this patch are not shown` });
  const out: Diagnostic[] = shown.map((p) => ({
    range: { start: { line: p.line, character: 0 }, end: { line: p.line, character: 0 } },
    severity: p.severity === 'information' ? DiagnosticSeverity.Information : DiagnosticSeverity.Warning,
    source: SERVER_NAME,
    code: 'patch',
    codeDescription: { href: `${RULES_DOC}#patch` },
    message: p.message,
  }));
  for (const file of view.files) {
    // A fragment's parse errors are noise (it is a patch's excerpt, not a file); what the rules find in it is not.
    for (const d of documentDiagnostics(file.analysis, file.rules().findings, !file.fromHunks)) {
      const range = rangeToPatch(file, d.range);
      if (range) out.push({ ...d, range, message: `${file.analysis.root.file.path}: ${d.message}` });
    }
  }
  for (const file of view.written) {
    for (const finding of file.findings()) {
      const d = findingDiagnostic(finding);
      const range = rangeToPatch(file, d.range);
      if (range) out.push({ ...d, range, message: `${finding.span.file.path}: ${d.message}` });
    }
  }
  return out;
}

/**
 * The `sysarg/layout` report of a patch document, as `sysarg layout` gives it for a patch file: each patched file's
 * records by its place in the tree; a file the tree lacks shown at the patch's lines, its parse errors left out.
 */
export function patchLayout(view: PatchView, patchPath: string, depths: boolean): LayoutResult {
  const result: LayoutResult = { version: 1, records: [], errors: patchErrors(view.problems, patchPath) };
  for (const file of view.files) {
    const { records, errors } = layoutJson(file.analysis, file.analysis.root.file.path, depths);
    if (file.fromHunks) placeInPatch(records, { file: patchPath, lines: file.patchLines });
    else result.errors.push(...errors);
    result.records.push(...records);
  }
  return result;
}
