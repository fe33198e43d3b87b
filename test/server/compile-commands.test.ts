// sysarg.compileCommands in the language server: the workspace's compile_commands.json found as clangd finds it,
// followed when it changes on disk, and a broken one shown to the user, not fatal.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { normalizeSettings } from '../../server/settings';
import { positionOf, startServer, type TestClient } from '../helpers/lsp-client';
import { writeTempTree } from '../helpers/temp-tree';

const SOURCE = '#include <gen/frob.h>\nstruct frob_user { char tag; struct frob { FROB_WORD w; } f; };\n';

function database(top: string, define: string): string {
  return JSON.stringify([{ directory: join(top, 'build'), file: '../src/frob.c', arguments: ['cc', '-I../inc', `-DFROB_WORD=${define}`, '-c', '../src/frob.c'] }]);
}

describe('sysarg.compileCommands in the language server', () => {
  let top: string;
  const clients: TestClient[] = [];
  before(() => {
    top = writeTempTree('sysarg-ccdb-server-', { 'inc/gen/frob.h': '/* found only through the database */\n', 'src/frob.c': SOURCE, 'build/compile_commands.json': '' });
    writeFileSync(join(top, 'build/compile_commands.json'), database(top, 'long long'));
  });
  after(async () => {
    for (const c of clients) await c.stop();
  });

  async function hoverSize(client: TestClient, uri: string): Promise<string> {
    const pos = positionOf(SOURCE, 'struct frob_user', 'struct '.length + 1);
    return (await client.hover(uri, pos.line, pos.character)) ?? '';
  }

  it("reads a file with build/compile_commands.json's flags by default, follows the file's changes, and reads none when told", async () => {
    const client = await startServer({ rootPath: top, settings: { targets: ['x86_64'] }, workspaceCapabilities: { didChangeWatchedFiles: { dynamicRegistration: true } } });
    clients.push(client);
    const path = join(top, 'src/frob.c');
    const uri = client.open(path, SOURCE);
    assert.deepEqual((await client.diagnostics(uri)).map((d) => d.message), []);
    assert.match(await hoverSize(client, uri), /\| x86_64 \| 16 \| 8 \|/, 'char, then an 8-aligned long long');
    assert.ok(
      client.registrations().some((r) => JSON.stringify(r.registerOptions).includes('compile_commands.json')),
      'the server asks to be told of compile_commands.json changes',
    );

    const db = join(top, 'build/compile_commands.json');
    writeFileSync(db, database(top, 'short'));
    client.forgetDiagnostics(uri);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(db).toString(), type: 2 }] });
    await client.diagnostics(uri);
    assert.match(await hoverSize(client, uri), /\| x86_64 \| 4 \| 2 \|/, 'the changed database is read again');

    const none = await startServer({ rootPath: top, settings: { targets: ['x86_64'], compileCommands: 'none' } });
    clients.push(none);
    const messages = (await none.diagnostics(none.open(path, SOURCE))).map((d) => d.message);
    assert.ok(messages.some((m) => m.includes("'gen/frob.h' file not found")), messages.join('; '));
  });

  it("reads a kernel build's files with its -include'd configuration on its one ABI, a header without a command too", async () => {
    const kernel = writeTempTree('sysarg-ccdb-kernel-', {
      'include/linux/cfg.h': '#define CONFIG_WIDE 1\n',
      'include/linux/word.h': '#ifdef CONFIG_WIDE\ntypedef long long word_t;\n#else\ntypedef char word_t;\n#endif\n',
      'kernel/fork.c': '#include <linux/word.h>\nstruct probe { char c; word_t w; };\n',
      'include/linux/sched/task.h': '#include <linux/word.h>\nstruct task_probe { char c; word_t w; };\n',
      'compile_commands.json': '',
    });
    const command = ['gcc', '-nostdinc', '-I../arch/x86/include', '-I../include', '-include', '../include/linux/cfg.h', '-D__KERNEL__', '-m32', '-c', '../kernel/fork.c'];
    writeFileSync(join(kernel, 'compile_commands.json'), JSON.stringify([{ directory: join(kernel, 'out'), file: '../kernel/fork.c', arguments: command }]));
    // The editor's default targets: the command's -m32 leaves i386 alone, and its -include makes word_t a long long.
    const client = await startServer({ rootPath: kernel, settings: { targets: ['x86_64', 'i386'] } });
    clients.push(client);
    for (const [file, tag] of [['kernel/fork.c', 'probe'], ['include/linux/sched/task.h', 'task_probe']]) {
      const text = `#include <linux/word.h>\nstruct ${tag} { char c; word_t w; };\n`;
      const uri = client.open(join(kernel, file), text);
      assert.deepEqual((await client.diagnostics(uri)).map((d) => d.message), [], file);
      const pos = positionOf(text, `struct ${tag}`, 'struct '.length + 1);
      const hover = (await client.hover(uri, pos.line, pos.character)) ?? '';
      assert.match(hover, /\| i386 \| 12 \| 4 \|/, `${file}: ${hover}`);
      assert.doesNotMatch(hover, /x86_64/, `${file}: laid out on the command's ABI alone`);
    }
  });

  it('shows why a named database cannot be read, once, and goes on without it', async () => {
    writeFileSync(join(top, 'broken.json'), '[{"directory": "/", "file": "a.c"}');
    const client = await startServer({ rootPath: top, settings: { targets: ['x86_64'], compileCommands: 'broken.json' } });
    clients.push(client);
    const uri = client.open(join(top, 'src/frob.c'), SOURCE);
    const messages = (await client.diagnostics(uri)).map((d) => d.message);
    assert.ok(messages.some((m) => m.includes("'gen/frob.h' file not found")), messages.join('; '));
    client.change(uri, 2, `${SOURCE}\n`);
    await client.diagnostics(uri);
    const shown = client.shown();
    assert.equal(shown.length, 1, JSON.stringify(shown));
    assert.match(shown[0].message, /^Sysarg: .*broken\.json: not JSON \(.*\); files are read without it$/);
    assert.equal(shown[0].type, 2, 'a warning');
  });

  it('takes the setting when it is a string, trimmed; else finds the database', () => {
    assert.equal(normalizeSettings({}).compileCommands, '');
    assert.equal(normalizeSettings({ compileCommands: ' out/cc.json ' }).compileCommands, 'out/cc.json');
    assert.equal(normalizeSettings({ compileCommands: 3 }).compileCommands, '');
  });
});
