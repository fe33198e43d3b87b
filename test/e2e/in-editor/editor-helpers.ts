// Small helpers for the in-editor cases: open workspace files, find positions by text, poll the editor's providers.
import * as vscode from 'vscode';

export const EXTENSION_ID = 'sysarg.sysarg';

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `probe` until `accept` holds for its value; on time-out throws with `explain(last value)`, so a failing
 * case says what the editor actually showed. The language server answers asynchronously after an open or an edit.
 */
export async function pollUntil<T>(
  probe: () => Promise<T> | T,
  accept: (value: T) => boolean,
  explain: (last: T | undefined) => string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await probe();
    if (accept(last)) return last;
    if (Date.now() > deadline) throw new Error(explain(last));
    await sleep(250);
  }
}

/**
 * Writes a workspace file, then polls as pollUntil does. The server learns of the file from the editor's file watcher,
 * and code-server's now and then drops an event (two such cases failed together in one CI run of five, and passed in
 * the other runs and in six local ones): a file still unseen after 5 s is written once more, as a user's next save
 * would write it, before the poll gives up.
 */
export async function writeAndPoll<T>(relative: string, text: string, probe: () => Promise<T> | T, accept: (value: T) => boolean, explain: (last: T | undefined) => string): Promise<T> {
  await writeWorkspaceFile(relative, text);
  try {
    return await pollUntil(probe, accept, explain, 5_000);
  } catch {
    await writeWorkspaceFile(relative, text);
    return pollUntil(probe, accept, (last) => `${explain(last)} (written twice)`, 15_000);
  }
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open (the runner opens a copy of test/e2e/workspace)');
  return folder.uri;
}

export function workspaceFile(relative: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...relative.split('/'));
}

export async function openInEditor(uri: vscode.Uri): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, { preview: false });
  return document;
}

export async function writeWorkspaceFile(relative: string, text: string): Promise<vscode.Uri> {
  const uri = workspaceFile(relative);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

/** Position of the `nth` occurrence of `needle` (0-based), moved `delta` characters into it. */
export function positionOf(document: vscode.TextDocument, needle: string, delta = 0, nth = 0): vscode.Position {
  const text = document.getText();
  let index = -1;
  for (let i = 0; i <= nth; i++) {
    index = text.indexOf(needle, index + 1);
    if (index < 0) throw new Error(`'${needle}' not found in ${document.uri.fsPath}`);
  }
  return document.positionAt(index + delta);
}

function markdownOf(content: vscode.MarkdownString | vscode.MarkedString): string {
  if (typeof content === 'string') return content;
  return content.value;
}

/** Everything every hover provider shows at `position`, joined. */
export async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
  return (hovers ?? []).flatMap((hover) => hover.contents.map(markdownOf)).join('\n---\n');
}

/** Polls the hover until it contains every pattern; fails showing the last hover text. */
export async function expectHover(uri: vscode.Uri, position: vscode.Position, patterns: RegExp[], what: string): Promise<string> {
  return pollUntil(
    () => hoverText(uri, position),
    (text) => patterns.every((p) => p.test(text)),
    (last) => {
      const missing = patterns.filter((p) => !p.test(last ?? '')).map(String);
      const shown = last ? `hover was:\n${last}` : 'no hover at all';
      return `${what}: hover at ${position.line + 1}:${position.character + 1} lacks ${missing.join(', ')}; ${shown}`;
    },
  );
}

export type SymbolResult = vscode.DocumentSymbol | vscode.SymbolInformation;

export function flattenSymbols(symbols: SymbolResult[]): SymbolResult[] {
  return symbols.flatMap((s) => ('children' in s ? [s, ...flattenSymbols(s.children)] : [s]));
}

export function symbolRange(symbol: SymbolResult): vscode.Range {
  return 'location' in symbol ? symbol.location.range : symbol.range;
}

export async function documentSymbols(uri: vscode.Uri): Promise<SymbolResult[]> {
  const symbols = await vscode.commands.executeCommand<SymbolResult[]>('vscode.executeDocumentSymbolProvider', uri);
  return flattenSymbols(symbols ?? []);
}

export async function codeLenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  // The second argument makes the editor resolve that many lenses, as it does for the visible ones.
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 1000);
  return lenses ?? [];
}

export function describeLenses(lenses: vscode.CodeLens[]): string {
  if (lenses.length === 0) return 'no code lens at all';
  return lenses.map((l) => `line ${l.range.start.line + 1}: ${l.command?.title ?? '(unresolved)'}`).join('; ');
}
