// Quick fixes in a patch mail over stdio: applied to the mail, each ends its finding, and GNU patch still applies the mail.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { CodeAction, Range, TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { startServer, type TestClient } from '../helpers/lsp-client';
import { writeTempTree } from '../helpers/temp-tree';

const missing = spawnSync('patch', ['--version']).status === 0 ? false : 'GNU patch is not installed';
const noHeaders = spawnSync('test', ['-f', '/usr/include/linux/types.h']).status === 0 ? false : '/usr/include/linux is not installed (linux-libc-dev)';
const WHOLE: Range = { start: { line: 0, character: 0 }, end: { line: 999, character: 0 } };

/** A tree whose include/uapi/linux/frob.h holds `header`. */
const frobTree = (header: string): Record<string, string> => ({ 'include/uapi/linux/.keep': '', 'include/uapi/linux/frob.h': header });

/** What GNU patch says applying `mail` at the top of a copy of `files` (fuzz 0: the counts and places must be exact). */
function gnuPatch(files: Record<string, string>, mail: string): { status: number | null; out: string; tree: string } {
  const tree = writeTempTree('sysarg-patch-fix-apply-', files);
  writeFileSync(join(tree, 'fixed.patch'), mail);
  const run = spawnSync('patch', ['-p1', '-F0', '--no-backup-if-mismatch', '-i', 'fixed.patch'], { cwd: tree, encoding: 'utf8' });
  return { status: run.status, out: run.stdout + run.stderr, tree };
}

