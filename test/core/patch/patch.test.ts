// Unified diffs read as git, diff -u and format-patch write them, applied in memory as `patch` would without fuzz.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyHunks } from '../../../core/patch/apply';
import { patchedFiles } from '../../../core/patch/patched-files';
import { isPatchText, parsePatch } from '../../../core/patch/unified-diff';

const SERIES = `From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001
From: A Developer <a@example.org>
Subject: [PATCH 1/2] add a flag

---
 include/uapi/linux/x.h | 2 ++
 1 file changed, 2 insertions(+)

diff --git a/include/uapi/linux/x.h b/include/uapi/linux/x.h
index 0a15018..f9332bb 100644
--- a/include/uapi/linux/x.h
+++ b/include/uapi/linux/x.h
@@ -1,3 +1,4 @@
 struct x {
 	int a;
+	int b;
 };
-- 
2.39.2

From 2222222222222222222222222222222222222222 Mon Sep 17 00:00:00 2001
Subject: [PATCH 2/2] and a member more, and a new header

diff --git a/include/uapi/linux/x.h b/include/uapi/linux/x.h
--- a/include/uapi/linux/x.h
+++ b/include/uapi/linux/x.h
@@ -2,3 +2,4 @@ struct x {
 	int a;
 	int b;
+	long c;
 };
diff --git a/include/uapi/linux/y.h b/include/uapi/linux/y.h
new file mode 100644
index 0000000..e69de29
--- /dev/null
+++ b/include/uapi/linux/y.h
@@ -0,0 +1,2 @@
+struct y { char c; };
+
diff --git a/doc/notes.txt b/doc/notes.txt
--- a/doc/notes.txt
+++ b/doc/notes.txt
@@ -1 +1 @@
-old
+new
diff --git a/logo.png b/logo.png
Binary files a/logo.png and b/logo.png differ
`;

describe('parsePatch', () => {
  it('reads every file of a mailbox of format-patch mails, paths without a/ and b/', () => {
    const parsed = parsePatch(SERIES);
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.files.map((f) => [f.oldPath, f.newPath, f.hunks.length, f.binary]), [
      ['include/uapi/linux/x.h', 'include/uapi/linux/x.h', 1, false],
      ['include/uapi/linux/x.h', 'include/uapi/linux/x.h', 1, false],
      [null, 'include/uapi/linux/y.h', 1, false],
      ['doc/notes.txt', 'doc/notes.txt', 1, false],
      ['logo.png', 'logo.png', 0, true],
    ]);
    const hunk = parsed.files[0].hunks[0];
    assert.deepEqual([hunk.oldStart, hunk.oldCount, hunk.newStart, hunk.newCount], [1, 3, 1, 4]);
    assert.deepEqual(hunk.lines.map((l) => l.kind + l.text), [' struct x {', ' \tint a;', '+\tint b;', ' };']);
    assert.equal(SERIES.split('\n')[hunk.lines[2].line], '+\tint b;', 'each line knows its place in the patch');
    // The signature's "-- " after a complete hunk is not read as a removed line.
    assert.equal(parsed.files[0].hunks[0].lines.length, 4);
  });

  it('reads plain diff -u output: timestamps, a missing count, CRLF, a blank context line, "\\ No newline"', () => {
    const text = '--- x.h.orig\t2008-01-16 15:58:55.000000000 +0300\r\n+++ x.h\t2008-01-16 16:00:00.000000000 +0300\r\n@@ -1,2 +1,3 @@\r\n-int a;\r\n+int a;\r\n\r\n+int b;\r\n\\ No newline at end of file\r\n';
    const parsed = parsePatch(text);
    assert.deepEqual(parsed.problems, []);
    assert.equal(parsed.files.length, 1);
    assert.equal(parsed.files[0].oldPath, 'x.h.orig');
    assert.equal(parsed.files[0].newPath, 'x.h');
    assert.deepEqual(parsed.files[0].hunks[0].lines.map((l) => l.kind + l.text), ['-int a;', '+int a;', ' ', '+int b;']);
  });

  it('says where a hunk ends early or stands before any file header, and goes on', () => {
    const truncated = parsePatch('--- a/x.h\n+++ b/x.h\n@@ -1,5 +1,6 @@\n int a;\n+int b;\n');
    assert.equal(truncated.problems.length, 1);
    assert.match(truncated.problems[0].message, /hunk ends early: 4 old and 4 new lines missing; the patch ends there/);
    assert.equal(truncated.problems[0].line, 2);
    // Why it ended, from the line it stopped at: the next hunk, a line past its counts, a line without a marker.
    const why = (patch: string) => parsePatch(patch).problems.map((p) => p.message.replace(/^.*; /, ''));
    assert.deepEqual(why('--- a/x.h\n+++ b/x.h\n@@ -1,2 +1,2 @@\n-int a;\n+int b;\n@@ -5 +5 @@\n-a\n+b\n'), ['line 6 starts the next hunk or file (its counts hand-edited?)']);
    assert.deepEqual(why('--- a/x.h\n+++ b/x.h\n@@ -1,2 +1,1 @@\n-int a;\n+int b;\n+int c;\n'), ["line 6 is a '+' line past the hunk's new lines (its counts hand-edited?)"]);
    assert.deepEqual(why('--- a/x.h\n+++ b/x.h\n@@ -1,3 +1,3 @@\n int a;\nint b;\n int c;\n'), ["line 5 has no ' ', '-' or '+' marker (its leading whitespace lost to a mailer or a web archive, a wrapped line?)"]);
    const stray = parsePatch('@@ -1 +1 @@\n-a\n+b\n');
    assert.match(stray.problems[0].message, /hunk before any file header/);
    assert.equal(parsePatch('not a patch at all\n').files.length, 0);
  });

  it('tells a unified diff from other text', () => {
    assert.ok(isPatchText(SERIES));
    assert.ok(!isPatchText('--- a title underlined\n+++ not a diff\n'));
    assert.ok(!isPatchText('struct x { int a; };\n'));
  });
});

