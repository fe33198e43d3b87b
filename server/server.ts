// The Sysarg language server: capabilities and handlers, thin glue between LSP and the pure analysis core.
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  ResponseError,
  ErrorCodes,
  MessageType,
  ShowMessageNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceFoldersChangeEvent,
} from 'vscode-languageserver/node';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { READ_FILES_GLOB } from '../core/file-kinds';
import { FlagsRequest, LayoutRequest, SERVER_NAME, type FlagsParams, type LayoutParams, type SysargSettings } from '../core/protocol';
import { documentRules } from '../core/rules/document-rules';
import type { FileHost } from '../core/source';
import { nodeFileHost } from '../cli/node-host';
import { codeLenses } from './code-lens';
import { codeActions } from './code-actions';
import { patchCodeActions } from './patch-code-actions';
import { documentDiagnostics } from './diagnostics';
import { flagsRequest } from './flags-request';
import { documentSymbols } from './document-symbols';
import { hoverAt } from './hover';
import { inlayHints } from './inlay-hints';
import { layoutRequest } from './layout-request';
import { registerSimulatorRequests } from './simulator-requests';
import { uriToPath } from './positions';
import { normalizeSettings } from './settings';
import { PatchDocuments, patchDiagnostics, patchHover, patchInlayHints, patchLenses, patchSymbols, type PatchView } from './patch-documents';
import { StructCopyIndex } from './struct-copy-index';
import { Workspace } from './workspace';

const DIAGNOSTIC_DELAY_MS = 200;

