// Creates the LanguageClient: the server module, the documents it sees, and what it is told about workspace trust.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SERVER_NAME } from '../core/protocol';

export type SysargClient = LanguageClient;

export const DOCUMENT_SELECTOR = [
  { language: 'c' },
  { language: 'cpp' },
  { language: 'diff' },
  { scheme: 'file', pattern: '**/*.{patch,diff,mbox,mbx,eml}' },
];

export async function startLanguageClient(context: vscode.ExtensionContext): Promise<LanguageClient> {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    synchronize: { configurationSection: 'sysarg' },
    initializationOptions: { trusted: vscode.workspace.isTrusted },
    outputChannelName: 'Sysarg',
  };
  const client = new LanguageClient(SERVER_NAME, 'Sysarg', serverOptions, clientOptions);
  await client.start();
  return client;
}
