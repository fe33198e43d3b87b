// The server reads a kernel tree's UAPI header from the tree (sysarg.kernelTree, on by default), each target's arch/.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { normalizeSettings } from '../../server/settings';
import { positionOf, startServer, type TestClient } from '../helpers/lsp-client';
import { writeTempTree } from '../helpers/temp-tree';

/** A tree whose asm/word.h differs between x86 and arm64, and whose header includes what headers_install deletes. */
const FILES: Record<string, string> = {
  'arch/x86/include/uapi/asm/word.h': 'typedef int __sysarg_word_t;\n',
  'arch/arm64/include/uapi/asm/word.h': 'typedef long long __sysarg_word_t;\n',
  'include/uapi/asm-generic/.keep': '',
  'include/uapi/linux/probe.h': '#include <linux/compiler_types.h>\n#include <asm/word.h>\nstruct probe { char __user *p; __sysarg_word_t w; char c; };\n',
};

describe('sysarg.kernelTree in the language server', () => {
  let tree: string;
  const clients: TestClient[] = [];
  before(() => {
    tree = writeTempTree('sysarg-ktree-', FILES);
  });
  after(async () => {
    for (const c of clients) await c.stop();
  });

  it('hovers a tree header\'s struct with each target\'s arch headers, and without them when off', async () => {
    const path = join(tree, 'include/uapi/linux/probe.h');
    const text = FILES['include/uapi/linux/probe.h'];
    const pos = positionOf(text, 'struct probe', 'struct '.length + 1);
    const on = await startServer({ settings: { targets: ['x86_64', 'aarch64'] } });
    clients.push(on);
    const hover = await on.hover(on.open(path, text), pos.line, pos.character);
    // x86's word is an int (8 + 4 + 1, to 16), arm64's a long long (8 + 8 + 1, to 24).
    assert.match(hover ?? '', /\| x86_64 \| 16 \| 8 \|/);
    assert.match(hover ?? '', /\| aarch64 \| 24 \| 8 \|/);
    const off = await startServer({ settings: { targets: ['x86_64'], kernelTree: false } });
    clients.push(off);
    const uri = off.open(path, text);
    const messages = (await off.diagnostics(uri)).map((d) => d.message);
    assert.ok(messages.some((m) => m.includes("'linux/compiler_types.h' file not found")), messages.join('; '));
  });

  it("shows an architecture's own header on its targets, and says when Sysarg has none for it", async () => {
    const arm = join(tree, 'arch/arm64/include/uapi/asm/regs.h');
    const armText = '#include <asm/word.h>\nstruct regs { __sysarg_word_t w; char c; };\n';
    const client = await startServer({ rootPath: tree, settings: { targets: ['x86_64', 'i386'] } });
    clients.push(client);
    const pos = positionOf(armText, 'struct regs', 'struct '.length + 1);
    const hover = (await client.hover(client.open(arm, armText), pos.line, pos.character)) ?? '';
    assert.match(hover, /\| aarch64 \| 16 \| 8 \|/, "arm64's long long word");
    assert.doesNotMatch(hover, /x86_64|i386/);
    const alpha = client.open(join(tree, 'arch/alpha/include/uapi/asm/fpu.h'), '/* sysarg: extensible */\nstruct fpu_args { unsigned long fpcr; void *p; };\n');
    const found = await client.diagnostics(alpha);
    assert.deepEqual(found.map((d) => [d.code, d.severity, d.range.start.line]), [['no-target', 3, 0]]);
    assert.match(found[0].message, /arch\/alpha, which Sysarg has no target for/);
  });

  it('takes the setting when it is a boolean, else keeps it on', () => {
    assert.equal(normalizeSettings({}).kernelTree, true);
    assert.equal(normalizeSettings({ kernelTree: false }).kernelTree, false);
    assert.equal(normalizeSettings({ kernelTree: 'no' }).kernelTree, true);
  });
});
