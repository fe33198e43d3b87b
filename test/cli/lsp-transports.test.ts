// `sysarg lsp` over each transport vscode-languageserver offers besides stdio: a TCP socket and a named pipe the
// client listens on, and Node's IPC channel. A real client on each answers initialize and a hover.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  createClientPipeTransport,
  createClientSocketTransport,
  createProtocolConnection,
  generateRandomPipeName,
  IPCMessageReader,
  IPCMessageWriter,
  type MessageReader,
  type MessageWriter,
} from 'vscode-languageserver-protocol/node';
import { cliPath } from '../helpers/paths';

const dir = mkdtempSync(join(tmpdir(), 'sysarg-lsp-transports-'));
const header = join(dir, 's.h');
const text = 'struct s { int a; long b; };\n';
writeFileSync(header, text);

/** A port no one listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Initializes the server on the channel, hovers on `b`, shuts it down; resolves with the hover's text. */
async function hoverOverChannel(child: ChildProcess, reader: MessageReader, writer: MessageWriter): Promise<string> {
  const connection = createProtocolConnection(reader, writer);
  connection.onNotification('window/logMessage', () => undefined);
  connection.onNotification('textDocument/publishDiagnostics', () => undefined);
  connection.listen();
  try {
    const init = (await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: {},
      initializationOptions: { settings: { targets: ['x86_64', 'i386'] }, trusted: true },
    })) as { capabilities: { hoverProvider?: boolean } };
    assert.equal(init.capabilities.hoverProvider, true);
    await connection.sendNotification('initialized', {});
    const uri = pathToFileURL(header).toString();
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'c', version: 1, text } });
    const hover = (await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: text.indexOf('b;') } })) as { contents: { value: string } } | null;
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
    return hover?.contents.value ?? '';
  } finally {
    connection.dispose();
    setTimeout(() => child.kill('SIGKILL'), 2000).unref();
  }
}

function startLsp(transport: string, stdio: ('pipe' | 'ipc' | 'ignore')[] = ['ignore', 'ignore', 'pipe']): ChildProcess {
  return spawn(process.execPath, [cliPath, 'lsp', transport], { stdio });
}

const OFFSETS = /\| x86_64 \| 8 \| 8 \| 8 \|[\s\S]*\| i386 \| 4 \| 4 \| 4 \|/;

describe('sysarg lsp transports', () => {
  it('--socket=N: connects to the port the client listens on', async () => {
    const port = await freePort();
    const transport = await createClientSocketTransport(port);
    const child = startLsp(`--socket=${port}`);
    const [reader, writer] = await transport.onConnected();
    assert.match(await hoverOverChannel(child, reader, writer), OFFSETS);
  });

  it('--pipe=NAME: connects to the named pipe the client listens on', async () => {
    const name = generateRandomPipeName();
    const transport = await createClientPipeTransport(name);
    const child = startLsp(`--pipe=${name}`);
    const [reader, writer] = await transport.onConnected();
    assert.match(await hoverOverChannel(child, reader, writer), OFFSETS);
  });

  it('--node-ipc: speaks over the IPC channel of the process that started it', async () => {
    const child = startLsp('--node-ipc', ['ignore', 'ignore', 'pipe', 'ipc']);
    assert.match(await hoverOverChannel(child, new IPCMessageReader(child), new IPCMessageWriter(child)), OFFSETS);
  });
});
