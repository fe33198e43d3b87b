// The server's view of files: open buffers over the disk, settings, and one cached analysis per open C document.
import { isAbsolute, join, relative } from 'node:path';
import { COMPILE_COMMANDS_FILE, readCompilationDatabase, type CompilationDatabase } from '../core/c/compile-commands';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { MEMO_TOKEN_BUDGET, SourceCache } from '../core/c/source-cache';
import { C_FILE_NAME } from '../core/file-kinds';
import { analyzeDocument, type AnalysisOptions, type DocumentAnalysis } from '../core/document-analysis';
import type { FrontEndOptions } from '../core/front-end';
import { DEFAULT_SETTINGS, type SysargSettings } from '../core/protocol';
import type { Baseline } from '../core/published-records';
import type { FileHost, FrontEndDiagnostic } from '../core/source';
import type { CopiedStructs, StructCopy } from '../core/struct-copies';
import { findCompilerIncludeDir } from '../cli/node-host';
import { GitBaselines } from './git-baselines';
import { uriToPath } from './positions';
import { resolveIncludePaths } from './settings';

const C_LANGUAGES = new Set(['c', 'cpp', 'objective-c']);

export class Workspace {
  readonly cache: SourceCache;
  /** The settings of files in no workspace folder (and of every file, for a client that has no folder settings). */
  settings: SysargSettings = DEFAULT_SETTINGS;
  /** Each workspace folder's own settings (VS Code's folder-level `sysarg.*`), where the client gives them. */
  private folderSettings = new Map<string, SysargSettings>();
  /** Every workspace folder (a patch applies to the one it is in). */
  folders: string[] = [];
  /** False in untrusted workspaces: nothing is executed (no git), files are only read. */
  trusted = true;
  /** The structs the workspace's .c files copy in with copy_struct_from_user() (see StructCopyIndex). */
  private copiedStructs: CopiedStructs = new Map();
  private readonly analyses = new Map<string, { version: number; analysis: DocumentAnalysis }>();
  private readonly compilerIncludeDir = findCompilerIncludeDir();
  private readonly git: GitBaselines;
  /** Compilation databases read, by path; null where the file is missing or is none (read again once it changes). */
  private readonly databases = new Map<string, CompilationDatabase | null>();
  /** Told once per file why a compilation database could not be read (the server shows it). */
  onWarning: (message: string) => void = () => {};

  /** `budget`: how many tokens the cache's include results may hold before it is trimmed (see SourceCache.trimIfOver). */
  constructor(
    private readonly host: FileHost,
    private readonly budget = MEMO_TOKEN_BUDGET,
  ) {
    this.cache = new SourceCache(host);
    this.git = new GitBaselines(host);
  }


  /** The first workspace folder: relative include paths in the settings are resolved against it. */
  get root(): string | undefined {
    return this.folders[0];
  }

  /** The workspace folder holding `path` (the innermost, where folders nest), or undefined. */
  folderOf(path: string): string | undefined {
    let best: string | undefined;
    for (const folder of this.folders) {
      const inside = path === folder || path.startsWith(folder.endsWith('/') ? folder : `${folder}/`);
      if (inside && (best === undefined || folder.length > best.length)) best = folder;
    }
    return best;
  }

  /** The settings a file is read with: its workspace folder's, else the window's. */
  settingsFor(path: string): SysargSettings {
    const folder = this.folderOf(path);
    return (folder !== undefined && this.folderSettings.get(folder)) || this.settings;
  }

  /** New settings: the window's, and each folder's where the client gave them (a folder not in the map has the window's). */
  setSettings(settings: SysargSettings, byFolder: Map<string, SysargSettings> = new Map()): void {
    this.settings = settings;
    this.folderSettings = byFolder;
  }

  isCDocument(doc: TextDocument): boolean {
    return C_LANGUAGES.has(doc.languageId) || C_FILE_NAME.test(doc.uri);
  }

  /** How the front end reads `path` (its folder's settings; relative include paths from that folder); no path: the window's. */
  frontEndOptions(path?: string): FrontEndOptions {
    const settings = path === undefined ? this.settings : this.settingsFor(path);
    return {
      includePaths: resolveIncludePaths(settings.includePaths, (path !== undefined && this.folderOf(path)) || this.root),
      defines: settings.defines,
      kernelTree: settings.kernelTree,
      compilerIncludeDir: this.compilerIncludeDir,
      compileCommands: path === undefined ? undefined : this.compileCommandsFor(path, settings),
    };
  }

