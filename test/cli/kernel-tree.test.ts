// `sysarg layout` on a kernel tree's UAPI header: the tree found from the path as given, relative or absolute.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../helpers/run-cli';
import { writeTempTree } from '../helpers/temp-tree';

const FILES: Record<string, string> = {
  'arch/x86/include/uapi/asm/word.h': 'typedef int __sysarg_word_t;\n',
  'arch/riscv/include/uapi/asm/word.h': 'typedef long long __sysarg_word_t;\n',
  'include/uapi/asm-generic/.keep': '',
  'include/uapi/linux/probe.h': '#include <asm/word.h>\nstruct probe { __sysarg_word_t w; char c; };\n',
};

describe('sysarg layout in a kernel tree', () => {
  const tree = writeTempTree('sysarg-cli-tree-', FILES);
  const sizes = (stdout: string) => JSON.parse(stdout).records[0].layouts;

  it('lays a UAPI header out with each target\'s arch headers, from a relative path run at the top of the tree', () => {
    const run = runCli(['layout', '--json', '--target', 'i386,riscv64', 'include/uapi/linux/probe.h'], { cwd: tree });
    assert.equal(run.status, 0, run.stderr);
    const layouts = sizes(run.stdout);
    assert.equal(layouts.i386.size, 8);
    assert.equal(layouts.riscv64.size, 16);
    assert.equal(JSON.parse(run.stdout).records[0].file, 'include/uapi/linux/probe.h', 'the path as given');
  });

  it('searches as gcc would with --no-kernel-tree, and says so in --help', () => {
    const run = runCli(['layout', '--json', '--no-kernel-tree', join(tree, 'include/uapi/linux/probe.h')]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(JSON.parse(run.stdout).errors[0].message, /'asm\/word\.h' file not found/);
    assert.match(runCli(['layout', '--help']).stdout, /--no-kernel-tree searches as gcc would/);
  });
});
