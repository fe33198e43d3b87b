#!/usr/bin/env node
// A benchmark of work, not time: how many instructions (valgrind's cachegrind) and page faults `sysarg layout` takes
// over a header tree, and its peak RSS. On the shared 2-core development machine wall time moves by up to 60 % with
// the host's load, so a 2 % change cannot be seen in it; instruction counts of one build repeat within ~1 % (V8's
// heuristics still read the clock). Compare builds side by side, each more than once: save one (`cp -r dist
// /tmp/before`: the launcher dist/cli.js loads the bundle beside it), change and rebuild, then pass
// `/tmp/before/cli.js dist/cli.js /tmp/before/cli.js dist/cli.js`. The CLI runs without its code cache here.
//
// What the figures leave out, and why they are not the goal's measure (that is `npm run bench`): instructions count
// neither cache misses nor the kernel's work, and V8 runs single-threaded here (--single-threaded), so its optimising
// compiler and garbage collector are counted with the main thread's work although a normal run has them on the other
// core. Page faults (minor, without valgrind) stand for the kernel's share: each costs a few microseconds here.
//
// usage: node scripts/bench-work.mjs [--dir DIR] [--limit N] [--targets x86_64,i386] [CLI.js ...]   (default dist/cli.js)
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { filesUnder } from './files-under.mjs';

const repo = resolve(new URL('..', import.meta.url).pathname);
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args.splice(args.indexOf(name), 2)[1] : fallback);
const dir = option('--dir', '/usr/include/linux');
const limit = Number(option('--limit', 'Infinity'));
const targets = option('--targets', 'x86_64,i386').split(',');
const clis = (args.length > 0 ? args : [join(repo, 'dist', 'cli.js')]).map((p) => resolve(p));

if (spawnSync('valgrind', ['--version']).error) {
  console.error('bench-work: valgrind not found (Debian: apt-get install valgrind)');
  process.exit(2);
}
const files = filesUnder(dir, '.h').slice(0, limit);
if (files.length === 0) {
  console.error(`bench-work: no headers under ${dir}`);
  process.exit(2);
}
const layoutArgs = ['layout', '--json', ...targets.flatMap((t) => ['--target', t]), ...files];
// The CLI's launcher sets this budget itself before it compiles the bundle; given here too, it holds for Node's own code.
const v8Flags = ['--single-threaded', '--max-inlined-bytecode-size-cumulative=200'];
// Without the code cache, which V8 would refuse under these flags anyway (it holds the flags it was made with).
const env = { ...process.env, SYSARG_CODE_CACHE: 'off' };
delete env.NODE_EXTRA_CA_CERTS; // as the CLI's launcher line does (scripts/build.mjs)

/** Runs `command` and resolves with its exit status and standard error (standard output is discarded). */
function run(command, commandArgs) {
  return new Promise((done) => {
    const child = spawn(command, commandArgs, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) => done({ status, stderr }));
  });
}

/** Instructions of one run under cachegrind. */
async function instructions(cli) {
  const r = await run('valgrind', ['--tool=cachegrind', '--cache-sim=no', '--cachegrind-out-file=/dev/null', process.execPath, ...v8Flags, cli, ...layoutArgs]);
  const refs = /I\s+refs:\s+([\d,]+)/.exec(r.stderr);
  if (r.status !== 0 || !refs) throw new Error(`${cli} under valgrind failed (status ${r.status}): ${r.stderr.slice(-300)}`);
  return Number(refs[1].replaceAll(',', ''));
}

/** Minor page faults and peak RSS (KB) of one run without valgrind, from the process's own resource usage. */
async function memory(cli, preload) {
  const r = await run(process.execPath, ['--require', preload, cli, ...layoutArgs]);
  const usage = /sysarg-bench-usage (\d+) (\d+)/.exec(r.stderr);
  if (r.status !== 0 || !usage) throw new Error(`${cli} failed (status ${r.status}): ${r.stderr.slice(-300)}`);
  return { faults: Number(usage[1]), rssKb: Number(usage[2]) };
}

const scratch = mkdtempSync(join(tmpdir(), 'sysarg-bench-work-'));
const preload = join(scratch, 'usage.cjs');
writeFileSync(preload, "process.on('exit', () => { const u = process.resourceUsage(); require('node:fs').writeSync(2, `\\nsysarg-bench-usage ${u.minorPageFault} ${u.maxRSS}\\n`); });\n");
try {
  console.log(`input: ${files.length} headers under ${dir}, targets ${targets.join(', ')}, node ${process.version}`);
  // Each build's runs happen at the same time as the others' (valgrind runs one thread): the counts do not depend on it.
  const results = await Promise.all(clis.map(async (cli) => ({ cli, ir: await instructions(cli), ...(await memory(cli, preload)) })));
  const base = results[0];
  for (const r of results) {
    const delta = r === base ? '' : ` (${(((r.ir - base.ir) / base.ir) * 100).toFixed(1)} % instructions, ${(((r.faults - base.faults) / base.faults) * 100).toFixed(1)} % faults)`;
    console.log(`${(r.ir / 1e9).toFixed(3)} G instructions, ${r.faults} page faults, peak RSS ${Math.round(r.rssKb / 1024)} MB: ${r.cli}${delta}`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
