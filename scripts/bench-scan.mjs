#!/usr/bin/env node
// Benchmark: how long the language server takes to read a workspace's .c files for copy_struct_from_user() calls
// (in the background, from `initialized`), and how quickly it answers a hover on an open header meanwhile. The built
// server runs over stdio, as other editors run it; the workspace folder is DIR (default: a Linux tree unpacked where
// .ci/run unpacks it). Reports the server's own line on what it read, the hovers' median and slowest answers, and
// the server's peak memory.
//
// usage: node scripts/bench-scan.mjs [DIR]
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import protocol from 'vscode-languageserver-protocol/node';

const { createProtocolConnection, StreamMessageReader, StreamMessageWriter } = protocol;
const repo = resolve(new URL('..', import.meta.url).pathname);
const server = resolve(repo, 'dist/server.js');
const folder = resolve(process.argv[2] ?? '/usr/src/linux-source-6.1');
const HEADER = '/usr/include/linux/sched.h';
/** How long the scan may take before the benchmark gives up on it. */
const TIMEOUT_MS = 300_000;

for (const [path, why] of [[server, 'build first (npm run build)'], [HEADER, 'needs linux-libc-dev']]) {
  if (!existsSync(path)) fail(`${path} is missing: ${why}`);
}
if (!existsSync(folder) || !statSync(folder).isDirectory()) fail(`${folder} is not a directory`);

function fail(message) {
  console.error(`bench-scan: ${message}`);
  process.exit(2);
}

const child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
const started = Date.now();
let report;
connection.onNotification('window/logMessage', (m) => {
  if (/copy_struct_from_user/.test(m.message)) report = `${m.message} (${Date.now() - started} ms after start)`;
});
connection.onNotification('textDocument/publishDiagnostics', () => undefined);
connection.onRequest('client/registerCapability', () => null);
connection.listen();
await connection.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(folder).toString(), capabilities: {}, initializationOptions: { settings: { targets: ['x86_64', 'i386'] } } });
await connection.sendNotification('initialized', {});
const uri = pathToFileURL(HEADER).toString();
const text = readFileSync(HEADER, 'utf8');
await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'c', version: 1, text } });
const line = text.split('\n').findIndex((l) => l.startsWith('struct clone_args'));

const hovers = [];
while (report === undefined) {
  if (Date.now() - started > TIMEOUT_MS) fail(`the server did not finish reading ${folder} within ${TIMEOUT_MS / 1000} s`);
  const asked = performance.now();
  await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character: 8 } });
  hovers.push(performance.now() - asked);
  await new Promise((r) => setTimeout(r, 50));
}
const peak = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? NaN);
child.kill();
hovers.sort((a, b) => a - b);
console.log(`server: ${server} over stdio, node ${process.version}; workspace ${folder}`);
console.log(report);
console.log(`hover on struct clone_args while it read: ${hovers.length} answers, median ${hovers[hovers.length >> 1].toFixed(1)} ms, slowest ${hovers[hovers.length - 1].toFixed(1)} ms`);
console.log(`server peak RSS ${Number.isNaN(peak) ? 'n/a' : `${(peak / 1024).toFixed(0)} MB`}`);
process.exit(0);