describe('quick fixes in a patch mail', { skip: missing || noHeaders }, () => {
  const clients: TestClient[] = [];
  after(async () => Promise.all(clients.map((c) => c.stop())));

  async function serverOn(files: Record<string, string>): Promise<{ tree: string; client: TestClient }> {
    const tree = writeTempTree('sysarg-patch-fixes-', files);
    const client = await startServer({ rootPath: tree, settings: { targets: ['x86_64', 'i386'] } });
    clients.push(client);
    return { tree, client };
  }

  async function actionsOf(client: TestClient, uri: string): Promise<CodeAction[]> {
    return client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: WHOLE, context: { diagnostics: [] } });
  }

  function applied(uri: string, text: string, action: CodeAction): string {
    return TextDocument.applyEdits(TextDocument.create(uri, 'diff', 1, text), action.edit?.changes?.[uri] as TextEdit[]);
  }

  /** Sends `text` as the mail's version `version`; the codes of what the server then finds in it. */
  async function codesAfter(client: TestClient, uri: string, version: number, text: string): Promise<string[]> {
    client.forgetDiagnostics(uri);
    client.change(uri, version, text);
    return (await client.diagnostics(uri)).map((d) => String(d.code));
  }

  /** frob.h as GNU patch writes it from `mail` over `files`, which it must apply exactly where its headers say. */
  function appliedExactly(files: Record<string, string>, mail: string): string {
    const gnu = gnuPatch(files, mail);
    assert.equal(gnu.status, 0, gnu.out);
    assert.doesNotMatch(gnu.out, /offset|fuzz/i, 'applied exactly where the headers say');
    return readFileSync(join(gnu.tree, 'include/uapi/linux/frob.h'), 'utf8');
  }

  it('inserts the explicit padding as added lines, fixes the hunk counts, and the mail still applies', async () => {
    const files = frobTree('#ifndef FROB_H\n#define FROB_H\n#include <linux/types.h>\n\n#define FROB_MAGIC 1\n#define FROB_OTHER 2\n\n#define FROB_LAST 3\n\n#endif\n');
    const { tree, client } = await serverOn(files);
    // Two hunks: the second starts after the first's lines, so a line added in the first moves it.
    const mail = [
      'From: A Developer <dev@example.org>',
      'Subject: [PATCH] frob: add frob_args',
      '',
      '---',
      '--- a/include/uapi/linux/frob.h',
      '+++ b/include/uapi/linux/frob.h',
      '@@ -3,4 +3,10 @@',
      ' #include <linux/types.h>',
      ' ',
      '+/* sysarg: extensible */',
      '+struct frob_args {',
      '+\t__u32 mode;',
      '+\t__aligned_u64 fd;',
      '+};',
      '+',
      ' #define FROB_MAGIC 1',
      ' #define FROB_OTHER 2',
      '@@ -8,3 +14,4 @@',
      ' #define FROB_LAST 3',
      ' ',
      '+#define FROB_ARGS_SIZE_VER0 16',
      ' #endif',
      '',
    ].join('\n');
    assert.equal(gnuPatch(files, mail).status, 0, 'the mail as written applies');
    const uri = client.open(join(tree, 'frob.patch'), mail, 'diff');
    const found = await client.diagnostics(uri);
    assert.deepEqual(found.filter((d) => d.code !== 'patch').map((d) => [d.code, d.range.start.line]), [['implicit-padding', 11]]);
    const action = (await actionsOf(client, uri)).find((a) => /^Insert __u32 __reserved_mode;/.test(a.title));
    assert.ok(action, 'the fix is offered in the mail');
    assert.equal(action.diagnostics?.[0].range.start.line, 11, 'for the finding at its place in the mail');
    const shownAs = found.find((d) => d.code === 'implicit-padding');
    assert.equal(action.diagnostics?.[0].message, shownAs?.message, 'named as the mail shows it');
    const fixed = applied(uri, mail, action);
    assert.match(fixed, /\n\+\t__u32 mode;\n\+\t__u32 __reserved_mode;\n\+\t__aligned_u64 fd;\n/);
    assert.match(fixed, /\n@@ -3,4 \+3,11 @@\n/, "the hunk's new side is a line longer");
    assert.match(fixed, /\n@@ -8,3 \+15,4 @@\n/, 'the next hunk starts a line later');
    assert.deepEqual((await codesAfter(client, uri, 2, fixed)).filter((code) => code !== 'patch'), [], 'the finding is gone');
    assert.match(appliedExactly(files, fixed), /\t__u32 mode;\n\t__u32 __reserved_mode;\n\t__aligned_u64 fd;\n/);
  });

  it('moves a member the patch inserts mid-struct to the tail, when the mail shows the tail, and the mail still applies', async () => {
    const files = frobTree('#include <linux/types.h>\n/* sysarg: extensible */\nstruct frob_args {\n\t__aligned_u64 flags;\n\t__aligned_u64 fd;\n};\n#define FROB_ARGS_SIZE_VER0 16\n');
    const { tree, client } = await serverOn(files);
    const mail = '--- a/include/uapi/linux/frob.h\n+++ b/include/uapi/linux/frob.h\n@@ -3,5 +3,6 @@\n struct frob_args {\n \t__aligned_u64 flags;\n+\t__aligned_u64 mode;\n \t__aligned_u64 fd;\n };\n #define FROB_ARGS_SIZE_VER0 16\n';
    assert.equal(gnuPatch(files, mail).status, 0, 'the mail as written applies');
    const uri = client.open(join(tree, 'middle.patch'), mail, 'diff');
    assert.deepEqual((await client.diagnostics(uri)).map((d) => [d.code, d.range.start.line]), [['non-tail-insertion', 5], ['size-ver-missing', 8]]);
    const move = (await actionsOf(client, uri)).find((a) => a.diagnostics?.some((d) => d.code === 'non-tail-insertion'));
    assert.ok(move, 'the move is offered');
    const fixed = applied(uri, mail, move);
    assert.equal(fixed, mail.replace('+\t__aligned_u64 mode;\n \t__aligned_u64 fd;\n', ' \t__aligned_u64 fd;\n+\t__aligned_u64 mode;\n'), 'the + line moved, the hunk header as it was');
    assert.deepEqual(await codesAfter(client, uri, 2, fixed), ['size-ver-missing'], 'an append now: only its size version is missing');
    // Its fix adds the #define after the hunk's last line: at the hunk's end, one line more.
    const version = (await actionsOf(client, uri)).find((a) => /^Add #define FROB_ARGS_SIZE_VER1 24$/.test(a.title));
    assert.ok(version, 'the size version is offered after the last line the hunk shows');
    const versioned = applied(uri, fixed, version);
    assert.equal(versioned, fixed.replace('@@ -3,5 +3,6 @@', '@@ -3,5 +3,7 @@') + '+#define FROB_ARGS_SIZE_VER1 24\n');
    assert.deepEqual(await codesAfter(client, uri, 3, versioned), [], 'nothing left');
    assert.match(appliedExactly(files, versioned), /\t__aligned_u64 fd;\n\t__aligned_u64 mode;\n};\n#define FROB_ARGS_SIZE_VER0 16\n#define FROB_ARGS_SIZE_VER1 24\n$/);
  });

  it('retypes a member on an added line in place, and offers nothing for a line the patch shows as context', async () => {
    const files = frobTree('#include <linux/types.h>\n/* sysarg: extensible */\nstruct frob_args {\n\t__u32 mode;\n\t__u32 fd;\n\tvoid *buf;\n};\n');
    const { tree, client } = await serverOn(files);
    // The published pointer is shown as context: its fix would change what the patch expects to find.
    const context = '--- a/include/uapi/linux/frob.h\n+++ b/include/uapi/linux/frob.h\n@@ -4,4 +4,5 @@\n \t__u32 mode;\n \t__u32 fd;\n \tvoid *buf;\n+\t__u32 flags;\n };\n';
    const uri = client.open(join(tree, 'context.patch'), context, 'diff');
    assert.ok((await client.diagnostics(uri)).some((d) => d.code === 'arch-dependent-type'));
    assert.deepEqual((await actionsOf(client, uri)).map((a) => a.title).filter((t) => /buf/.test(t)), []);
    // Added by the patch: retyped on its + line, no line added.
    const addedFiles = frobTree(files['include/uapi/linux/frob.h'].replace('\tvoid *buf;\n', ''));
    const { tree: tree2, client: client2 } = await serverOn(addedFiles);
    const added = '--- a/include/uapi/linux/frob.h\n+++ b/include/uapi/linux/frob.h\n@@ -4,3 +4,4 @@\n \t__u32 mode;\n \t__u32 fd;\n+\tvoid *buf;\n };\n';
    const uri2 = client2.open(join(tree2, 'added.patch'), added, 'diff');
    await client2.diagnostics(uri2);
    const retype = (await actionsOf(client2, uri2)).find((a) => /^Declare 'buf' as __aligned_u64$/.test(a.title));
    assert.ok(retype);
    const fixed = applied(uri2, added, retype);
    assert.equal(fixed, added.replace('+\tvoid *buf;', '+\t__aligned_u64 buf;'));
    assert.match(appliedExactly(addedFiles, fixed), /\t__u32 fd;\n\t__aligned_u64 buf;\n};\n$/);
  });
});
