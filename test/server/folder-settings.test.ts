// A multi-root workspace whose folders have settings of their own (VS Code's folder-level sysarg.*), pulled per folder.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { positionOf, startServer, type TestClient } from '../helpers/lsp-client';
import { writeTempTree } from '../helpers/temp-tree';

const MAIN = '#include <word.h>\nstruct s {\n\tchar c;\n\tword_t w;\n};\n';

/** The hover on `struct s` once it matches `wanted` (the settings are pulled after the server starts). */
async function hoverUntil(client: TestClient, uri: string, wanted: RegExp): Promise<string> {
  const at = positionOf(MAIN, 'struct s', 7);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const hover = (await client.hover(uri, at.line, at.character)) ?? '';
    if (wanted.test(hover)) return hover;
    if (Date.now() > deadline) throw new Error(`hover stayed:\n${hover}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('settings per workspace folder', () => {
  const clients: TestClient[] = [];
  after(async () => Promise.all(clients.map((c) => c.stop())));

  it('reads each folder with its own targets and include paths (relative to that folder)', async () => {
    const a = writeTempTree('sysarg-folder-a-', { 'inc/word.h': 'typedef int word_t;\n', 'main.h': MAIN });
    const b = writeTempTree('sysarg-folder-b-', { 'inc/word.h': 'typedef long long word_t;\n', 'main.h': MAIN });
    const byFolder = new Map([
      [pathToFileURL(a).toString(), { targets: ['x86_64'], includePaths: ['inc'] }],
      [pathToFileURL(b).toString(), { targets: ['i386'], includePaths: ['inc'] }],
    ]);
    const client = await startServer({ folders: [a, b], configuration: (item) => (item.scopeUri ? byFolder.get(item.scopeUri) : { targets: ['x86_64', 'i386'] }) });
    clients.push(client);
    const inA = client.open(join(a, 'main.h'), MAIN);
    const inB = client.open(join(b, 'main.h'), MAIN);
    // a's word_t is an int: 8 bytes on x86_64; b's a long long, which i386 aligns to 4: 12 bytes.
    const hoverA = await hoverUntil(client, inA, /\| x86_64 \| 8 \| 4 \|/);
    assert.doesNotMatch(hoverA, /i386/, "a's targets are x86_64 alone");
    const hoverB = await hoverUntil(client, inB, /\| i386 \| 12 \| 4 \|/);
    assert.doesNotMatch(hoverB, /x86_64/, "b's targets are i386 alone");
    // A patch in b applies to b's tree and is laid out on b's targets: the member it adds, after the 12 bytes, at 12.
    const mail = '--- a/main.h\n+++ b/main.h\n@@ -3,3 +3,4 @@\n \tchar c;\n \tword_t w;\n+\tint added;\n };\n';
    const patch = client.open(join(b, 'add.patch'), mail, 'diff');
    const added = positionOf(mail, '+\tint added;', 7);
    const deadline = Date.now() + 20_000;
    let hover = '';
    while (!/\| i386 \| 12 \|/.test(hover) && Date.now() < deadline) hover = (await client.hover(patch, added.line, added.character)) ?? '';
    assert.match(hover, /\| i386 \| 12 \| 4 \| 4 \|/, hover);
    assert.doesNotMatch(hover, /x86_64/);
  });
});
