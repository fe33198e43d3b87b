// `sysarg/flags`: the flag families of one document and what the flag rules find (a patch: each file it patches).
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeDocument } from '../core/document-analysis';
import { flagsJson } from '../core/flags-report';
import type { FlagsParams, FlagsResult } from '../core/protocol';
import { documentRules } from '../core/rules/document-rules';
import { diagnosticInPatch } from '../core/rules/finding';
import { PatchDocuments } from './patch-documents';
import { uriToPath } from './positions';
import type { Workspace } from './workspace';

export function flagsRequest(workspace: Workspace, params: FlagsParams, doc: TextDocument | undefined, patches: PatchDocuments): FlagsResult {
  const path = uriToPath(params.uri);
  const result: FlagsResult = { version: 1, families: [], diagnostics: [], errors: [] };
  if (doc && PatchDocuments.isPatch(doc)) {
    for (const file of patches.view(doc).files) {
      const { families, diagnostics } = flagsJson(file.analysis, file.rules(), file.analysis.root.file.path);
      result.families.push(...families);
      result.diagnostics.push(...diagnostics.map((d) => diagnosticInPatch(d, { file: path, lines: file.patchLines })));
    }
    return result;
  }
  // An open C document's analysis as the editor shows it; a file not open, as the disk has it.
  const source = doc ? undefined : workspace.cache.get(path);
  const analysis = doc ? workspace.analysis(doc) : source && analyzeDocument(workspace.cache, source, workspace.settingsFor(path).targets, workspace.frontEndOptions(path));
  if (!analysis) {
    result.errors.push({ file: path, line: 1, column: 1, message: doc ? 'not a C document' : 'cannot read file' });
    return result;
  }
  // With the baseline the diagnostics use, so that both ask for the same (memoised) rules.
  return { ...result, ...flagsJson(analysis, documentRules(analysis, workspace.cache, doc && workspace.baseline(doc)), path) };
}