describe('applyHunks', () => {
  const hunksOf = (text: string) => parsePatch(text).files[0].hunks;
  const FILE = 'one\ntwo\nthree\nfour\nfive\nsix\n';

  it('applies where the old lines are, moved by earlier changes', () => {
    // The header says line 2, but two lines were added at the top since the patch was made.
    const hunks = hunksOf('--- a/f\n+++ b/f\n@@ -2,2 +2,3 @@\n two\n+two and a half\n three\n');
    const applied = applyHunks('zero\nzero\n' + FILE, hunks);
    assert.deepEqual(applied.failed, []);
    assert.equal(applied.text, 'zero\nzero\none\ntwo\ntwo and a half\nthree\nfour\nfive\nsix\n');
  });

  it('lets up to two context lines at a hunk\'s ends differ from the file, as patch does, and keeps the file\'s', () => {
    const hunk = '--- a/f\n+++ b/f\n@@ -2,5 +2,6 @@\n two\n three\n-four\n+FOUR\n+four and a half\n five\n six\n';
    assert.deepEqual(applyHunks(FILE, hunksOf(hunk)).fuzzed, [], 'exact: no fuzz');
    const drifted = applyHunks(FILE.replace('two', 'TWO').replace('six', 'SIX'), hunksOf(hunk));
    assert.deepEqual(drifted.fuzzed.map((f) => f.fuzz), [1]);
    assert.equal(drifted.text, 'one\nTWO\nthree\nFOUR\nfour and a half\nfive\nSIX\n', 'the drifted context lines are the file\'s');
    assert.deepEqual(drifted.patchLines.slice(0, 7), [-1, -1, 4, 6, 7, 8, -1], 'a context line let go is not shown by the patch');
    assert.deepEqual(applyHunks(FILE.replace('three', 'THREE').replace('two', 'TWO'), hunksOf(hunk)).fuzzed.map((f) => f.fuzz), [2]);
    // A line the hunk removes never fuzzes.
    assert.equal(applyHunks(FILE.replace('four', 'FOUR?'), hunksOf(hunk)).failed.length, 1);
  });

  it('leaves out a hunk whose old lines are not there, and applies the others', () => {
    const hunks = hunksOf('--- a/f\n+++ b/f\n@@ -1,1 +1,1 @@\n-uno\n+ONE\n@@ -5,1 +5,1 @@\n-five\n+FIVE\n');
    const applied = applyHunks(FILE, hunks);
    assert.equal(applied.failed.length, 1);
    assert.equal(applied.failed[0].oldStart, 1);
    assert.equal(applied.text, 'one\ntwo\nthree\nfour\nFIVE\nsix\n');
  });

  it('makes a new file of the new lines, and inserts at the top for an empty old side', () => {
    assert.equal(applyHunks(undefined, hunksOf('--- /dev/null\n+++ b/n.h\n@@ -0,0 +1,2 @@\n+int a;\n+int b;\n')).text, 'int a;\nint b;\n');
    assert.equal(applyHunks(FILE, hunksOf('--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+zero\n')).text, 'zero\n' + FILE);
  });
});

