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

  it("lays an architecture's own headers out on its targets, and names the architectures it cannot (layout and check)", () => {
    const arch = writeTempTree('sysarg-cli-arch-', {
      ...FILES,
      'arch/riscv/include/uapi/asm/regs.h': '#include <asm/word.h>\nstruct regs { __sysarg_word_t w; char c; };\n',
      'arch/alpha/include/uapi/asm/fpu.h': '#define FPCR_SUM (1UL << 63)\n/* sysarg: extensible */\nstruct fpu_args { unsigned long fpcr; void *p; };\n',
    });
    const run = runCli(['layout', '--json', '--target', 'x86_64,i386', 'arch/riscv/include/uapi/asm/regs.h', 'arch/alpha/include/uapi/asm/fpu.h'], { cwd: arch });
    assert.equal(run.status, 0, run.stderr);
    const json = JSON.parse(run.stdout);
    assert.deepEqual(json.records.map((r: { name: string; layouts: object }) => [r.name, Object.keys(r.layouts)]), [['regs', ['riscv64']]], "riscv's header on riscv64, with riscv's asm/word.h");
    assert.equal(json.records[0].layouts.riscv64.size, 16);
    assert.deepEqual(json.errors.map((e: { file: string; severity?: string }) => [e.file, e.severity]), [['arch/alpha/include/uapi/asm/fpu.h', 'information']]);
    assert.match(json.errors[0].message, /arch\/alpha, which Sysarg has no target for/);
    // The same in check: a note, not the x86 layouts' warnings about an alpha struct, and no error.
    const check = runCli(['check', '--format', 'json', '--baseline', 'none', 'arch/alpha/include/uapi/asm/fpu.h'], { cwd: arch });
    assert.equal(check.status, 0, check.stderr);
    assert.deepEqual(JSON.parse(check.stdout).diagnostics.map((d: { rule: string; severity: string }) => [d.rule, d.severity]), [['no-target', 'information']]);
  });
});
