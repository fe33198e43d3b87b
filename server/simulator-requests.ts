// `sysarg/simulate` and `sysarg/matrix`: the simulator over LSP, with the open buffer's patch as the author's model.
import { release } from 'node:os';
import { ErrorCodes, ResponseError, type Connection, type TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { authorModel } from '../core/author-model';
import { analyzeDocument } from '../core/document-analysis';
import { MatrixRequest, SimulateRequest, type MatrixParams, type SimulateParams } from '../core/protocol';
import { SimInputError } from '../core/sim/input';
import { buildMatrix } from '../core/sim/matrix';
import { simulate } from '../core/sim/simulate';
import type { AuthorModel, SimulateOptions } from '../core/sim/types';
import { uriToPath } from './positions';
import type { Workspace } from './workspace';

export function registerSimulatorRequests(connection: Connection, workspace: Workspace, documents: TextDocuments<TextDocument>): void {
  const options = (uri: unknown): SimulateOptions => {
    const author = typeof uri === 'string' ? authorOf(workspace, documents.get(uri)) : undefined;
    return { hostRelease: release(), ...(author ? { author } : {}) };
  };
  connection.onRequest(SimulateRequest, (params: SimulateParams) => answer(() => simulate(params, options(params?.uri))));
  connection.onRequest(MatrixRequest, (params: MatrixParams) => answer(() => buildMatrix(params ?? {}, options(params?.uri))));
}

/** The model of the buffer's patch, from its cached analysis when that covers x86_64 (the simulator's ABI). */
function authorOf(workspace: Workspace, doc: TextDocument | undefined): AuthorModel | undefined {
  if (!doc || !workspace.isCDocument(doc)) return undefined;
  const path = uriToPath(doc.uri);
  const cached = workspace.settingsFor(path).targets.includes('x86_64') ? workspace.analysis(doc) : undefined;
  if (cached) return authorModel(cached, workspace.cache);
  const root = workspace.cache.setText(path, doc.getText());
  return authorModel(analyzeDocument(workspace.cache, root, ['x86_64'], workspace.frontEndOptions(path)), workspace.cache);
}

/** Bad input is the caller's error (InvalidParams with the one-line reason); anything else is ours. */
function answer<T>(compute: () => T): T | ResponseError<void> {
  try {
    return compute();
  } catch (error) {
    if (error instanceof SimInputError) return new ResponseError(ErrorCodes.InvalidParams, error.message);
    return new ResponseError(ErrorCodes.InternalError, `simulator failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
