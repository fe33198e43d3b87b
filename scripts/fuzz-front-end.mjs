#!/usr/bin/env node
// Feeds the front end and the editor features mutated copies of real headers (seeded, so a failure replays): every
// case must end in records and diagnostics, never an exception, and within a time bound; a case that hangs is
// stopped by a watchdog and printed. The mutated text goes in as an editor buffer would (SourceCache.setText on one
// path per directory, over the include and parse memos of every case before); one case in five also edits a header
// it includes, as a second open buffer. Those cases and every --check-every'th one are laid out again with a fresh
// cache: the two reports must be the same. Failures are written to --out DIR as the mutated header plus how it was
// made.
//
// usage: node scripts/fuzz-front-end.mjs [--dir /usr/include/linux] [--seed 1] [--cases 500] [--slow-ms 2000]
//                                         [--hang-ms 20000] [--check-every 10] [--out DIR]
// Exit status: 0 when every case passed, 1 when some failed, 2 on bad arguments.
import { mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { filesUnder } from './files-under.mjs';
import { generator } from './seeded-random.mjs';

/** Pieces of C and of the preprocessor that tend to break a front end when dropped into the wrong place. */
const SNIPPETS = [
  '{', '}', '(', ')', ';', ',', '[', ']', ':', '*', '...', '#', '##', '\\\n', '/*', '*/', '//', '"', "'", '\n#',
  'struct', 'union u {', 'enum {', 'typedef', 'sizeof(', '__attribute__((aligned(', '__attribute__((packed))',
  '__attribute__((mode(', ': 3', ': 0', ': 99999', '[-1]', '[0x7fffffffffffffff]', '[]', 'long long long', '_Alignas(',
  '\n#if\n', '\n#if 1\n', '\n#ifdef X\n', '\n#else\n', '\n#elif\n', '\n#endif\n', '\n#undef __x86_64__\n',
  '\n#define X X\n', '\n#define F(a) F(a) a ## a #a\n', '\n#define V(...) __VA_ARGS__ V(__VA_ARGS__)\n',
  '\n#define D(x) D(D(x)) D(D(x))\n', '\n#include __FILE__\n', '\n#include <linux/types.h>\n', '\n#include "\n',
  '\n#include_next <linux/types.h>\n', '\n#pragma pack(push, 1)\n', '\n#pragma pack(pop)\n', '\n#pragma pack(3)\n',
  '_Pragma("pack(2)")', '_Pragma(', '\n#error boom\n', '\n#line 0\n', '%:', '<:', ':>', '<%', '%>', '??=', '\\u00e9',
  '\\U0001F600', '\u00e9', '\uFFFD', '\0', '\x01', '0x', '1e+', '99999999999999999999999999', "'\\777'", 'L"w"',
  'u8"\\xff"', '__COUNTER__', '__LINE__', '__has_include(', 'defined(', '1 / 0', '1 % 0', '-9223372036854775808',
];

/**
 * Openings that nest when repeated, with their closings: each level was a call in a recursive parser or evaluator, and
 * a few thousand of them overflowed the stack (session 10). Expressions take the place of a number in the text (an
 * array size, an enumerator, an `#if`), so that they are parsed and evaluated; declarations start a line.
 */
const NESTED_EXPRESSIONS = [
  ['(', ')'], ['- ', ''], ['!', ''], ['~', ''], ['(char)', ''], ['sizeof ', ''], ['1 ? ', ' : 0'], ['0 ? 0 : ', ''],
  ['1 + ', ''], ['(int)(', ')'], ['__KERNEL_DIV_ROUND_UP(', ', 1)'], ['__typeof__(', ')'],
];
const NESTED_DECLARATIONS = [
  ['struct n {', 'int x;', '};'], ['union { int u; struct {', 'int x;', '}; };'], ['int (', 'x', ')'], ['int *(', 'x', ')[2]'],
  ['\n#if 1\n', 'int x;', '\n#endif\n'], ['\n#ifdef __KERNEL__\n', '', '\n#endif\n'],
];

/** `text` with a construct nested `levels` deep put into it, and a word for the log. */
function nest(r, text, at, levels) {
  if (r.below(2) === 0) {
    const numbers = [...text.matchAll(/\b\d+\b/g)];
    if (numbers.length > 0) {
      const number = r.pick(numbers);
      const [open, close] = r.pick(NESTED_EXPRESSIONS);
      const end = number.index + number[0].length;
      return [text.slice(0, number.index) + open.repeat(levels) + number[0] + close.repeat(levels) + text.slice(end), `nest ${levels} '${open.trim()}'`];
    }
  }
  const [open, inner, close] = r.pick(NESTED_DECLARATIONS);
  const line = text.lastIndexOf('\n', at - 1) + 1;
  const closings = r.below(2) === 0 ? close.repeat(levels) : '';
  return [`${text.slice(0, line)}${open.repeat(levels)}${inner}${closings}\n${text.slice(line)}`, `nest ${levels} '${open.trim()}'`];
}

/** No mutation makes a case longer than this (4 × the 8 MB the front end reads at most: the limit is tested too). */
const MAX_CASE_CHARS = 32 << 20;

/** One mutation of `text`; returns the new text and a word for the log. */
function mutate(r, text) {
  const at = r.below(text.length + 1);
  switch (r.below(9)) {
    case 0:
      return [text.slice(0, at) + text.slice(at + 1 + r.below(60)), 'delete'];
    case 1: {
      const piece = text.slice(at, at + 1 + r.below(200));
      return [text.slice(0, at) + piece + piece + text.slice(at), 'duplicate'];
    }
    case 2:
    case 3:
      return [text.slice(0, at) + r.pick(SNIPPETS) + text.slice(at), 'insert'];
    case 4: {
      const lines = text.split('\n');
      const i = r.below(lines.length);
      const j = r.below(lines.length);
      [lines[i], lines[j]] = [lines[j], lines[i]];
      return [lines.join('\n'), 'swap lines'];
    }
    case 5:
      return [text.slice(0, at), 'truncate'];
    case 6:
      return [text.slice(0, at) + String.fromCharCode(r.below(0x3000)) + text.slice(at + 1), 'replace char'];
    case 7:
      return nest(r, text, at, 1 + r.below(r.below(2) === 0 ? 300 : 6000));
    default: {
      const start = text.lastIndexOf('\n', at) + 1;
      const line = text.slice(start, text.indexOf('\n', at) + 1 || text.length);
      // A long line repeated after other repeats outgrew V8's longest string (the harness, not the case, failed).
      const times = Math.min(2 + r.below(300), Math.floor((MAX_CASE_CHARS - text.length) / Math.max(1, line.length)));
      if (times < 2) return [text, 'repeat line (skipped: too long)'];
      return [text.slice(0, start) + line.repeat(times) + text.slice(start), 'repeat line'];
    }
  }
}

const TARGET_SETS = [['x86_64', 'i386'], ['x32', 'aarch64'], ['arm', 'riscv64'], ['x86_64']];

function parseArgs(argv) {
  const options = { dir: '/usr/include/linux', seed: 1, cases: 500, slowMs: 2000, hangMs: 20000, checkEvery: 10, out: undefined };
  const names = { '--dir': 'dir', '--seed': 'seed', '--cases': 'cases', '--slow-ms': 'slowMs', '--hang-ms': 'hangMs', '--check-every': 'checkEvery', '--out': 'out' };
  for (let i = 0; i < argv.length; i += 2) {
    const key = names[argv[i]];
    const value = argv[i + 1];
    if (!key || value === undefined) throw new Error(`unknown or incomplete option '${argv[i]}'`);
    options[key] = key === 'dir' || key === 'out' ? value : Number(value);
    if (key !== 'dir' && key !== 'out' && !(Number.isInteger(options[key]) && options[key] >= 0)) throw new Error(`${argv[i]} takes a whole number`);
  }
  return options;
}

/** The worker: runs the cases in turn, telling the main thread which one it is on (so a hang can be named). */
async function runCases({ dir, seed, cases, slowMs, checkEvery }) {
  const { loadTypeScript } = await import('./load-typescript.mjs');
  const core = await loadTypeScript(`
export { SourceCache } from './core/c/source-cache';
export { nodeFileHost } from './cli/node-host';
export { analyzeDocument } from './core/document-analysis';
export { layoutJson } from './core/layout-report';
export { formatRecordText } from './core/layout-text';
export { documentDiagnostics } from './server/diagnostics';
export { documentSymbols } from './server/document-symbols';
export { codeLenses } from './server/code-lens';
export { inlayHints } from './server/inlay-hints';
export { hoverAt } from './server/hover';
export { documentRules } from './core/rules/document-rules';
export { documentProblems } from './core/document-problems';
export { newFindings } from './core/new-findings';
export { baselineOf } from './core/published-records';
export { flagsJson } from './core/flags-report';
export { codeActions } from './server/code-actions';
export { structCopies, copiedStructsOf } from './core/struct-copies';
export { readCompilationDatabase } from './core/c/compile-commands';
`);
  const files = filesUnder(dir, '.h');
  const r = generator(seed);
  // Its own stream, so that a seed's mutations are the ones it made before compile commands were fuzzed.
  const forcedPicks = generator(seed + 0x5eed);
  const overlay = new Map();
  // A header edited as a buffer is edited under whichever path reaches it (/usr/include/sys/ holds symbolic links).
  const edited = (path) => overlay.get(path) ?? (overlay.size > 0 ? overlay.get(core.nodeFileHost.realPath(path)) : undefined);
  const host = { ...core.nodeFileHost, readFile: (path) => edited(path) ?? core.nodeFileHost.readFile(path) };
  const cache = new core.SourceCache(host);
  for (let i = 0; i < cases; i++) {
    const from = r.pick(files);
    let text = readFileSync(from, 'utf8');
    const steps = [];
    for (let n = 1 + r.below(4); n > 0; n--) {
      const [next, step] = mutate(r, text);
      text = next;
      steps.push(step);
    }
    const targets = r.pick(TARGET_SETS);
    const header = r.below(5) === 0 ? includedHeader(text, from) : undefined;
    if (header) {
      const [headerText, step] = mutate(r, readFileSync(header, 'utf8'));
      steps.push(`${step} in ${header}`);
      overlay.set(header, headerText);
      cache.setText(header, headerText);
    }
    // Next to the original, so that its "..." includes (and __FILE__) resolve as they would for the real file; one
    // path per directory (never on disk), edited case after case as an open buffer is.
    const path = join(dirname(from), `.sysarg-fuzz-${seed}.h`);
    // One in four others is read with a compile command that -includes (or -imacros) one or two headers of the directory.
    const forced = i % 4 === 2 ? forcedIncludes(core, forcedPicks, files, path) : undefined;
    if (forced) steps.push(forced.names.join(' '));
    const label = { index: i, from, steps, targets };
    parentPort.postMessage({ type: 'case', label, text });
    const start = performance.now();
    // Every other case, each struct the text defines is copied in by a .c file: the rules judge them all as extensible.
    const options = i % 2 === 1 ? { copiedStructs: copiesOfEvery(core, text) } : forced ? { compileCommands: forced.db } : {};
    try {
      const report = exercise(core, cache.setText(path, text), cache, targets, path, from, options);
      parentPort.postMessage({ type: 'counts', records: report.records.length, errors: report.errors.length, hovers: report.hovers });
      const ms = performance.now() - start;
      if (ms > slowMs) parentPort.postMessage({ type: 'fail', label, text, why: `slow: ${ms.toFixed(0)} ms` });
      if (header || forced || (checkEvery > 0 && i % checkEvery === 0)) {
        overlay.set(path, text);
        const fresh = new core.SourceCache(host);
        const again = core.layoutJson(core.analyzeDocument(fresh, fresh.get(path), targets, options), path, true);
        overlay.delete(path);
        const why = difference(JSON.stringify({ records: report.records, errors: report.errors }), JSON.stringify(again));
        if (why) parentPort.postMessage({ type: 'fail', label, text, why });
      }
    } catch (error) {
      parentPort.postMessage({ type: 'fail', label, text, why: String(error?.stack ?? error) });
    }
    if (header) {
      overlay.delete(header);
      cache.invalidate(header);
    }
  }
  parentPort.postMessage({ type: 'done' });
}

/** A compilation database whose one command, for `path`, -includes (or -imacros) one or two of `files` (picked by `r`). */
function forcedIncludes(core, r, files, path) {
  const names = Array.from({ length: 1 + r.below(2) }, () => `${r.below(3) === 0 ? '-imacros' : '-include'} ${r.pick(files)}`);
  const command = `cc ${names.join(' ')} -DSYSARG_FUZZ_FORCED=1 -c ${path}`;
  const db = core.readCompilationDatabase(join(dirname(path), 'compile_commands.json'), JSON.stringify([{ directory: dirname(path), file: path, command }]));
  if ('error' in db) throw new Error(db.error);
  return { names, db };
}

/**
 * The structs `text` defines as copied in by kernel code: a .c text calling copy_struct_from_user() on each, read by
 * the same scanner as real .c files (and the mutated header itself, read as one).
 */
function copiesOfEvery(core, text) {
  // Each tag once: a mutation nests thousands of `struct n {` (in a comment, at times), and one call copies each in.
  const tags = [...new Set([...text.matchAll(/\bstruct\s+(\w+)\s*\{/g)].map((m) => m[1]))];
  const source = tags.map((tag, i) => `long copy${i}(void __user *u, size_t n)\n{\n\tstruct ${tag} v${i};\n\treturn copy_struct_from_user(&v${i}, sizeof(v${i}), u, n);\n}\n`).join('');
  return core.copiedStructsOf([core.structCopies('fuzz.c', source), core.structCopies('fuzz.h', text)]);
}

/** The first header `text` includes that exists (<...> under /usr/include, "..." beside `from`). */
function includedHeader(text, from) {
  for (const m of text.matchAll(/^\s*#\s*include\s*([<"])([^>"]+)[>"]/gm)) {
    const path = m[1] === '<' ? join('/usr/include', m[2]) : join(dirname(from), m[2]);
    try {
      // A directory is no header to edit (`#include "."` is one mutation away; reading it stopped a campaign).
      if (statSync(path).isFile()) return realpathSync(path);
    } catch {
      // not there: the next one
    }
  }
  return undefined;
}

/** Where two reports part, with some text of each around it; undefined when they are the same. */
function difference(report, fresh) {
  if (report === fresh) return undefined;
  let at = 0;
  while (at < report.length && report[at] === fresh[at]) at++;
  const around = (text) => text.slice(Math.max(0, at - 80), at + 80);
  return `differs from a fresh cache's report at character ${at}: ${around(report)} | fresh: ${around(fresh)}`;
}

/**
 * Everything the CLI and the server do with a document: the layout report, its text, each editor feature, and the
 * rules against `original` (the header before its mutations).
 */
function exercise(core, root, cache, targets, path, original, options) {
  const analysis = core.analyzeDocument(cache, root, targets, options);
  // With the members' nesting depths, as the text view of the CLI and of Show Struct Layout reads them.
  const report = core.layoutJson(analysis, path, true);
  for (const record of report.records) core.formatRecordText(record);
  // The rules against the unmutated header as the published version (so the mutations are what they compare), their
  // fixes and the flags report.
  const published = cache.get(original);
  const before = published && core.analyzeDocument(cache, published, targets, {});
  const baseline = before ? core.baselineOf(before) : undefined;
  const rules = core.documentRules(analysis, cache, baseline);
  core.documentDiagnostics(analysis, rules.findings);
  // sysarg.newOnly: against what the unmutated header had; and a text against itself, where nothing may be new.
  core.documentDiagnostics(analysis, rules.findings, true, before ? [...core.documentProblems(before), ...core.documentRules(before, cache, baseline).findings] : []);
  const all = [...core.documentProblems(analysis), ...rules.findings];
  if (core.newFindings(all, all).fresh.length > 0) throw new Error('the text compared with itself has new findings');
  core.codeActions(analysis, rules.findings, 'file:///fuzz.h', { start: { line: 0, character: 0 }, end: { line: 1 << 20, character: 0 } });
  core.flagsJson(analysis, rules, path);
  core.documentSymbols(analysis);
  core.codeLenses(analysis);
  core.inlayHints(analysis, { start: { line: 0, character: 0 }, end: { line: 1 << 20, character: 0 } });
  const length = root.file.text.length;
  let hovers = 0;
  for (let offset = 0; offset < length; offset += 1 + (length >> 6)) if (core.hoverAt(analysis, offset)) hovers++;
  return { ...report, hovers };
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`fuzz-front-end: ${error.message}\n`);
    process.exit(2);
  }
  const failures = [];
  let current;
  let done = false;
  const totals = { records: 0, errors: 0, hovers: 0 };
  // The CLI and the server run on a main thread, whose stack V8 limits to ~1 MB; a worker's is 4 MB by default, where
  // inputs that overflow the main thread's stack got through.
  const worker = new Worker(new URL(import.meta.url), { workerData: options, resourceLimits: { stackSizeMB: 1 } });
  let lastProgress = Date.now();
  const watchdog = setInterval(() => {
    if (Date.now() - lastProgress < options.hangMs) return;
    failures.push({ ...current, why: `no result after ${options.hangMs} ms (a hang?)` });
    worker.terminate();
  }, 250);
  // An exception outside a case's own try (in the harness) ends the worker: reported as a failure, not a crash.
  worker.on('error', (error) => failures.push({ ...current, why: `the harness failed: ${error.message}` }));
  worker.on('message', (message) => {
    lastProgress = Date.now();
    if (message.type === 'case') current = message;
    else if (message.type === 'fail') failures.push(message);
    else if (message.type === 'counts') for (const key of Object.keys(totals)) totals[key] += message[key];
    else if (message.type === 'done') done = true;
  });
  const exitCode = await new Promise((resolve) => worker.on('exit', resolve));
  clearInterval(watchdog);
  if (!done && failures.length === 0) failures.push({ ...current, why: `the worker stopped (exit code ${exitCode})` });
  for (const [n, failure] of failures.entries()) {
    const { index, from, steps, targets } = failure.label ?? {};
    process.stdout.write(`FAIL case ${index} (${from}; ${steps?.join(', ')}; ${targets?.join(',')}): ${failure.why.split('\n').slice(0, 4).join(' | ')}\n`);
    if (options.out) {
      mkdirSync(options.out, { recursive: true });
      writeFileSync(join(options.out, `case-${options.seed}-${index ?? n}.h`), failure.text ?? '');
      writeFileSync(join(options.out, `case-${options.seed}-${index ?? n}.txt`), `${JSON.stringify(failure.label)}\n${failure.why}\n`);
    }
  }
  const ran = done ? options.cases : (current?.label.index ?? 0) + 1;
  process.stdout.write(`${ran} cases from ${options.dir}, seed ${options.seed}: ${failures.length} failed (${totals.records} records, ${totals.errors} errors, ${totals.hovers} hovers)\n`);
  process.exit(failures.length > 0 || !done ? 1 : 0);
}

if (isMainThread) await main();
else await runCases(workerData);
