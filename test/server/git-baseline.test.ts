// An open header checked against its file at git's HEAD, in a trusted workspace only (git is run), as the editor sees it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startServer, type TestClient } from '../helpers/lsp-client';
import { writeTempTree } from '../helpers/temp-tree';

const PUBLISHED = '#include <linux/types.h>\n/* sysarg: extensible */\nstruct frob_args {\n\t__aligned_u64 flags;\n\t__aligned_u64 fd;\n};\n#define FROB_ARGS_SIZE_VER0 16\n';
const INSERTED = PUBLISHED.replace('\t__aligned_u64 fd;', '\t__aligned_u64 mode;\n\t__aligned_u64 fd;').replace('VER0 16\n', 'VER0 16\n#define FROB_ARGS_SIZE_VER1 24\n');
const skip = spawnSync('git', ['--version']).error ? 'git is not installed' : existsSync('/usr/include/linux/types.h') ? false : '/usr/include/linux is not installed';

/** A git work tree whose HEAD has `files` (frob.h as published) committed. */
function repository(files: Record<string, string> = { 'frob.h': PUBLISHED }): string {
  const dir = writeTempTree('sysarg-git-baseline-', files);
  for (const args of [['init', '-q'], ['add', '.'], ['commit', '-qm', 'published']]) {
    assert.equal(spawnSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd: dir }).status, 0, args.join(' '));
  }
  return dir;
}

