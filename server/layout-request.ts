// `sysarg/layout`: the CONTRACTS.md layout report for one open document.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isTargetName } from '../core/abi/targets';
import { layoutFile } from '../core/layout-report';
import type { LayoutParams, LayoutResult, TargetName } from '../core/protocol';
import { uriToPath } from './positions';
import type { Workspace } from './workspace';

export function layoutRequest(workspace: Workspace, params: LayoutParams, doc: TextDocument | undefined): LayoutResult {
  const path = uriToPath(params.uri);
  if (doc) workspace.cache.setText(path, doc.getText());
  const targets = (params.targets ?? []).filter(isTargetName) as TargetName[];
  const { records, errors } = layoutFile(workspace.cache, path, targets.length ? targets : workspace.settings.targets, workspace.frontEndOptions());
  return { version: 1, records, errors };
}
