// `sysarg/simulate` and `sysarg/matrix` (wired once the simulator lands; until then they answer a clear error).
import { ErrorCodes, ResponseError, type Connection, type TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { MatrixRequest, SimulateRequest } from '../core/protocol';
import type { Workspace } from './workspace';

export function registerSimulatorRequests(connection: Connection, _workspace: Workspace, _documents: TextDocuments<TextDocument>): void {
  const notYet = (): ResponseError<void> => new ResponseError(ErrorCodes.MethodNotFound, 'the simulator is not available yet');
  connection.onRequest(SimulateRequest, notYet);
  connection.onRequest(MatrixRequest, notYet);
}
