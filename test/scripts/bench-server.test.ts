// `npm run bench:server` keeps working: it types into a struct over real LSP and times the hover after each keystroke.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../helpers/paths';

const dir = mkdtempSync(join(tmpdir(), 'sysarg-bench-server-'));
const script = join(repoRoot, 'scripts', 'bench-server.mjs');

function bench(...args: string[]) {
  return spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', cwd: repoRoot, timeout: 60_000 });
}

describe('scripts/bench-server.mjs', () => {
  it('types a member into the struct past the middle, hovering after each keystroke, and reports the times', () => {
    const header = join(dir, 'two.h');
    writeFileSync(header, 'struct first { int a; };\n\nstruct second {\n\tint b;\n};\n');
    const run = bench('--typed', '\tlong typed_here;\n', header);
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout.trim().split('\n');
    assert.match(lines[0], /^server: .*dist\/server\.js over stdio, node v.*; initialized in \d+ ms$/);
    assert.match(lines[1], /\(18 keystrokes\)/);
    assert.match(lines[3], /^\S*two\.h +6 +[\d.]+ +[\d.]+ +[\d.]+ +[\d.]+ +struct second$/, lines[3]);
    assert.match(lines[4], /^all 18 keystrokes: hover after each, median [\d.]+ ms, slowest [\d.]+ ms; hover with no change, median [\d.]+ ms/);
  });

  it('says in one line, exit 2, when a header has no struct to type into or does not exist, or --typed has no text', () => {
    const header = join(dir, 'none.h');
    writeFileSync(header, 'int x;\n');
    const none = bench(header);
    assert.equal(none.status, 2);
    assert.equal(none.stderr.trim(), `bench-server: ${header} has no top-level 'struct NAME {' ... '};' to type into`);
    const noText = bench('--typed');
    assert.equal(noText.status, 2);
    assert.equal(noText.stderr.trim(), 'bench-server: --typed needs the text to type');
    const missing = bench(join(dir, 'missing.h'));
    assert.equal(missing.status, 2);
    assert.equal(missing.stderr.trim().split('\n').length, 1);
    assert.match(missing.stderr, /does not exist/);
  });

  it('types into a patch mail open over its tree, hovering on the struct the mail shows after each keystroke', () => {
    const tree = join(dir, 'tree');
    mkdirSync(join(tree, 'inc'), { recursive: true });
    writeFileSync(join(tree, 'inc', 'x.h'), 'struct x {\n\tint a;\n};\n');
    const mail = join(dir, 'x.patch');
    writeFileSync(mail, 'Subject: [PATCH] x: b\n\n--- a/inc/x.h\n+++ b/inc/x.h\n@@ -1,3 +1,4 @@\n struct x {\n \tint a;\n+\tint b;\n };\n');
    const run = bench('--typed', 'v2\n', '--mail', mail, '--tree', tree);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /\(3 keystrokes\) into the mail/);
    assert.match(run.stdout, /mail \S*x\.patch: 10 lines, 1 files, over \S*tree; open \d+ ms; hover after a keystroke: median [\d.]+ ms, slowest [\d.]+ ms/);
    // A mail that shows no struct is refused, in one line.
    writeFileSync(join(dir, 'none.patch'), '--- a/inc/x.h\n+++ b/inc/x.h\n@@ -1 +1 @@\n-int a;\n+int b;\n');
    const none = bench('--mail', join(dir, 'none.patch'));
    assert.equal(none.status, 2);
    assert.match(none.stderr, /none\.patch shows no 'struct NAME \{' line to hover on/);
  });
});
