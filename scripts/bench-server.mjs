#!/usr/bin/env node
// Benchmark: how quickly the language server answers while a header is being edited. The built server runs over
// stdio, as other editors run it; for each header it opens the file (time to its first diagnostics), then types a new
// member into a struct in the middle of the file one character at a time, as incremental changes, and asks for a hover
// on that struct after each keystroke (the server analyses the new text to answer); then hovers with no change (the
// analysis is reused). Reports medians and the slowest answer, and the server's peak memory.
//
// With --mail FILE, it also types into a patch mail (at its top, above the diff) open over the tree --tree DIR (the
// workspace folder), and hovers on the first struct the mail shows after each keystroke: the server applies the mail
// to the tree again to answer.
//
// usage: node scripts/bench-server.mjs [--typed TEXT] [--mail FILE [--tree DIR]] [HEADER...]
//        (default headers: five of the largest in /usr/include/linux; none with --mail)
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import protocol from 'vscode-languageserver-protocol/node';

const { createProtocolConnection, StreamMessageReader, StreamMessageWriter } = protocol;
const repo = resolve(new URL('..', import.meta.url).pathname);
const args = process.argv.slice(2);
const typedAt = args.indexOf('--typed');
const typed = typedAt >= 0 ? args[typedAt + 1] : '\t__u32 sysarg_typed;\n';
if (!typed) {
  console.error('bench-server: --typed needs the text to type');
  process.exit(2);
}
/** The value of option `name`, and the arguments without it. */
function option(list, name) {
  const at = list.indexOf(name);
  if (at < 0) return { rest: list };
  if (list[at + 1] === undefined) {
    console.error(`bench-server: ${name} needs a value`);
    process.exit(2);
  }
  return { value: list[at + 1], rest: list.filter((_, i) => i !== at && i !== at + 1) };
}
const { value: mailOption, rest: afterMail } = option(typedAt >= 0 ? args.filter((_, i) => i !== typedAt && i !== typedAt + 1) : args, '--mail');
const { value: treeOption, rest: named } = option(afterMail, '--tree');
const mail = mailOption && resolve(mailOption);
const tree = treeOption && resolve(treeOption);
const DEFAULT_HEADERS = ['bpf.h', 'videodev2.h', 'nl80211.h', 'perf_event.h', 'ethtool.h'].map((h) => join('/usr/include/linux', h));
const headers = named.length > 0 ? named.map((h) => resolve(h)) : mail ? [] : DEFAULT_HEADERS;
const server = join(repo, 'dist', 'server.js');
for (const path of [server, ...headers, ...(mail ? [mail] : []), ...(tree ? [tree] : [])]) {
  if (!existsSync(path)) {
    console.error(`bench-server: ${path} does not exist${path === server ? ' (run npm run build)' : ''}`);
    process.exit(2);
  }
}

const ms = (start) => Number(process.hrtime.bigint() - start) / 1e6;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fixed = (x) => x.toFixed(1).padStart(6);

const child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
const diagnosticsWaiters = new Map();
connection.onNotification('textDocument/publishDiagnostics', (p) => {
  diagnosticsWaiters.get(p.uri)?.();
  diagnosticsWaiters.delete(p.uri);
});
connection.onNotification('window/logMessage', () => undefined);
connection.onRequest('client/registerCapability', () => null);
connection.onRequest('workspace/inlayHint/refresh', () => null);
connection.listen();

const started = process.hrtime.bigint();
await connection.sendRequest('initialize', {
  processId: process.pid,
  rootUri: tree ? pathToFileURL(tree).toString() : null,
  capabilities: { textDocument: { hover: { contentFormat: ['markdown'] } } },
  initializationOptions: { settings: { targets: ['x86_64', 'i386'] }, trusted: true },
});
await connection.sendNotification('initialized', {});
console.log(`server: ${server} over stdio, node ${process.version}, targets x86_64 and i386; initialized in ${ms(started).toFixed(0)} ms`);
console.log(`typing ${JSON.stringify(typed)} (${typed.length} keystrokes) into ${headers.length > 0 ? 'a struct in the middle of each header' : 'the mail'}, a hover after each`);
if (headers.length > 0) console.log('header                          lines   open (ms)   hover after a keystroke (ms): median  slowest   hover, no change: median   typed into');

/**
 * Where to type: the closing line of the first struct defined at the top level from the middle of the file on (else
 * the first in the file), as a `struct NAME {` line and a `};` line.
 */
function typingPlace(lines) {
  const middle = Math.floor(lines.length / 2);
  const order = [...lines.keys()].map((k) => (k + middle) % lines.length);
  for (const i of order) {
    const m = /^struct (\w+) \{\s*$/.exec(lines[i]);
    const close = m ? lines.findIndex((l, j) => j > i && /^\};/.test(l)) : -1;
    if (close > i) return { name: m[1], nameLine: i, nameCharacter: 'struct '.length, closeLine: close };
  }
  return undefined;
}

