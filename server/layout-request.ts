// `sysarg/layout`: the CONTRACTS.md layout report for one document (the open buffer's cached analysis when it has one).
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isTargetName } from '../core/abi/targets';
import { layoutFile, layoutJson } from '../core/layout-report';
import type { LayoutParams, LayoutResult, TargetName } from '../core/protocol';
import { PatchDocuments, patchLayout } from './patch-documents';
import { uriToPath } from './positions';
import type { Workspace } from './workspace';

export function layoutRequest(workspace: Workspace, params: LayoutParams, doc: TextDocument | undefined, patches?: PatchDocuments): LayoutResult {
  const path = uriToPath(params.uri);
  const asked = (params.targets ?? []).filter(isTargetName) as TargetName[];
  const configured = workspace.settingsFor(path).targets;
  const targets = asked.length ? asked : configured;
  const depths = params.depths === true;
  if (doc && patches && PatchDocuments.isPatch(doc)) return patchLayout(patches.view(doc, targets), path, depths);
  const cached = doc && targets.join() === configured.join() ? workspace.analysis(doc) : undefined;
  if (cached) return { version: 1, ...layoutJson(cached, path, depths) };
  if (doc) workspace.cache.setText(path, doc.getText());
  return { version: 1, ...layoutFile(workspace.cache, path, targets, workspace.frontEndOptions(path), depths) };
}