  /**
   * The compilation database `path` is read with (`sysarg.compileCommands`): the file or directory it names (relative
   * to the file's workspace folder), or by default the folder's `compile_commands.json` or `build/compile_commands.json`,
   * where clangd also looks; "none" reads none.
   */
  private compileCommandsFor(path: string, settings: SysargSettings): CompilationDatabase | undefined {
    const named = settings.compileCommands;
    const folder = this.folderOf(path) ?? this.root;
    if (named === 'none' || (folder === undefined && !isAbsolute(named))) return undefined;
    const at = (p: string) => (isAbsolute(p) ? p : join(folder as string, p));
    const candidates = named === '' ? [at(COMPILE_COMMANDS_FILE), at(join('build', COMPILE_COMMANDS_FILE))] : [this.host.isDirectory?.(at(named)) ? join(at(named), COMPILE_COMMANDS_FILE) : at(named)];
    for (const candidate of candidates) {
      const db = this.database(candidate);
      if (db) return db;
    }
    return undefined;
  }

  private database(path: string): CompilationDatabase | undefined {
    let db = this.databases.get(path);
    if (db === undefined) {
      const text = this.host.readFile(path);
      const read = text === undefined ? undefined : readCompilationDatabase(path, text);
      if (read && 'error' in read) this.onWarning(`${path}: ${read.error}; files are read without it`);
      db = read && !('error' in read) ? read : null;
      this.databases.set(path, db);
    }
    return db ?? undefined;
  }

  /** The front end's options and the evidence of the workspace's .c files: what a document's analysis is made with. */
  analysisOptions(path?: string): AnalysisOptions {
    return { ...this.frontEndOptions(path), copiedStructs: this.copiedStructs };
  }

  /**
   * The structs the workspace's .c files copy in changed: which structs are extensible may have. Each call is shown
   * by its path in its workspace folder (`kernel/fork.c:2946`), as hovers say why a struct counts as extensible.
   */
  copiesChanged(copied: CopiedStructs): void {
    const shown = new Map<string, StructCopy>();
    for (const [tag, copy] of copied) {
      const folder = this.folderOf(copy.path);
      shown.set(tag, folder === undefined ? copy : { ...copy, path: relative(folder, copy.path) });
    }
    this.copiedStructs = shown;
    this.analyses.clear();
  }

  /** The analysis of an open C document at its current version (computed at most once per version). */
  analysis(doc: TextDocument): DocumentAnalysis | undefined {
    if (!this.isCDocument(doc)) return undefined;
    const known = this.analyses.get(doc.uri);
    if (known && known.version === doc.version) return known.analysis;
    const path = uriToPath(doc.uri);
    const root = this.cache.setText(path, doc.getText());
    const analysis = analyzeDocument(this.cache, root, this.settingsFor(path).targets, this.analysisOptions(path));
    this.analyses.set(doc.uri, { version: doc.version, analysis });
    // A long session over many files (a kernel tree's .c files each include hundreds of headers) stays bounded.
    this.cache.trimIfOver(this.budget);
    return analysis;
  }

  /**
   * The records an open C document is checked against: its file at git's HEAD, where the workspace is trusted (git is
   * run) and `sysarg.baseline` is "git"; else undefined.
   */
  baseline(doc: TextDocument): Baseline | undefined {
    const path = uriToPath(doc.uri);
    const settings = this.settingsFor(path);
    if (!this.trusted || settings.baseline !== 'git' || !this.isCDocument(doc)) return undefined;
    return this.git.baselineFor(path, settings.targets, this.frontEndOptions(path));
  }

  /**
   * With `sysarg.newOnly` (and a baseline from git, as baseline() needs): what the document's file had at HEAD, for its
   * diagnostics to leave out; else undefined (everything is shown).
   */
  findingsAtHead(doc: TextDocument): FrontEndDiagnostic[] | undefined {
    const path = uriToPath(doc.uri);
    const settings = this.settingsFor(path);
    if (!this.trusted || settings.baseline !== 'git' || !settings.newOnly || !this.isCDocument(doc)) return undefined;
    return this.git.findingsAtHead(path, settings.targets, this.frontEndOptions(path));
  }

  /** A document was saved: a commit may follow, so its HEAD text is read again when next asked. */
  saved(uri: string): void {
    this.git.forget(uriToPath(uri));
  }

  /** A buffer changed: its text replaces the file for every other document that includes it. */
  changed(doc: TextDocument): void {
    this.cache.setText(uriToPath(doc.uri), doc.getText());
    for (const uri of this.analyses.keys()) if (uri !== doc.uri) this.analyses.delete(uri);
  }

  closed(uri: string): void {
    this.analyses.delete(uri);
    this.cache.invalidate(uriToPath(uri));
  }

  /** Files changed on disk (or settings changed): forget everything derived. */
  reset(): void {
    this.analyses.clear();
    this.cache.memos.clear();
    this.git.reset();
    this.databases.clear();
  }

  fileChangedOnDisk(uri: string): void {
    this.cache.invalidate(uriToPath(uri));
    this.databases.delete(uriToPath(uri));
    this.analyses.clear();
    this.git.forget(uriToPath(uri));
  }
}
