// `sysarg matrix` through the built binary: the text table, the JSON document, and usage errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SEED_PATCH, SEED_TREE, seedMissing } from '../helpers/paths';
import { runCli } from '../helpers/run-cli';
import { writeTempTree } from '../helpers/temp-tree';

test('the default text table shows both structs with the RFC and 6.1 side by side', () => {
  const res = runCli(['matrix']);
  assert.equal(res.status, 0, res.stderr);
  const lines = res.stdout.split('\n');
  const header = lines.find((l) => l.startsWith('struct long_clone_arg'));
  assert.ok(header?.includes('2.6.24+longarg-rfc') && header.includes('6.1'));
  const newer = lines.find((l) => l.startsWith('newer, zero tail (12)'));
  assert.match(newer ?? '', /EINVAL/);
  const c3 = lines.find((l) => l.startsWith('newer, zero tail (96)'));
  assert.match(c3 ?? '', /ENOSYS\s+ENOSYS\s+ok/);
  assert.match(res.stdout, /EINVAL get_long_clone_arg\(\): size > sizeof\(struct long_clone_arg\)/);
});

test('--json --struct --kernel: version 1, the columns asked for, one cell per column', () => {
  const res = runCli(['matrix', '--json', '--struct', 'clone_args', '--kernel', '5.5', '--kernel', '6.1']);
  assert.equal(res.status, 0, res.stderr);
  const m = JSON.parse(res.stdout);
  assert.equal(m.version, 1);
  assert.deepEqual(m.kernels, ['5.5', '6.1']);
  assert.ok(m.rows.every((r: { struct: string; cells: unknown[] }) => r.struct === 'clone_args' && r.cells.length === 2));
  const nonzero = m.rows.find((r: { label: string }) => r.label.startsWith('newer, non-zero'));
  assert.equal(nonzero.cells[1].errno, 'E2BIG');
  assert.equal(nonzero.cells[1].decidedBy.function, 'copy_struct_from_user');
});

test('bad arguments exit 2 with one stderr line', () => {
  for (const [args, pattern] of [
    [['matrix', '--struct', 'open_how'], /--struct must be/],
    [['matrix', '--kernel', '9.9'], /unknown kernel '9\.9'/],
    [['matrix', 'extra'], /unexpected argument/],
  ] as const) {
    const res = runCli([...args]);
    assert.equal(res.status, 2, res.stdout);
    assert.equal(res.stdout, '');
    assert.equal(res.stderr.trimEnd().split('\n').length, 1);
    assert.match(res.stderr, pattern);
  }
});


test('--author takes a patch: the RFC mail applied to its tree is a kernel column of its own', { skip: seedMissing }, () => {
  for (const tree of [['--tree', SEED_TREE], []]) {
    const res = runCli(['matrix', '--json', '--struct', 'long_clone_arg', '--kernel', '2.6.24', '--kernel', '2.6.24+longarg-rfc+patch', '--author', SEED_PATCH, ...tree]);
    assert.equal(res.status, 0, res.stderr);
    const m = JSON.parse(res.stdout);
    assert.deepEqual(m.kernels, ['2.6.24', '2.6.24+longarg-rfc+patch'], `with ${tree.join(' ') || 'no tree'}`);
    const rfcSize = m.rows.find((r: { label: string }) => /RFC \(4\)/.test(r.label));
    assert.ok(rfcSize, JSON.stringify(m.rows.map((r: { label: string }) => r.label)));
    assert.equal(rfcSize.cells[1].errno, null, 'sizeof(struct long_clone_arg) as the mail defines it: accepted');
  }
  const dir = writeTempTree('sysarg-author-', { 'none.patch': '--- a/x.h\n+++ b/x.h\n@@ -0,0 +1 @@\n+struct other { int a; };\n' });
  const none = runCli(['matrix', '--author', join(dir, 'none.patch'), '--tree', dir]);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /none\.patch: defines neither struct clone_args nor struct long_clone_arg/);
});
