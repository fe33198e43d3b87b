// A patch mail open in the editor: the structs it adds are hovered, lensed and outlined at the mail's own lines.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import type { CodeLens, DocumentSymbol, InlayHint } from 'vscode-languageserver-protocol';
import { positionOf, startServer, type TestClient } from '../helpers/lsp-client';
import { SEED_PATCH, SEED_TREE, seedMissing } from '../helpers/paths';
import { KERNEL_TREE_SKELETON, writeTempTree } from '../helpers/temp-tree';

/** A kernel tree with include/uapi/linux/frob.h (struct frob_args holding `members`) and kernel/frob.c, copying nothing in yet. */
function frobTree(prefix: string, members: string): string {
  return writeTempTree(prefix, {
    ...KERNEL_TREE_SKELETON,
    'include/uapi/linux/frob.h': `#include <linux/types.h>\nstruct frob_args {\n${members}};\n`,
    'kernel/frob.c': '#include <linux/frob.h>\n\nSYSCALL_DEFINE2(frob, struct frob_args __user *, uargs, size_t, usize)\n{\n\tstruct frob_args args;\n\n\treturn 0;\n}\n',
  });
}

/** A hunk of kernel/frob.c copying the struct in with copy_struct_from_user(), `check` or'ed into its test, returning -`errno`. */
function copyHunk(errno: string, check = ''): string {
  return `--- a/kernel/frob.c\n+++ b/kernel/frob.c\n@@ -3,6 +3,9 @@\n SYSCALL_DEFINE2(frob, struct frob_args __user *, uargs, size_t, usize)\n {\n \tstruct frob_args args;\n+\n+\tif (copy_struct_from_user(&args, sizeof(args), uargs, usize)${check})\n+\t\treturn -${errno};\n \n \treturn 0;\n }\n`;
}

