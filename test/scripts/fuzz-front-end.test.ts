// `scripts/fuzz-front-end.mjs` over mutated copies of /usr/include/linux: a fixed seed in every test run (the cases
// that found the outline recursion, the byte-map memory bomb and the 14-second case are kept as tests of their own).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../helpers/paths';

const script = join(repoRoot, 'scripts', 'fuzz-front-end.mjs');
const uapi = '/usr/include/linux';
const noHeaders = existsSync(join(uapi, 'types.h')) ? false : `${uapi} is missing (Debian linux-libc-dev)`;

// The harness also flags cases slower than --slow-ms (2 s by default): a figure for campaigns, not for a test run on a
// machine that may be busy (a proportional 1.5-million-token case took 2.1 s in CI beside a benchmark). Tests pass
// a bound well above it; the 20 s hang watchdog stays.
const NOT_TIMED = ['--slow-ms', '15000'];

function fuzz(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', cwd: repoRoot, timeout: 300_000 });
}

describe('scripts/fuzz-front-end.mjs', () => {
  it('runs 600 mutated headers through the front end, the layout report and every editor feature without a failure', { skip: noHeaders }, () => {
    const run = fuzz('--seed', '1', '--cases', '600', ...NOT_TIMED);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    const summary = /^600 cases from \/usr\/include\/linux, seed 1: 0 failed \((\d+) records, (\d+) errors, (\d+) hovers\)$/m.exec(run.stdout);
    assert.ok(summary, run.stdout);
    // The mutations leave most of each header intact: records are laid out, errors are found, hovers answer.
    for (const count of summary.slice(1)) assert.ok(Number(count) > 100, run.stdout);
  });

  it('reports each failing case, writes it out to replay, and exits 1 (every case counts as slow with --slow-ms 0)', { skip: noHeaders }, () => {
    const out = mkdtempSync(join(tmpdir(), 'sysarg-fuzz-'));
    const run = fuzz('--seed', '7', '--cases', '3', '--slow-ms', '0', '--out', out);
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.equal(run.stdout.match(/^FAIL case \d \(\/usr\/include\/linux\/.*\): slow: \d+ ms$/gm)?.length, 3, run.stdout);
    assert.match(run.stdout, /^3 cases from \/usr\/include\/linux, seed 7: 3 failed/m);
    assert.deepEqual(readdirSync(out).sort(), ['case-7-0.h', 'case-7-0.txt', 'case-7-1.h', 'case-7-1.txt', 'case-7-2.h', 'case-7-2.txt']);
  });

  // Seed 141 over /usr/include/linux stopped with EISDIR: a mutation left `#include "<a directory>"`, which the harness
  // then read as the header to edit. The same here in a few cases (this seed picks that include on the old script).
  it('does not take a directory an #include names for a header to edit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sysarg-fuzz-dir-'));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'a.h'), '#include "sub"\nstruct s { int a; long b; };\n');
    const run = fuzz('--dir', dir, '--seed', '3', '--cases', '30', ...NOT_TIMED);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^30 cases from .*, seed 3: 0 failed/m);
  });

  it('refuses a bad argument with exit code 2 and one line', () => {
    const run = fuzz('--cases', 'many');
    assert.equal(run.status, 2);
    assert.equal(run.stderr, "fuzz-front-end: --cases takes a whole number\n");
  });
});