describe('git HEAD as the baseline of an open header', { skip }, () => {
  const clients: TestClient[] = [];
  after(async () => Promise.all(clients.map((c) => c.stop())));

  it('marks a member inserted mid-struct, against HEAD, as the buffer is edited', async () => {
    const dir = repository();
    const client = await startServer({ rootPath: dir });
    clients.push(client);
    const uri = client.open(join(dir, 'frob.h'), PUBLISHED);
    assert.deepEqual((await client.diagnostics(uri)).map((d) => d.code), [], 'the published struct itself');
    client.forgetDiagnostics(uri);
    client.change(uri, 2, INSERTED);
    const found = (await client.diagnostics(uri)).filter((d) => d.code === 'non-tail-insertion');
    assert.deepEqual(found.map((d) => [d.range.start.line, d.range.start.character]), [[4, 15]]);
    assert.match(found[0].message, /'mode' is inserted into the published part of struct frob_args, before 'fd'/);
  });

  it("marks a member inserted mid-way into a bpf program context, append-only by its comment, and says so on hover", async () => {
    const ctx = '#include <linux/types.h>\n/* user accessible mirror of in-kernel xfrm_state.\n * new fields can only be added to the end of this structure\n */\nstruct bpf_xfrm_state {\n\t__u32 reqid;\n\t__u32 spi;\n};\n';
    const dir = repository({ 'ctx.h': ctx });
    const client = await startServer({ rootPath: dir });
    clients.push(client);
    const uri = client.open(join(dir, 'ctx.h'), ctx);
    assert.deepEqual((await client.diagnostics(uri)).map((d) => d.code), [], 'no syscall-argument rule judges it');
    client.forgetDiagnostics(uri);
    client.change(uri, 2, ctx.replace('\t__u32 spi;', '\t__u32 mark;\n\t__u32 spi;'));
    assert.deepEqual((await client.diagnostics(uri)).map((d) => [d.code, d.range.start.line]), [['non-tail-insertion', 6]]);
    const hover = (await client.hover(uri, 4, 8)) ?? '';
    assert.match(hover, /\*\*struct bpf_xfrm_state\*\* — append-only/);
    assert.match(hover, /Append-only because its comment says new members go at its end: inserting or changing a published member breaks the programs built against it\./);
  });

  it('marks a flag added on a bit its block already has, against HEAD', async () => {
    const dir = repository();
    const flags = '#define FROB_F_A 0x1\n#define FROB_F_B 0x2\n#define FROB_F_C 0x4\n#define FROB_F_D 0x8\n';
    writeFileSync(join(dir, 'frob.h'), PUBLISHED + flags);
    assert.equal(spawnSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qam', 'flags'], { cwd: dir }).status, 0);
    const client = await startServer({ rootPath: dir });
    clients.push(client);
    const uri = client.open(join(dir, 'frob.h'), `${PUBLISHED}${flags}#define FROB_F_NEW 0x4\n`);
    const found = (await client.diagnostics(uri)).filter((d) => d.code === 'flag-bit-duplicate');
    assert.deepEqual(found.map((d) => [d.range.start.line, d.relatedInformation?.[0]?.message]), [[11, 'FROB_F_C takes bit 2 here']]);
  });

  it('with sysarg.newOnly, shows only what the edit adds to the findings HEAD had, lines moved or not', async () => {
    const padded = PUBLISHED.replace('\t__aligned_u64 flags;', '\t__u32 flags;');
    const dir = repository({ 'frob.h': padded });
    const edited = `/* frob(2) */\n${padded.replace('\t__aligned_u64 fd;', '\t__aligned_u64 mode;\n\t__aligned_u64 fd;')}`;
    const codes = async (settings: object) => {
      const client = await startServer({ rootPath: dir, settings: { targets: ['x86_64'], ...settings } });
      clients.push(client);
      const uri = client.open(join(dir, 'frob.h'), padded);
      const atHead = (await client.diagnostics(uri)).map((d) => d.code);
      client.forgetDiagnostics(uri);
      client.change(uri, 2, edited);
      return { atHead, edited: (await client.diagnostics(uri)).map((d) => [d.code, d.range.start.line]) };
    };
    assert.deepEqual(await codes({}), {
      atHead: ['implicit-padding'],
      edited: [
        ['implicit-padding', 4],
        ['non-tail-insertion', 5],
        ['size-ver-missing', 8],
      ],
    });
    assert.deepEqual(await codes({ newOnly: true }), {
      atHead: [],
      edited: [
        ['non-tail-insertion', 5],
        ['size-ver-missing', 8],
      ],
    });
    // Untrusted: no git, so no HEAD to leave anything out by; every finding is shown.
    const client = await startServer({ rootPath: dir, trusted: false, settings: { targets: ['x86_64'], newOnly: true } });
    clients.push(client);
    assert.deepEqual((await client.diagnostics(client.open(join(dir, 'frob.h'), edited))).map((d) => d.code), ['implicit-padding', 'size-ver-missing']);
  });

  it('runs no git in an untrusted workspace, nor with sysarg.baseline "none"', async () => {
    const dir = repository();
    writeFileSync(join(dir, 'frob.h'), INSERTED);
    for (const options of [{ trusted: false }, { settings: { targets: ['x86_64'], baseline: 'none' } }]) {
      const client = await startServer({ rootPath: dir, ...options });
      clients.push(client);
      const uri = client.open(join(dir, 'frob.h'), INSERTED);
      assert.deepEqual((await client.diagnostics(uri)).map((d) => d.code), [], JSON.stringify(options));
    }
  });

  it('judges a struct new in a UAPI header since HEAD, and every struct of a UAPI header git does not have yet', async () => {
    const dir = writeTempTree('sysarg-git-uapi-', { 'include/uapi/linux/frob.h': PUBLISHED });
    for (const args of [['init', '-q'], ['add', '.'], ['commit', '-qm', 'published']]) {
      assert.equal(spawnSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd: dir }).status, 0, args.join(' '));
    }
    const info = '\nstruct frob_info {\n\t__u64 mask;\n\t__u32 fd;\n};\n';
    const client = await startServer({ rootPath: dir });
    clients.push(client);
    const header = client.open(join(dir, 'include/uapi/linux/frob.h'), PUBLISHED + info);
    const found = await client.diagnostics(header);
    assert.deepEqual(found.map((d) => [d.code, d.range.start.line]), [['implicit-padding', 8], ['compat-layout', 8]]);
    assert.match(found[0].message, /the struct is new in this UAPI header/);
    const fresh = join(dir, 'include/uapi/linux/frob_info.h');
    writeFileSync(fresh, `#include <linux/types.h>${info}`);
    const untracked = client.open(fresh, `#include <linux/types.h>${info}`);
    assert.deepEqual((await client.diagnostics(untracked)).map((d) => d.code), ['implicit-padding', 'compat-layout']);
  });
});
