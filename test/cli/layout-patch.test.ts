// `sysarg layout` on a patch: applied in memory to the tree (--tree) and laid out as patched, the seed RFC included.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SEED_PATCH, SEED_TREE, seedMissing } from '../helpers/paths';
import { runCli } from '../helpers/run-cli';
import { KERNEL_TREE_SKELETON, writeTempTree } from '../helpers/temp-tree';


interface Report {
  records: { name: string; file: string; line: number; extensible: boolean; layouts: Record<string, { size: number }> }[];
  errors: { file: string; line: number; message: string; severity?: string }[];
}
const report = (args: string[], cwd?: string): Report => {
  const run = runCli(['layout', '--json', ...args], { cwd });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
};

describe('sysarg layout on a patch', () => {
  it('lays the RFC\'s struct long_clone_arg out in the tree it applies to', { skip: seedMissing }, () => {
    const r = report(['--target', 'x86_64,i386', '--tree', SEED_TREE, SEED_PATCH]);
    const arg = r.records.find((x) => x.name === 'long_clone_arg');
    assert.ok(arg, JSON.stringify(r.records.map((x) => x.name)));
    assert.equal(arg.file, join(SEED_TREE, 'include/linux/sched.h'));
    assert.equal(arg.line, 44, 'its line in the patched sched.h');
    assert.equal(arg.extensible, true);
    assert.equal(arg.layouts.x86_64.size, 4);
    assert.equal(arg.layouts.i386.size, 4);
    // syscalls.h and fork.c are not in the fixture: said once each, at their diff lines, no parse noise from fragments.
    assert.deepEqual(r.errors.map((e) => [e.line, e.message.split(':')[0]]), [[70, 'include/linux/syscalls.h'], [83, 'kernel/fork.c']]);
  });

  it('without the tree, lays out what the patch\'s own lines define, at the patch\'s lines', { skip: seedMissing }, () => {
    const r = report([SEED_PATCH], SEED_TREE + '/include');
    const arg = r.records.find((x) => x.name === 'long_clone_arg')!;
    assert.equal(arg.file, SEED_PATCH);
    assert.equal(arg.line, 52, 'the +struct long_clone_arg { line of the mail');
    assert.equal(arg.layouts.x86_64.size, 4);
    assert.equal(r.errors.length, 3);
  });

  it('reports a hunk that does not apply at its @@ line, and lays out the rest', () => {
    const tree = writeTempTree('sysarg-patch-', { 'inc/x.h': 'struct x {\n\tint a;\n};\nstruct z { char c; };\n' });
    const patch = writeTempTree('sysarg-patch-mail-', {
      'x.diff': '--- a/inc/x.h\n+++ b/inc/x.h\n@@ -1,4 +1,5 @@\n struct x {\n \tint a;\n+\tlong b;\n };\n struct z { char c; };\n@@ -9,1 +10,1 @@\n-struct gone { int g; };\n+struct back { int g; };\n',
    });
    const r = report(['--tree', tree, join(patch, 'x.diff')]);
    assert.deepEqual(r.records.map((x) => [x.name, x.layouts.x86_64.size]), [['x', 16], ['z', 1]]);
    assert.equal(r.errors.length, 1);
    assert.equal(r.errors[0].line, 9);
    assert.match(r.errors[0].message, /this hunk does not apply/);
  });

  it('in a Linux tree, lays out the UAPI header a patch changes and notes the internal files it does not read', () => {
    const tree = writeTempTree('sysarg-patch-kernel-', {
      ...KERNEL_TREE_SKELETON,
      'include/uapi/linux/x.h': '#include <linux/types.h>\nstruct x_args {\n\t__u64 a;\n};\n',
      'kernel/x.c': '#include <linux/slab.h>\nstruct kx { u64 a; };\n',
    });
    const patch = writeTempTree('sysarg-patch-kernel-mail-', {
      'x.patch':
        '--- a/include/uapi/linux/x.h\n+++ b/include/uapi/linux/x.h\n@@ -3,2 +3,3 @@ struct x_args {\n \t__u64 a;\n+\t__u64 b;\n };\n' +
        '--- a/kernel/x.c\n+++ b/kernel/x.c\n@@ -2 +2 @@\n-struct kx { u64 a; };\n+struct kx { u64 a, b; };\n',
    });
    const r = report(['--tree', tree, join(patch, 'x.patch')]);
    assert.deepEqual(r.records.map((x) => [x.name, x.layouts.x86_64.size]), [['x_args', 16]]);
    assert.deepEqual(r.errors.map((e) => [e.line, e.severity, e.message.split(':')[0]]), [[7, 'information', 'kernel/x.c']]);
    const text = runCli(['layout', '--tree', tree, join(patch, 'x.patch')]);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /x\.patch:7:1: note: kernel\/x\.c: a kernel-internal file, not laid out/);
    // --no-kernel-tree reads the tree as any other: the internal file is laid out too (its includes then fail).
    const plain = report(['--no-kernel-tree', '--tree', tree, join(patch, 'x.patch')]);
    assert.deepEqual(plain.records.map((x) => x.name), ['x_args', 'kx']);
  });

  it('refuses a patch with no diff in it, and a --tree that is no directory, in one line with exit code 2', () => {
    const dir = writeTempTree('sysarg-patch-bad-', { 'empty.patch': 'Subject: nothing\n\njust words\n' });
    const empty = runCli(['layout', join(dir, 'empty.patch')]);
    assert.equal(empty.status, 2);
    assert.match(empty.stderr, /empty\.patch: no unified diff in it/);
    assert.equal(empty.stderr.trim().split('\n').length, 1);
    const noTree = runCli(['layout', '--tree', join(dir, 'nowhere'), join(dir, 'empty.patch')]);
    assert.equal(noTree.status, 2);
    assert.match(noTree.stderr, /--tree .*nowhere: not a directory/);
  });
});
