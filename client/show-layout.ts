// "Sysarg: Show Struct Layout": asks the server for the layouts of the active document and shows them pahole-style.
import * as vscode from 'vscode';
import { LayoutRequest, type LayoutParams, type LayoutResult } from '../core/protocol';
import { formatLayoutText } from '../core/layout-text';
import type { SysargClient } from './language-client';

export function registerShowLayout(getClient: () => SysargClient | undefined): vscode.Disposable {
  return vscode.commands.registerCommand('sysarg.showLayout', async () => {
    const editor = vscode.window.activeTextEditor;
    const client = getClient();
    if (!editor || !client) {
      void vscode.window.showInformationMessage('Sysarg: open a C header first.');
      return;
    }
    const params: LayoutParams = { uri: editor.document.uri.toString(), depths: true };
    const result = await client.sendRequest<LayoutResult>(LayoutRequest, params);
    const doc = await vscode.workspace.openTextDocument({ language: 'c', content: formatLayoutText(result) });
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  });
}
