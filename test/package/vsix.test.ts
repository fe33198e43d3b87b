// The .vsix: packaged by vsce from the allowlist, it holds the manifest, the bundles, the grammar and the docs only.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../helpers/paths';

/** Entry names of a zip file, read from its central directory (no unzip needed). */
function zipEntries(path: string): string[] {
  const buf = readFileSync(path);
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = buf.readUInt16LE(end + 10);
  let offset = buf.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const nameLength = buf.readUInt16LE(offset + 28);
    const extra = buf.readUInt16LE(offset + 30);
    const comment = buf.readUInt16LE(offset + 32);
    names.push(buf.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extra + comment;
  }
  return names;
}

describe('vsix package', () => {
  it('contains the extension, the server, the CLI, the grammar and the docs, and nothing else', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'sysarg-vsix-')), 'sysarg.vsix');
    const vsce = join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
    const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--no-rewrite-relative-links', '-o', out], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr + r.stdout);
    const entries = zipEntries(out).filter((e) => e.startsWith('extension/'));
    for (const must of ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/server.js', 'extension/dist/cli.js', 'extension/dist/cli-main.js', 'extension/dist/cli-rules.js', 'extension/syntaxes/sysarg-annotations.injection.json', 'extension/docs/rules.md']) {
      assert.ok(entries.includes(must), `${must} missing from ${entries.join(', ')}`);
    }
    assert.ok(entries.some((e) => /^extension\/dist\/cli-main\.[0-9a-f]{16}\.cache$/.test(e)), 'the CLI\'s code cache is missing');
    const stray = entries.filter((e) => /\/(core|server|client|cli|test|node_modules|scripts)\/|\.ts$|\.map$/.test(e));
    assert.deepEqual(stray, []);
  });
});
