// A real LSP client for tests: spawns the built server over stdio and speaks the protocol to it.
import { spawn, type ChildProcess } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { cliPath, serverPath } from './paths';

/** A diagnostic whose message is plain text (LSP 3.18 also allows markup). */
export type TextDiagnostic = Omit<Diagnostic, 'message'> & { message: string };

export interface TestClient {
  connection: ProtocolConnection;
  process: ChildProcess;
  stderr: () => string;
  open(path: string, text: string, languageId?: string): string;
  change(uri: string, version: number, text: string): void;
  close(uri: string): void;
  /** Forgets what was published for `uri`, so that `diagnostics` waits for the next publication. */
  forgetDiagnostics(uri: string): void;
  diagnostics(uri: string, timeoutMs?: number): Promise<TextDiagnostic[]>;
  hover(uri: string, line: number, character: number): Promise<string | null>;
  request<R>(method: string, params: unknown): Promise<R>;
  /** What the server showed the user (window/showMessage), in order. */
  shown: () => { type: number; message: string }[];
  /** What the server asked to register (client/registerCapability), in order. */
  registrations: () => { method: string; registerOptions?: unknown }[];
  stop(): Promise<void>;
}

/**
 * `configuration`: the client pulls settings (workspace/configuration), answering each item (a scopeUri for a folder's
 * settings, none for the window's) with what it returns.
 */
export async function startServer(
  options: { settings?: unknown; viaCli?: boolean; rootPath?: string; folders?: string[]; trusted?: boolean; workspaceCapabilities?: object; configuration?: (item: { scopeUri?: string; section?: string }) => unknown } = {},
): Promise<TestClient> {
  const args = options.viaCli ? [cliPath, 'lsp', '--stdio'] : [serverPath, '--stdio'];
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const published = new Map<string, PublishDiagnosticsParams[]>();
  const waiters: (() => void)[] = [];
  connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.set(p.uri, [...(published.get(p.uri) ?? []), p]);
    waiters.splice(0).forEach((w) => w());
  });
  connection.onNotification('window/logMessage', () => undefined);
  const shown: { type: number; message: string }[] = [];
  connection.onNotification('window/showMessage', (p: { type: number; message: string }) => void shown.push(p));
  const registered: { method: string; registerOptions?: unknown }[] = [];
  connection.onRequest('client/registerCapability', (params: { registrations: { method: string; registerOptions?: unknown }[] }) => {
    registered.push(...params.registrations);
    return null;
  });
  connection.onRequest('workspace/inlayHint/refresh', () => null);
  const configuration = options.configuration;
  if (configuration) connection.onRequest('workspace/configuration', (params: { items: { scopeUri?: string; section?: string }[] }) => params.items.map(configuration));
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: options.rootPath ? pathToFileURL(options.rootPath).toString() : null,
    ...(options.folders ? { workspaceFolders: options.folders.map((f) => ({ uri: pathToFileURL(f).toString(), name: f })) } : {}),
    capabilities: { textDocument: { hover: { contentFormat: ['markdown'] } }, workspace: { ...(options.folders ? { workspaceFolders: true } : {}), ...(configuration ? { configuration: true } : {}), ...options.workspaceCapabilities } },
    initializationOptions: { settings: options.settings ?? { targets: ['x86_64', 'i386'] }, trusted: options.trusted ?? true },
  });
  await connection.sendNotification('initialized', {});
  const versions = new Map<string, number>();
  return {
    connection,
    process: child,
    stderr: () => stderr,
    open(path, text, languageId = 'c') {
      const uri = path.includes('://') ? path : pathToFileURL(path).toString();
      published.delete(uri);
      versions.set(uri, 1);
      void connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
      return uri;
    },
    change(uri, version, text) {
      published.delete(uri);
      void connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    },
    close(uri) {
      void connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    },
    forgetDiagnostics(uri) {
      published.delete(uri);
    },
    async diagnostics(uri, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!published.get(uri)?.length) {
        if (Date.now() > deadline) throw new Error(`no diagnostics for ${uri} within ${timeoutMs} ms; stderr: ${stderr.slice(-500)}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 100);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      const list = published.get(uri)!;
      return list[list.length - 1].diagnostics.map((d) => ({ ...d, message: typeof d.message === 'string' ? d.message : d.message.value }));
    },
    async hover(uri, line, character) {
      const result = (await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character } })) as { contents: { value: string } } | null;
      return result ? result.contents.value : null;
    },
    request: <R>(method: string, params: unknown) => connection.sendRequest(method, params) as Promise<R>,
    shown: () => shown,
    registrations: () => registered,
    async stop() {
      try {
        await Promise.race([connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
        void connection.sendNotification('exit');
      } catch {
        // the server may already be gone
      }
      connection.dispose();
      setTimeout(() => child.kill('SIGKILL'), 500).unref();
    },
  };
}

/** Line and character of the first occurrence of `needle` in `text` (plus `delta` characters). */
export function positionOf(text: string, needle: string, delta = 0): { line: number; character: number } {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`'${needle}' not in text`);
  const before = text.slice(0, index + delta);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}