function fail(message) {
  console.error(`bench-server: ${message}`);
  child.kill('SIGKILL');
  process.exit(2);
}

/** Opens a document; the milliseconds until its first diagnostics. */
async function open(uri, languageId, text) {
  const opened = process.hrtime.bigint();
  const firstDiagnostics = new Promise((resolve) => diagnosticsWaiters.set(uri, resolve));
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  await firstDiagnostics;
  return ms(opened);
}

const afterKeystroke = [];
const unchanged = [];
for (const path of headers) {
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  const uri = pathToFileURL(path).toString();
  const openMs = await open(uri, 'c', text);
  const place = typingPlace(lines) ?? fail(`${path} has no top-level 'struct NAME {' ... '};' to type into`);
  const hoverAt = { textDocument: { uri }, position: { line: place.nameLine, character: place.nameCharacter } };
  const mine = [];
  let line = place.closeLine;
  let character = 0;
  for (let k = 0; k < typed.length; k++) {
    const start = process.hrtime.bigint();
    const at = { line, character };
    await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: k + 2 }, contentChanges: [{ range: { start: at, end: at }, text: typed[k] }] });
    const hover = await connection.sendRequest('textDocument/hover', hoverAt);
    mine.push(ms(start));
    if (!hover) fail(`no hover on struct ${place.name} (${path}:${place.nameLine + 1}) after keystroke ${k + 1}`);
    if (typed[k] === '\n') {
      line++;
      character = 0;
    } else character++;
  }
  // The typing must have reached the analysis: the new member is in the outline.
  const symbols = JSON.stringify(await connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } }));
  const member = /(\w+);\s*$/.exec(typed)?.[1];
  if (member && !symbols.includes(`"${member}"`)) fail(`${path}: the typed member ${member} is not in the outline after typing`);
  const still = [];
  for (let k = 0; k < 10; k++) {
    const start = process.hrtime.bigint();
    await connection.sendRequest('textDocument/hover', hoverAt);
    still.push(ms(start));
  }
  afterKeystroke.push(...mine);
  unchanged.push(...still);
  const name = path.startsWith('/usr/include/') ? path.slice('/usr/include/'.length) : path;
  console.log(`${name.padEnd(30)} ${String(lines.length).padStart(6)} ${fixed(openMs).padStart(11)} ${fixed(median(mine)).padStart(38)} ${fixed(Math.max(...mine)).padStart(8)} ${fixed(median(still)).padStart(26)}   struct ${place.name}`);
  await connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
}

if (mail) {
  const text = readFileSync(mail, 'utf8');
  const lines = text.split('\n');
  const structLine = lines.findIndex((l) => /^[ +]struct \w+ \{\s*$/.test(l));
  if (structLine < 0) fail(`${mail} shows no 'struct NAME {' line to hover on`);
  const files = lines.filter((l) => l.startsWith('+++ ')).length;
  const uri = pathToFileURL(mail).toString();
  const openMs = await open(uri, 'diff', text);
  const times = [];
  let line = 0;
  let character = 0;
  for (let k = 0; k < typed.length; k++) {
    const start = process.hrtime.bigint();
    const at = { line, character };
    await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: k + 2 }, contentChanges: [{ range: { start: at, end: at }, text: typed[k] }] });
    if (typed[k] === '\n') {
      line++;
      character = 0;
    } else character++;
    const hover = await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: structLine + line, character: 8 } });
    times.push(ms(start));
    if (!hover) fail(`no hover on ${lines[structLine].trim()} (${mail}:${structLine + 1}) after keystroke ${k + 1}`);
  }
  console.log(`mail ${mail}: ${lines.length} lines, ${files} files, over ${tree ?? 'no workspace folder (its own folder)'}; open ${openMs.toFixed(0)} ms; hover after a keystroke: median ${median(times).toFixed(1)} ms, slowest ${Math.max(...times).toFixed(1)} ms`);
}

const peak = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
const rss = peak ? `server peak RSS ${Math.round(Number(peak[1]) / 1024)} MB` : '';
if (afterKeystroke.length > 0) {
  console.log(`all ${afterKeystroke.length} keystrokes: hover after each, median ${median(afterKeystroke).toFixed(1)} ms, slowest ${Math.max(...afterKeystroke).toFixed(1)} ms; hover with no change, median ${median(unchanged).toFixed(2)} ms${rss ? `; ${rss}` : ''}`);
} else if (rss) console.log(rss);
await Promise.race([connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
await connection.sendNotification('exit');
connection.dispose();
setTimeout(() => child.kill('SIGKILL'), 500).unref();