describe('patch documents in the language server', () => {
  const clients: TestClient[] = [];
  after(async () => {
    for (const c of clients) await c.stop();
  });

  it('hovers, lenses and outlines the RFC\'s struct long_clone_arg in the mail, applied to its tree', { skip: seedMissing }, async () => {
    const client = await startServer({ rootPath: SEED_TREE, settings: { targets: ['x86_64', 'i386'] } });
    clients.push(client);
    const text = readFileSync(SEED_PATCH, 'utf8');
    const uri = client.open(SEED_PATCH, text, 'diff');
    const at = positionOf(text, '+struct long_clone_arg {', '+struct '.length + 2);
    const hover = await client.hover(uri, at.line, at.character);
    assert.match(hover ?? '', /\*\*struct long_clone_arg\*\*/);
    assert.match(hover ?? '', /\| x86_64 \| 4 \| 4 \|/);
    const member = positionOf(text, '+\tint size;', 6);
    assert.match((await client.hover(uri, member.line, member.character)) ?? '', /\| x86_64 \| 0 \| 4 \| 4 \|/, 'the member: offset 0, size 4');
    assert.equal(await client.hover(uri, at.line, 0), null, 'not on the + marker');
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    const lens = lenses.find((l) => l.range.start.line === at.line);
    assert.ok(lens, JSON.stringify(lenses.map((l) => [l.range.start.line, l.command?.title])));
    assert.match(lens.command?.title ?? '', /^4 bytes, align 4, 1 member \(x86_64\).*extensible/);
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    const symbol = symbols.find((s) => s.name === 'struct long_clone_arg');
    assert.equal(symbol?.selectionRange.start.line, at.line);
    assert.deepEqual(symbol?.children?.map((c) => [c.name, c.selectionRange.start.line]), [['size', member.line]]);
    // sysarg/layout (the Show Struct Layout panel) gives the patch's records, as `sysarg layout` does for the file.
    const report = await client.request<{ records: { name: string; file: string; line: number }[]; errors: unknown[] }>('sysarg/layout', { uri });
    assert.deepEqual(report.records.map((r) => [r.name, r.file, r.line]), [['long_clone_arg', join(SEED_TREE, 'include/linux/sched.h'), 44]]);
    assert.equal(report.errors.length, 2);
    // syscalls.h and fork.c are not in the fixture tree: said at their diff lines, as information; CLONE_LONGARG
    // leaves legacy clone()'s flags one free bit, said at its + line.
    const diagnostics = await client.diagnostics(uri);
    const sched = join(SEED_TREE, 'include/linux/sched.h');
    // kernel/fork.c, made of the mail's own lines, refuses a size larger than the struct (strict-size-check).
    assert.deepEqual(diagnostics.map((d) => [d.range.start.line + 1, d.severity, d.message.split(':')[0]]), [[70, 3, 'include/linux/syscalls.h'], [83, 3, 'kernel/fork.c'], [38, 3, sched], [103, 2, join(SEED_TREE, 'kernel/fork.c')]]);
    assert.equal(diagnostics[3].code, 'strict-size-check');
    assert.equal(diagnostics[2].code, 'flag-bits-exhausted');
    assert.match(diagnostics[2].message, /one free bit left after CLONE_LONGARG: bit 12/);
    assert.equal(diagnostics[2].range.start.character, 9, 'at the name, past the + marker');
  });

  it('checks an extensible struct the patch changes against the tree it applies to: a member inserted mid-struct', async () => {
    const header = '#include <linux/types.h>\n/* sysarg: extensible */\nstruct frob_args {\n\t__aligned_u64 flags;\n\t__aligned_u64 fd;\n};\n#define FROB_ARGS_SIZE_VER0 16\n';
    const tree = writeTempTree('sysarg-patch-rules-', { 'include/uapi/frob.h': header });
    const client = await startServer({ rootPath: tree, settings: { targets: ['x86_64', 'i386'] } });
    clients.push(client);
    const middle = '--- a/include/uapi/frob.h\n+++ b/include/uapi/frob.h\n@@ -3,4 +3,5 @@\n struct frob_args {\n \t__aligned_u64 flags;\n+\t__aligned_u64 mode;\n \t__aligned_u64 fd;\n };\n';
    const uri = client.open(join(tree, 'frob.patch'), middle, 'diff');
    const found = (await client.diagnostics(uri)).filter((d) => d.code === 'non-tail-insertion');
    assert.deepEqual(found.map((d) => [d.range.start.line, d.range.start.character, d.severity]), [[5, 16, 1]], "at 'mode' on its + line");
    assert.match(found[0].message, /'mode' is inserted into the published part of struct frob_args, before 'fd' on x86_64 and i386/);
    // The same member at the tail is an append: only the size version is left to add.
    const tail = '--- a/include/uapi/frob.h\n+++ b/include/uapi/frob.h\n@@ -3,5 +3,6 @@\n struct frob_args {\n \t__aligned_u64 flags;\n \t__aligned_u64 fd;\n+\t__aligned_u64 mode;\n };\n #define FROB_ARGS_SIZE_VER0 16\n';
    client.forgetDiagnostics(uri);
    client.change(uri, 2, tail);
    const codes = (await client.diagnostics(uri)).map((d) => d.code);
    assert.deepEqual(codes, ['size-ver-missing']);
  });

  it('judges the structs of a UAPI header the patch creates as new: tail padding and an i386 layout of their own', async () => {
    const tree = writeTempTree('sysarg-patch-new-uapi-', { 'include/uapi/linux/.keep': '' });
    const client = await startServer({ rootPath: tree, settings: { targets: ['x86_64', 'i386'] } });
    clients.push(client);
    const created = '--- /dev/null\n+++ b/include/uapi/linux/frob_info.h\n@@ -0,0 +1,5 @@\n+#include <linux/types.h>\n+struct frob_info {\n+\t__u64 mask;\n+\t__u32 fd;\n+};\n';
    const uri = client.open(join(tree, 'new.patch'), created, 'diff');
    const found = await client.diagnostics(uri);
    assert.deepEqual(found.map((d) => [d.code, d.range.start.line]), [['implicit-padding', 4], ['compat-layout', 4]]);
    assert.match(found[0].message, /the struct is new in this UAPI header/);
  });

  it("takes the patch's own kernel code copying a struct in with copy_struct_from_user() as evidence", async () => {
    const tree = frobTree('sysarg-patch-copies-', '\t__aligned_u64 a;\n\t__aligned_u64 b;\n');
    const client = await startServer({ rootPath: tree, settings: { targets: ['x86_64', 'i386'] } });
    clients.push(client);
    const header = '--- a/include/uapi/linux/frob.h\n+++ b/include/uapi/linux/frob.h\n@@ -2,4 +2,5 @@\n struct frob_args {\n \t__aligned_u64 a;\n \t__aligned_u64 b;\n+\t__u32 c;\n };\n';
    const code = copyHunk('EFAULT');
    const uri = client.open(join(tree, 'frob.patch'), header, 'diff');
    assert.deepEqual((await client.diagnostics(uri)).map((d) => d.code), [], 'a published struct, not known to be extensible');
    client.forgetDiagnostics(uri);
    client.change(uri, 2, code + header);
    const found = (await client.diagnostics(uri)).filter((d) => d.code !== 'patch');
    assert.deepEqual(found.map((d) => [d.code, d.range.start.line]), [['implicit-padding', 15]]);
  });

  it("follows what the patch's own kernel code checks as the mail is edited (flags-unchecked)", async () => {
    const tree = frobTree('sysarg-patch-checks-', '\t__aligned_u64 a;\n');
    const client = await startServer({ rootPath: tree, settings: { targets: ['x86_64', 'i386'] } });
    clients.push(client);
    const header = '--- a/include/uapi/linux/frob.h\n+++ b/include/uapi/linux/frob.h\n@@ -2,3 +2,4 @@\n struct frob_args {\n \t__aligned_u64 a;\n+\t__aligned_u64 flags;\n };\n';
    const code = (check: string) => copyHunk('EINVAL', check);
    const uri = client.open(join(tree, 'frob.patch'), code('') + header, 'diff');
    const codes = async () => (await client.diagnostics(uri)).filter((d) => d.code !== 'patch').map((d) => d.code);
    assert.deepEqual(await codes(), ['flags-unchecked']);
    // The check typed on the line of the call, which stays where it was: only what the file tests changes.
    client.forgetDiagnostics(uri);
    client.change(uri, 2, code(' || (args.flags & ~FROB_VALID)') + header);
    assert.deepEqual(await codes(), []);
  });

  it('warns at a hunk that does not apply, and follows the mail as it is edited', async () => {
    const tree = writeTempTree('sysarg-patch-lsp-', { 'inc/x.h': 'struct x {\n\tint a;\n};\n' });
    const client = await startServer({ rootPath: tree, settings: { targets: ['x86_64'] } });
    clients.push(client);
    const good = '--- a/inc/x.h\n+++ b/inc/x.h\n@@ -1,3 +1,4 @@\n struct x {\n \tint a;\n+\tlong b;\n };\n';
    const uri = client.open(join(tree, 'x.patch'), good, 'diff');
    assert.deepEqual(await client.diagnostics(uri), []);
    assert.match((await client.hover(uri, 3, 8)) ?? '', /\| x86_64 \| 16 \| 8 \|/, 'struct x as patched: an int, a hole, a long');
    // A mail with no diff in it (Neovim's 'mail' buffers) says nothing.
    const mail = client.open(join(tree, 'note.eml'), 'Subject: lunch?\n\n--- \nsent from my phone\n', 'mail');
    assert.deepEqual(await client.diagnostics(mail), []);
    // A line the hunk removes that the file does not have (changed context lines alone would apply with fuzz, as patch applies them).
    const stale = good.replace(' \tint a;', '-\tint aa;\n+\tint aa;');
    client.change(uri, 2, stale);
    const diagnostics = await client.diagnostics(uri);
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].severity, 2);
    assert.equal(diagnostics[0].range.start.line, 2);
    assert.match(diagnostics[0].message, /this hunk does not apply/);
    assert.equal(await client.hover(uri, 3, 8), null, 'the hunk is left out: none of its lines is in the file');
  });

  it('applies a patch to the editor\'s unsaved buffers of the tree\'s files, and follows them as they change', async () => {
    // On disk, y.h's member is `c` and T an int; in the editor (unsaved), `d` and a long.
    const tree = writeTempTree('sysarg-patch-buffers-', { 'inc/x.h': 'typedef int T;\n', 'inc/y.h': '#include "x.h"\nstruct y {\n\tchar c;\n};\n' });
    const client = await startServer({ rootPath: tree, settings: { targets: ['x86_64'] } });
    clients.push(client);
    const x = client.open(join(tree, 'inc/x.h'), 'typedef long T;\n');
    const y = client.open(join(tree, 'inc/y.h'), '#include "x.h"\nstruct y {\n\tchar d;\n};\n');
    const patch = '--- a/inc/y.h\n+++ b/inc/y.h\n@@ -2,3 +2,4 @@\n struct y {\n-\tchar d;\n+\tchar d;\n+\tT t;\n };\n';
    const uri = client.open(join(tree, 'y.patch'), patch, 'diff');
    assert.deepEqual(await client.diagnostics(uri), [], 'the hunk applies to the buffer (its context is not the disk\'s)');
    const member = positionOf(patch, '+\tT t;', 4);
    assert.match((await client.hover(uri, member.line, member.character)) ?? '', /\| x86_64 \| 8 \| 8 \| 8 \|/, 'T is the buffer\'s long');
    // x.h edited: the patched struct is laid out with the new T at once.
    client.change(x, 2, 'typedef short T;\n');
    assert.match((await client.hover(uri, member.line, member.character)) ?? '', /\| x86_64 \| 2 \| 2 \| 2 \|/, 'T is now a short');
    // y.h closed unsaved: the disk's y.h is what the patch meets, and its hunk no longer applies.
    client.forgetDiagnostics(uri);
    client.close(y);
    const diagnostics = await client.diagnostics(uri);
    assert.deepEqual(diagnostics.map((d) => [d.range.start.line, d.severity]), [[2, 2]]);
    assert.match(diagnostics[0].message, /this hunk does not apply/);
    assert.equal(await client.hover(uri, member.line, member.character), null);
  });

  it('follows a mail edited hunk by hunk: a header it patches, included by another it patches, and one it stops patching', async () => {
    const tree = writeTempTree('sysarg-patch-edits-', { 'inc/t.h': 'typedef int T;\n', 'inc/u.h': '#include "t.h"\nstruct u {\n\tT t;\n};\n' });
    const client = await startServer({ rootPath: tree, settings: { targets: ['x86_64'] } });
    clients.push(client);
    const typedefTo = (type: string) => `--- a/inc/t.h\n+++ b/inc/t.h\n@@ -1 +1 @@\n-typedef int T;\n+typedef ${type} T;\n`;
    const u = '--- a/inc/u.h\n+++ b/inc/u.h\n@@ -1,4 +1,5 @@\n #include "t.h"\n struct u {\n \tT t;\n+\tchar c;\n };\n';
    const uri = client.open(join(tree, 'x.patch'), 'Subject: [PATCH] T\n\n' + typedefTo('long') + u, 'diff');
    const sizeOfU = async (version: number, mail: string) => {
      if (version > 1) client.change(uri, version, mail);
      const at = positionOf(mail, ' struct u {', 8);
      return /\| x86_64 \| (\d+) \|/.exec((await client.hover(uri, at.line, at.character)) ?? '')?.[1];
    };
    assert.equal(await sizeOfU(1, 'Subject: [PATCH] T\n\n' + typedefTo('long') + u), '16', 'u.h as patched, with t.h as patched: a long and a char');
    assert.equal(await sizeOfU(2, 'Subject: [PATCH] T, v2\n\n' + typedefTo('long') + u), '16', 'the message edited: the same');
    assert.equal(await sizeOfU(3, 'Subject: [PATCH] T, v2\n\n' + typedefTo('short') + u), '4', 't.h\'s hunk edited: u.h, unchanged, is laid out again');
    assert.equal(await sizeOfU(4, 'Subject: [PATCH] T, v2\n\n' + u), '8', 't.h no longer patched: the tree\'s int');
  });

  it('applies a patch to the tree of the workspace folder it is in, and follows folders added and removed', async () => {
    const a = writeTempTree('sysarg-patch-folder-a-', { 'inc/x.h': 'struct x {\n\tchar a;\n};\n' });
    const b = writeTempTree('sysarg-patch-folder-b-', { 'inc/x.h': 'struct x {\n\tlong a;\n};\n' });
    const client = await startServer({ folders: [a, b], settings: { targets: ['x86_64'] } });
    clients.push(client);
    const patch = '--- a/inc/x.h\n+++ b/inc/x.h\n@@ -1,3 +1,4 @@\n struct x {\n-\tlong a;\n+\tlong a;\n+\tchar b;\n };\n';
    const uri = client.open(join(b, 'x.patch'), patch, 'diff');
    assert.deepEqual(await client.diagnostics(uri), [], 'b\'s x.h, not the first folder\'s');
    assert.match((await client.hover(uri, 3, 8)) ?? '', /\| x86_64 \| 16 \| 8 \|/, 'a long and a char');
    // b leaves the workspace: the patch now meets a's x.h (char a), where its hunk does not apply.
    client.forgetDiagnostics(uri);
    void client.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [{ uri: pathToFileURL(b).toString(), name: b }] } });
    const diagnostics = await client.diagnostics(uri);
    assert.deepEqual(diagnostics.map((d) => [d.range.start.line, d.severity]), [[2, 2]]);
    assert.match(diagnostics[0].message, /does not apply to .*sysarg-patch-folder-a-/);
  });

  it('in a Linux tree, notes the internal files a patch changes rather than laying them out', async () => {
    const tree = writeTempTree('sysarg-patch-kernel-lsp-', {
      ...KERNEL_TREE_SKELETON,
      'include/uapi/linux/x.h': 'struct x_args {\n\tint a;\n};\n',
      'kernel/x.c': 'struct kx { int a; };\n',
    });
    const client = await startServer({ rootPath: tree, settings: { targets: ['x86_64'] } });
    clients.push(client);
    const patch =
      '--- a/kernel/x.c\n+++ b/kernel/x.c\n@@ -1 +1,2 @@\n-struct kx { int a; };\n+struct kx { int a, b; };\n+int g(int size) { if (size > sizeof(struct x_args)) return -EINVAL; return 0; }\n' +
      '--- a/include/uapi/linux/x.h\n+++ b/include/uapi/linux/x.h\n@@ -1,3 +1,4 @@\n struct x_args {\n \tint a;\n+\tint b;\n };\n';
    const uri = client.open(join(tree, 'x.patch'), patch, 'diff');
    const diagnostics = await client.diagnostics(uri);
    assert.deepEqual(diagnostics.map((d) => [d.range.start.line, d.severity, d.code]), [[0, 3, 'patch'], [5, 2, 'strict-size-check']], 'the internal file is still read as written');
    assert.match(diagnostics[0].message, /^kernel\/x\.c: a kernel-internal file, not laid out/);
    assert.equal(await client.hover(uri, 4, 9), null, 'struct kx is not laid out');
    assert.match((await client.hover(uri, 9, 9)) ?? '', /\*\*struct x_args\*\*/);
  });

  it('reads a mailbox b4 wrote (.mbx) as a patch, whatever language the editor gave it', async () => {
    const tree = writeTempTree('sysarg-patch-mbx-', { 'inc/x.h': 'struct x {\n\tint a;\n};\n' });
    const client = await startServer({ rootPath: tree, settings: { targets: ['x86_64'] } });
    clients.push(client);
    const mail = 'From 1 Mon Sep 17 00:00:00 2001\nSubject: [PATCH v2] x: b\n\n---\n--- a/inc/x.h\n+++ b/inc/x.h\n@@ -1,3 +1,4 @@\n struct x {\n \tint a;\n+\tlong b;\n };\n';
    const uri = client.open(join(tree, 'v2_20261129_x_b.mbx'), mail, 'plaintext');
    const at = positionOf(mail, ' struct x {', 8);
    assert.match((await client.hover(uri, at.line, at.character)) ?? '', /\| x86_64 \| 16 \| 8 \|/);
  });

  it('shows offsets, sizes and holes after the members the mail shows, as inlay hints', async () => {
    const tree = writeTempTree('sysarg-patch-hints-', { 'inc/x.h': 'struct x {\n\tint a;\n};\n' });
    const client = await startServer({ rootPath: tree, settings: { targets: ['x86_64'], inlayHints: { enabled: true } } });
    clients.push(client);
    const uri = client.open(join(tree, 'x.patch'), '--- a/inc/x.h\n+++ b/inc/x.h\n@@ -1,3 +1,4 @@\n struct x {\n \tint a;\n+\tlong b;\n };\n', 'diff');
    const hints = await client.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 7, character: 0 } } });
    const shown = hints.map((h) => [h.position.line, h.position.character, typeof h.label === 'string' ? h.label.trim() : h.label.map((p) => p.value).join('')]);
    // `int a;` at 0 (4 bytes), a 4-byte hole after it, `long b;` at 8 (8 bytes): each after its member, on its line of the mail.
    assert.deepEqual(shown.filter(([line]) => line === 4 || line === 5).map(([line, , label]) => [line, label]), [[4, '@0 4B'], [4, '⟨4-byte hole⟩'], [5, '@8 8B']]);
    assert.equal(shown.find(([line]) => line === 5)?.[1], '+\tlong b'.length, 'after the member name, past the + marker');
  });
});