export class SysargServer {
  readonly documents = new TextDocuments(TextDocument);
  readonly workspace: Workspace;
  private readonly patches: PatchDocuments;
  /** The structs the workspace's .c files copy in with copy_struct_from_user(): evidence of extensible structs. */
  private readonly copies = new StructCopyIndex(() => this.copiesChanged());
  private pullConfiguration = false;
  private folderEvents = false;
  private watchFiles = false;
  private readonly pendingDiagnostics = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    readonly connection: Connection,
    host: FileHost = nodeFileHost,
  ) {
    this.workspace = new Workspace(host);
    // A notification: the user need not answer (window.showWarningMessage would send a request).
    this.workspace.onWarning = (message) => void this.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: `Sysarg: ${message}` });
    this.patches = new PatchDocuments(host, this.workspace);
  }

  listen(): void {
    const c = this.connection;
    c.onInitialize((params) => this.initialize(params));
    c.onInitialized(() => this.initialized());
    c.onDidChangeConfiguration((change) => this.safely('configuration', () => this.configurationChanged(change.settings)));
    c.onDidChangeWatchedFiles((change) => this.safely('watched files', () => this.filesChanged(change.changes.map((x) => x.uri))));
    c.onHover((p) => this.withPatch(p.textDocument.uri, (v) => patchHover(v, p.position)) ?? this.withAnalysis(p.textDocument.uri, (a, doc) => hoverAt(a, doc.offsetAt(p.position))));
    c.onDocumentSymbol((p) => this.withPatch(p.textDocument.uri, patchSymbols) ?? this.withAnalysis(p.textDocument.uri, (a) => documentSymbols(a)));
    c.onCodeLens((p) => this.withPatch(p.textDocument.uri, patchLenses) ?? this.withAnalysis(p.textDocument.uri, (a) => codeLenses(a)));
    c.languages.inlayHint.on((p) =>
      this.workspace.settingsFor(uriToPath(p.textDocument.uri)).inlayHints.enabled
        ? this.withPatch(p.textDocument.uri, (v) => patchInlayHints(v, p.range)) ?? this.withAnalysis(p.textDocument.uri, (a) => inlayHints(a, p.range))
        : [],
    );
    c.onCodeAction(
      (p) =>
        this.withPatch(p.textDocument.uri, (v, doc) => patchCodeActions(v, doc.getText(), doc.uri, p.range)) ??
        this.withAnalysis(p.textDocument.uri, (a, doc) => codeActions(a, documentRules(a, this.workspace.cache, this.workspace.baseline(doc)).findings, doc.uri, p.range)),
    );
    c.onRequest(LayoutRequest, (params: LayoutParams) => this.documentRequest(LayoutRequest, params, (uri) => layoutRequest(this.workspace, params, this.documents.get(uri), this.patches)));
    c.onRequest(FlagsRequest, (params: FlagsParams) => this.documentRequest(FlagsRequest, params, (uri) => flagsRequest(this.workspace, params, this.documents.get(uri), this.patches)));
    registerSimulatorRequests(c, this.workspace, this.documents);
    this.documents.onDidOpen((e) => this.safely('open', () => this.publish(e.document.uri)));
    this.documents.onDidChangeContent((e) => this.safely('change', () => this.documentChanged(e.document)));
    this.documents.onDidClose((e) => this.safely('close', () => this.documentClosed(e.document)));
    this.documents.onDidSave((e) => this.safely('save', () => this.workspace.saved(e.document.uri)));
    this.documents.listen(c);
    c.listen();
  }

  private initialize(params: InitializeParams): InitializeResult {
    const options = (params.initializationOptions ?? {}) as { trusted?: unknown; settings?: unknown };
    this.workspace.trusted = options.trusted !== false;
    if (options.settings) this.workspace.setSettings(normalizeSettings(options.settings));
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    this.workspace.folders = folders.map(uriToPath);
    this.pullConfiguration = params.capabilities.workspace?.configuration === true;
    this.watchFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    this.folderEvents = params.capabilities.workspace?.workspaceFolders === true;
    return {
      capabilities: {
        // Saves too: a saved file may be committed next, and its git baseline is read again.
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        documentSymbolProvider: true,
        codeLensProvider: { resolveProvider: false },
        inlayHintProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: SERVER_NAME, version: '0.1.0' },
    };
  }

  private async initialized(): Promise<void> {
    // The library listens for folder changes once the client has said it sends them (in initialize).
    if (this.folderEvents) this.connection.workspace.onDidChangeWorkspaceFolders((event) => this.safely('workspace folders', () => this.foldersChanged(event)));
    // Headers, sources and patches changed on disk (a checkout, a build): what was read of them is read again.
    if (this.watchFiles) void this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: READ_FILES_GLOB }] }).catch((error) => this.log('file watching', error));
    this.scanCopies();
    if (!this.pullConfiguration) return;
    try {
      void this.connection.client.register(DidChangeConfigurationNotification.type, { section: 'sysarg' });
      await this.refreshSettings();
    } catch (error) {
      this.log('settings', error);
    }
  }

  /** The window's settings and each workspace folder's (VS Code's folder-level `sysarg.*`), in one request. */
  private async refreshSettings(): Promise<void> {
    const folders = this.workspace.folders;
    const items = [{ section: 'sysarg' }, ...folders.map((folder) => ({ scopeUri: pathToFileURL(folder).toString(), section: 'sysarg' }))];
    const [window, ...byFolder] = (await this.connection.workspace.getConfiguration(items)) as unknown[];
    this.applySettings(window, new Map(folders.map((folder, i) => [folder, normalizeSettings(byFolder[i] ?? window)])));
  }

  private applySettings(raw: unknown, byFolder?: Map<string, SysargSettings>): void {
    this.workspace.setSettings(normalizeSettings(raw), byFolder);
    this.workspace.reset();
    this.patches.reset();
    for (const doc of this.documents.all()) this.publish(doc.uri);
    void this.connection.languages.inlayHint.refresh().catch(() => undefined);
  }

  private configurationChanged(settings: unknown): void {
    if (this.pullConfiguration) {
      void this.refreshSettings().catch((error) => this.log('settings', error));
      return;
    }
    const section = (settings as { sysarg?: unknown } | null)?.sysarg;
    if (section !== undefined) this.applySettings(section);
  }

  /** Reads the workspace's .c files for copy_struct_from_user() calls in the background, and says what it found. */
  private scanCopies(): void {
    const started = Date.now();
    void this.copies.scan(this.workspace.folders).then(
      () => this.connection.console.info(`sysarg: ${this.copies.copied().size} structs copied in with copy_struct_from_user() in the workspace's .c files (read in ${Date.now() - started} ms)`),
      (error) => this.log('reading the workspace\'s .c files', error),
    );
  }

  /** Which structs the workspace's .c files copy in changed: which are extensible may have, and their findings. */
  private copiesChanged(): void {
    this.workspace.copiesChanged(this.copies.copied());
    this.patches.reset();
    for (const doc of this.documents.all()) this.publish(doc.uri);
  }

  /** Folders added to or removed from the workspace: patches may now apply to another tree. */
  private foldersChanged(event: WorkspaceFoldersChangeEvent): void {
    const removed = new Set(event.removed.map((f) => uriToPath(f.uri)));
    this.workspace.folders = [...this.workspace.folders.filter((f) => !removed.has(f)), ...event.added.map((f) => uriToPath(f.uri))];
    this.workspace.reset();
    this.patches.reset();
    for (const doc of this.documents.all()) this.publish(doc.uri);
    this.scanCopies();
    // A folder added has settings of its own.
    if (this.pullConfiguration) void this.refreshSettings().catch((error) => this.log('settings', error));
  }

  private filesChanged(uris: string[]): void {
    for (const uri of uris) {
      this.workspace.fileChangedOnDisk(uri);
      if (!this.documents.get(uri)) void this.copies.fileChanged(uriToPath(uri));
    }
    this.patches.reset();
    for (const doc of this.documents.all()) this.publish(doc.uri);
  }

  private documentChanged(doc: TextDocument): void {
    this.publishSoon(doc.uri);
    // A patch's text is no file that C includes; any other buffer is the file for the patches too.
    if (PatchDocuments.isPatch(doc)) return;
    this.workspace.changed(doc);
    this.copies.bufferChanged(uriToPath(doc.uri), doc.getText());
    this.patches.bufferChanged(uriToPath(doc.uri), doc.getText());
    this.publishPatchesSoon();
  }

  private documentClosed(doc: TextDocument): void {
    const uri = doc.uri;
    const pending = this.pendingDiagnostics.get(uri);
    if (pending) clearTimeout(pending);
    this.pendingDiagnostics.delete(uri);
    this.workspace.closed(uri);
    this.patches.closed(uri);
    if (!PatchDocuments.isPatch(doc)) {
      this.patches.bufferChanged(uriToPath(uri), undefined);
      this.copies.bufferChanged(uriToPath(uri), undefined);
      this.publishPatchesSoon();
    }
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  /** Publishes a document's diagnostics once its edits pause. */
  private publishSoon(uri: string): void {
    const pending = this.pendingDiagnostics.get(uri);
    if (pending) clearTimeout(pending);
    this.pendingDiagnostics.set(uri, setTimeout(() => {
      this.pendingDiagnostics.delete(uri);
      this.safely('diagnostics', () => this.publish(uri));
    }, DIAGNOSTIC_DELAY_MS));
  }

  /** A buffer a patch may apply to changed: the open patches' diagnostics follow. */
  private publishPatchesSoon(): void {
    for (const doc of this.documents.all()) if (PatchDocuments.isPatch(doc)) this.publishSoon(doc.uri);
  }

  private publish(uri: string): void {
    const doc = this.documents.get(uri);
    if (!doc) return;
    if (PatchDocuments.isPatch(doc)) {
      void this.connection.sendDiagnostics({ uri, version: doc.version, diagnostics: patchDiagnostics(this.patches.view(doc)) });
      return;
    }
    const analysis = this.workspace.analysis(doc);
    if (!analysis) return;
    const { findings } = documentRules(analysis, this.workspace.cache, this.workspace.baseline(doc));
    void this.connection.sendDiagnostics({ uri, version: doc.version, diagnostics: documentDiagnostics(analysis, findings, true, this.workspace.findingsAtHead(doc)) });
  }

  /** A custom request about one document (`{ uri }`): bad params and failures answer an error, never a dead server. */
  private documentRequest<T>(name: string, params: { uri?: unknown } | undefined, run: (uri: string) => T): T | ResponseError<void> {
    if (!params || typeof params.uri !== 'string') return new ResponseError(ErrorCodes.InvalidParams, `${name} needs { uri }`);
    try {
      return run(params.uri);
    } catch (error) {
      this.log(name, error);
      return new ResponseError(ErrorCodes.InternalError, `${name} failed: ${String(error)}`);
    }
  }

  /** Runs a feature on a patch document's view; undefined for any other document (a failure answers null). */
  private withPatch<T>(uri: string, feature: (view: PatchView, doc: TextDocument) => T): T | null | undefined {
    const doc = this.documents.get(uri);
    if (!doc || !PatchDocuments.isPatch(doc)) return undefined;
    return this.safely(`request on ${uri}`, () => feature(this.patches.view(doc), doc)) ?? null;
  }

  /** Runs a feature on the document's analysis; a failure is logged and answers null, the server keeps serving. */
  private withAnalysis<T>(uri: string, feature: (analysis: NonNullable<ReturnType<Workspace['analysis']>>, doc: TextDocument) => T): T | null {
    const doc = this.documents.get(uri);
    if (!doc) return null;
    return this.safely(`request on ${uri}`, () => {
      const analysis = this.workspace.analysis(doc);
      return analysis ? feature(analysis, doc) : null;
    }) ?? null;
  }

  private safely<T>(what: string, action: () => T): T | undefined {
    try {
      return action();
    } catch (error) {
      this.log(what, error);
      return undefined;
    }
  }

  private log(what: string, error: unknown): void {
    const detail = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
    this.connection.console.error(`sysarg: ${what} failed: ${detail}`);
  }
}

export function startServer(): void {
  const connection = createConnection(ProposedFeatures.all);
  process.on('uncaughtException', (error) => connection.console.error(`sysarg: uncaught: ${error.stack ?? error}`));
  new SysargServer(connection).listen();
}
