// Quick fixes over stdio: each applied to the buffer makes its finding go away.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { CodeAction, Range, TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { startServer, type TestClient } from '../helpers/lsp-client';
import { writeTempTree } from '../helpers/temp-tree';

const skip = existsSync('/usr/include/linux/types.h') ? false : '/usr/include/linux is not installed (linux-libc-dev)';
const WHOLE: Range = { start: { line: 0, character: 0 }, end: { line: 99, character: 0 } };

describe('quick fixes', { skip }, () => {
  const clients: TestClient[] = [];
  after(async () => Promise.all(clients.map((c) => c.stop())));

  /** Asks for the fixes of `code` in the buffer, applies the one titled like `title`, and gives the new text. */
  async function applyFix(client: TestClient, uri: string, text: string, version: number, code: string, title: RegExp): Promise<string> {
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: WHOLE, context: { diagnostics: [] } });
    const action = actions.find((a) => a.diagnostics?.some((d) => d.code === code) && title.test(a.title));
    assert.ok(action, `no fix ${title} for ${code}: ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.equal(action.kind, 'quickfix');
    const edits = action.edit?.changes?.[uri] as TextEdit[];
    const next = TextDocument.applyEdits(TextDocument.create(uri, 'c', 1, text), edits);
    client.forgetDiagnostics(uri);
    client.change(uri, version, next);
    return next;
  }

  /** A server over a new, empty workspace folder (the buffers opened in it are all it reads of it). */
  async function serverInEmptyFolder(): Promise<{ dir: string; client: TestClient }> {
    const dir = writeTempTree('sysarg-fixes-', {});
    const client = await startServer({ rootPath: dir });
    clients.push(client);
    return { dir, client };
  }

  it('adds the missing size version, and fills a hole with an explicit member', async () => {
    const { dir, client } = await serverInEmptyFolder();
    const text = '#include <linux/types.h>\n/* sysarg: extensible */\nstruct frob_args {\n\t__u32 mode;\n\t__aligned_u64 fd;\n};\n#define FROB_ARGS_SIZE_VER0 8\n';
    const uri = client.open(join(dir, 'frob.h'), text);
    const codes = (await client.diagnostics(uri)).map((d) => d.code).sort();
    assert.deepEqual(codes, ['implicit-padding', 'size-ver-mismatch', 'size-ver-missing']);
    const padded = await applyFix(client, uri, text, 2, 'implicit-padding', /^Insert __u32 __reserved_mode;/);
    assert.match(padded, /\t__u32 mode;\n\t__u32 __reserved_mode;\n\t__aligned_u64 fd;/);
    const versioned = await applyFix(client, uri, padded, 3, 'size-ver-missing', /^Add #define FROB_ARGS_SIZE_VER1 16$/);
    assert.match(versioned, /#define FROB_ARGS_SIZE_VER0 8\n#define FROB_ARGS_SIZE_VER1 16\n$/);
    assert.deepEqual((await client.diagnostics(uri)).map((d) => d.code), [], 'nothing left');
  });

  it('declares a pointer, and a __u64 that i386 aligns to 4, with linux/types.h\'s 8-byte-aligned types', async () => {
    const { dir, client } = await serverInEmptyFolder();
    const text = '#include <linux/types.h>\n/* sysarg: extensible */\nstruct frob_args {\n\t__u32 mode;\n\t__u32 fd;\n\tvoid *buf;\n};\n';
    const uri = client.open(join(dir, 'frob.h'), text);
    assert.deepEqual((await client.diagnostics(uri)).map((d) => d.code), ['compat-layout', 'arch-dependent-type']);
    const pointer = await applyFix(client, uri, text, 2, 'arch-dependent-type', /^Declare 'buf' as __aligned_u64$/);
    assert.match(pointer, /\t__aligned_u64 buf;\n/);
    assert.deepEqual((await client.diagnostics(uri)).map((d) => d.code), [], '16 bytes on both targets now');
    // A __u64 after three __u32: at 16 on x86_64 (a hole before it), at 12 on i386.
    const misaligned = pointer.replace('\t__aligned_u64 buf;\n', '\t__u32 flags;\n\t__u64 len;\n');
    client.forgetDiagnostics(uri);
    client.change(uri, 3, misaligned);
    assert.deepEqual((await client.diagnostics(uri)).map((d) => d.code), ['implicit-padding', 'compat-layout']);
    const aligned = await applyFix(client, uri, misaligned, 4, 'compat-layout', /^Declare 'len' as __aligned_u64$/);
    assert.deepEqual((await client.diagnostics(uri)).map((d) => d.code), ['implicit-padding'], 'the same hole on both targets, now one explicit member can fill');
    const padded = await applyFix(client, uri, aligned, 5, 'implicit-padding', /^Insert __u32 __reserved_flags;/);
    assert.match(padded, /\t__u32 flags;\n\t__u32 __reserved_flags;\n\t__aligned_u64 len;\n/);
    assert.deepEqual((await client.diagnostics(uri)).map((d) => d.code), [], 'nothing left');
  });

  it('moves a member inserted mid-struct to the tail (the baseline: git HEAD)', { skip: spawnSync('git', ['--version']).error ? 'git is not installed' : false }, async () => {
    const published = '#include <linux/types.h>\n/* sysarg: extensible */\nstruct frob_args {\n\t__aligned_u64 flags;\n\t__aligned_u64 fd;\n};\n#define FROB_ARGS_SIZE_VER0 16\n#define FROB_ARGS_SIZE_VER1 24\n';
    const dir = writeTempTree('sysarg-fixes-git-', { 'frob.h': published });
    for (const args of [['init', '-q'], ['add', 'frob.h'], ['commit', '-qm', 'published']]) assert.equal(spawnSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd: dir }).status, 0);
    const client = await startServer({ rootPath: dir });
    clients.push(client);
    const inserted = published.replace('\t__aligned_u64 fd;\n', '\t__aligned_u64 mode; /* new */\n\t__aligned_u64 fd;\n');
    const uri = client.open(join(dir, 'frob.h'), inserted);
    assert.deepEqual((await client.diagnostics(uri)).map((d) => d.code), ['non-tail-insertion']);
    const moved = await applyFix(client, uri, inserted, 2, 'non-tail-insertion', /^Move 'mode' to the tail of struct frob_args$/);
    assert.match(moved, /\t__aligned_u64 flags;\n\t__aligned_u64 fd;\n\t__aligned_u64 mode; \/\* new \*\/\n\};/);
    assert.deepEqual((await client.diagnostics(uri)).map((d) => d.code), []);
  });
});