describe('patchedFiles', () => {
  const TREE: Record<string, string> = { 'linux/include/uapi/linux/x.h': 'struct x {\n\tint a;\n};\n' };
  const read = (path: string) => TREE[path];

  it('applies a series in order and keeps the C files it leaves changed, in the tree', () => {
    const result = patchedFiles(SERIES, 'linux', read);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.files.map((f) => [f.path, f.fromHunks]), [['linux/include/uapi/linux/x.h', false], ['linux/include/uapi/linux/y.h', false]]);
    assert.equal(result.files[0].text, 'struct x {\n\tint a;\n\tint b;\n\tlong c;\n};\n');
    assert.equal(result.files[1].text, 'struct y { char c; };\n\n');
    // Each line the patches show knows its place in the mailbox, the first patch's lines carried through the second.
    const lines = result.files[0].text.split('\n');
    const mail = SERIES.split('\n');
    const shown = lines.map((line, i) => [line, result.files[0].patchLines[i]] as const).filter(([, at]) => at >= 0);
    assert.deepEqual(shown.map(([line]) => line), ['struct x {', '\tint a;', '\tint b;', '\tlong c;', '};']);
    for (const [line, at] of shown) assert.equal(mail[at].slice(1), line);
    assert.ok(result.files[0].patchLines[0] < mail.indexOf('Subject: [PATCH 2/2] and a member more, and a new header'), 'struct x { is shown by the first mail only');
  });

  it('makes a file the tree lacks of the patch\'s own lines, each line mapped to the patch\'s', () => {
    const result = patchedFiles(SERIES, 'elsewhere', read);
    assert.equal(result.problems.length, 1, JSON.stringify(result.problems));
    assert.match(result.problems[0].message, /^include\/uapi\/linux\/x\.h: not found in the tree at elsewhere/);
    const x = result.files[0];
    assert.ok(x.fromHunks);
    const lines = x.text.split('\n');
    const patchLines = SERIES.split('\n');
    // The kernel's fixed-size types first (no patch line shows it), then both patches' hunks, in order; each line of
    // the text is the patch line it came from.
    assert.deepEqual([lines[0], x.patchLines[0]], ['#include <linux/types.h>', -1]);
    assert.equal(lines.filter((l) => l === '\tlong c;').length, 1);
    lines.slice(1).forEach((line, i) => {
      if (line !== '') assert.equal(patchLines[x.patchLines![i + 1]].slice(1), line, `line ${i + 1}`);
    });
    assert.ok(x.preimage?.startsWith('#include <linux/types.h>\n'), 'the hunks\' old sides, on the same types');
  });

  it('notes a hunk that applied with fuzz, at its @@ line', () => {
    const result = patchedFiles('--- a/include/uapi/linux/x.h\n+++ b/include/uapi/linux/x.h\n@@ -1,3 +1,4 @@\n struct X {\n \tint a;\n+\tint b;\n };\n', 'linux', read);
    assert.equal(result.files[0].text, 'struct x {\n\tint a;\n\tint b;\n};\n');
    assert.deepEqual(result.problems.map((p) => [p.line, p.severity]), [[2, 'information']]);
    assert.match(result.problems[0].message, /this hunk applied with fuzz 1, as patch would apply it/);
  });

  it('says so when there is no diff at all, and when a hunk does not apply', () => {
    assert.match(patchedFiles('hello\n', '.', read).problems[0].message, /no unified diff in this file/);
    const stale = patchedFiles('--- a/include/uapi/linux/x.h\n+++ b/include/uapi/linux/x.h\n@@ -1 +1 @@\n-struct old {\n+struct x {\n', 'linux', read);
    assert.match(stale.problems[0].message, /this hunk does not apply to linux\/include\/uapi\/linux\/x\.h/);
    assert.equal(stale.problems[0].line, 2);
    assert.equal(stale.files[0].text, TREE['linux/include/uapi/linux/x.h'], 'the file as it was');
  });

  it('marks a Linux tree\'s internal files (not laid out, only read as written), said once each; its UAPI headers and selftests are laid out', () => {
    const tree: Record<string, string> = {
      'k/include/uapi/linux/x.h': 'struct x {\n\tint a;\n};\n',
      'k/kernel/fork.c': 'int f;\n',
      'k/tools/testing/selftests/x/t.c': 'int t;\n',
    };
    const dirs = new Set(['k/include/uapi/linux', 'k/include/uapi/asm-generic', 'k/arch']);
    const asked: string[] = [];
    const readTree = (p: string) => (asked.push(p), tree[p]);
    const diff = (path: string, from: string, to: string) => `--- a/${path}\n+++ b/${path}\n@@ -1 +1 @@\n-${from}\n+${to}\n`;
    const patch = diff('kernel/fork.c', 'int f;', 'int g;') + diff('include/uapi/linux/x.h', 'struct x {', 'struct x2 {') + diff('kernel/fork.c', 'int g;', 'int h;') + diff('tools/testing/selftests/x/t.c', 'int t;', 'long t;') + diff('include/linux/new.h', 'a', 'b');
    const result = patchedFiles(patch, 'k', readTree, (p) => dirs.has(p));
    // Internal files come back marked, as patched, for the rules that read code as written; the rest is laid out.
    assert.deepEqual(result.files.map((f) => [f.path, f.internal === true]), [['k/kernel/fork.c', true], ['k/include/uapi/linux/x.h', false], ['k/tools/testing/selftests/x/t.c', false], ['k/include/linux/new.h', true]]);
    assert.equal(result.files[0].text, 'int h;\n', 'both of the series\' hunks');
    assert.equal(result.files[1].text, 'struct x2 {\n\tint a;\n};\n');
    assert.deepEqual(result.problems.map((p) => [p.line, p.severity, p.message.split(':')[0]]), [[0, 'information', 'kernel/fork.c'], [20, 'information', 'include/linux/new.h'], [20, 'information', 'include/linux/new.h']]);
    assert.match(result.problems[0].message, /a kernel-internal file, not laid out .* only read as written \(for strict size checks, and the structs it copies in with copy_struct_from_user\(\)\)/);
    assert.ok(asked.includes('k/kernel/fork.c'), asked.join());
    // Without the means to recognise the tree (or in a tree that is no kernel's), every C file is read as before.
    assert.deepEqual(patchedFiles(patch, 'k', readTree).files.map((f) => f.path.split('/').pop()), ['fork.c', 'x.h', 't.c', 'new.h']);
    assert.equal(patchedFiles(patch, 'k', readTree, () => false).files.length, 4);
  });

  it('reads nothing outside the tree: absolute paths and .. are refused, as git apply refuses them', () => {
    const asked: string[] = [];
    const result = patchedFiles('--- a/../../etc/x.h\n+++ b/../../etc/x.h\n@@ -1 +1 @@\n-a\n+b\n--- /abs/y.h\n+++ /abs/y.h\n@@ -1 +1 @@\n-a\n+b\n', 'linux', (p) => (asked.push(p), undefined));
    assert.deepEqual(asked, []);
    assert.deepEqual(result.files, []);
    assert.deepEqual(result.problems.map((p) => p.message), ['../../etc/x.h: a path outside the tree, not read', '/abs/y.h: a path outside the tree, not read']);
  });
});
