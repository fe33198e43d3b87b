// A Linux source tree's own UAPI headers, laid out where they lie (sysarg finding the tree by itself), agree with gcc
// given the kernel build's include directories and what `make headers_install` does to the headers' text.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { kernelTreeWith, repoRoot } from '../helpers/paths';
import { runCli } from '../helpers/run-cli';

/** Debian's linux-source-6.1 unpacked with its UAPI directories (.ci/run does it), or a tree named by SYSARG_KERNEL_SRC. */
const TREE = kernelTreeWith('include/uapi/asm-generic', 'arch/x86/include/uapi/asm');

function missing(): string | false {
  if (!TREE) return "no kernel tree with its UAPI directories (apt-get install linux-source-6.1; unpack include/uapi and arch/*/include/uapi from /usr/src/linux-source-6.1.tar.xz)";
  const r = spawnSync('gcc', ['-m32', '-idirafter', '/usr/include/x86_64-linux-gnu', '-fsyntax-only', '-x', 'c', '-'], { input: '#include <linux/types.h>\n' });
  if (r.error) return 'gcc is not installed';
  return r.status === 0 ? false : 'gcc -m32 cannot compile a UAPI header (gcc-12-multilib, libc6-dev-i386)';
}

interface Summary {
  headers: number;
  targets: Record<string, { records: number; agreeingRecords: number; checks: number; rejectedHeaders: unknown[]; errors: unknown[]; mismatches: unknown[]; sysargMissingLayouts: number }>;
  missingRecords: unknown[];
}

describe('a kernel source tree\'s UAPI headers', { skip: missing() }, () => {
  const tree = TREE!;
  const headers = readdirSync(join(tree, 'include/uapi/linux')).filter((f) => f.endsWith('.h')).map((f) => join(tree, 'include/uapi/linux', f));

  it('agree with gcc on x86_64 and i386, every header of include/uapi/linux/ found in the tree', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'sysarg-tree-')), 'summary.json');
    const r = spawnSync(process.execPath, [join(repoRoot, 'scripts/gcc-agreement.mjs'), '--json', out, '--targets', 'x86_64,i386', '--kernel-tree', tree, ...headers], { encoding: 'utf8', timeout: 20 * 60_000 });
    assert.equal(r.status, 0, r.stderr);
    process.stdout.write(r.stdout.split('\n').filter((l) => l && !l.startsWith('  ')).map((l) => `# ${l}\n`).join(''));
    const summary: Summary = JSON.parse(readFileSync(out, 'utf8'));
    for (const target of ['x86_64', 'i386']) {
      const t = summary.targets[target];
      assert.deepEqual(t.mismatches, [], `${target}: ${JSON.stringify(t.mismatches.slice(0, 3))}`);
      assert.equal(t.agreeingRecords, t.records);
      assert.deepEqual(t.errors, []);
      assert.equal(t.sysargMissingLayouts, 0);
      // The raw headers include linux/compiler_types.h and use __user: without the tree found and headers_install's
      // edits applied, gcc rejects most of them, and sysarg would compare against system headers instead.
      assert.ok(t.records > 2000, `${target}: only ${t.records} records compared`);
      assert.ok(t.rejectedHeaders.length < 20, `${target}: gcc rejects ${t.rejectedHeaders.length} headers`);
    }
    assert.deepEqual(summary.missingRecords, []);
  });

  it('read with --no-kernel-tree, a header that includes linux/compiler.h is an error, as it is for gcc', () => {
    const header = join(tree, 'include/uapi/linux/blkpg.h');
    const found = JSON.parse(runCli(['layout', '--json', header]).stdout);
    assert.deepEqual(found.errors, []);
    assert.equal(found.records.find((r: { name: string }) => r.name === 'blkpg_ioctl_arg')?.layouts.x86_64.size, 24);
    const plain = JSON.parse(runCli(['layout', '--json', '--no-kernel-tree', header]).stdout);
    assert.match(plain.errors.map((e: { message: string }) => e.message).join('\n'), /'linux\/compiler\.h' file not found/);
  });
});
