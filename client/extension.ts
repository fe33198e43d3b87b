// VS Code entry point: starts the bundled Sysarg language server over IPC and registers the commands.
import * as vscode from 'vscode';
import { startLanguageClient, type SysargClient } from './language-client';
import { registerShowLayout } from './show-layout';

let client: SysargClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<{ client: SysargClient | undefined }> {
  client = await startLanguageClient(context);
  context.subscriptions.push(
    vscode.commands.registerCommand('sysarg.restartServer', async () => {
      await client?.restart();
    }),
    registerShowLayout(() => client),
  );
  return { client };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
