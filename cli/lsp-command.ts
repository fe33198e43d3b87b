// `sysarg lsp --stdio | --node-ipc | --socket=N | --pipe=NAME`: runs the bundled language server in this process.
import { join } from 'node:path';
import { exitQuietlyOnEpipe, type CliIo } from './io';
import { UsageError } from './errors';

const TRANSPORTS = /^(--stdio|--node-ipc|--socket=\d+|--pipe=.+)$/;

export function lspCommand(argv: string[], _io: CliIo): number {
  const transport = argv.filter((a) => TRANSPORTS.test(a));
  const other = argv.filter((a) => !TRANSPORTS.test(a) && !a.startsWith('--clientProcessId'));
  if (transport.length !== 1 || other.length > 0) {
    throw new UsageError('expected exactly one of --stdio, --node-ipc, --socket=N, --pipe=NAME');
  }
  // vscode-languageserver reads the transport from process.argv.
  process.argv = [process.argv[0], process.argv[1], ...argv];
  exitQuietlyOnEpipe(process.stdout);
  require(join(__dirname, 'server.js'));
  return 0;
}
