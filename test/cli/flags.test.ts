// `sysarg flags` through the real binary: the CONTRACTS.md JSON, the text view, patches, the system headers, bad input.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { FlagsResult } from '../../core/protocol';
import { cloneFlags } from '../helpers/flag-text';
import { SEED_PATCH, SEED_TREE, seedMissing } from '../helpers/paths';
import { runCli } from '../helpers/run-cli';

const dir = mkdtempSync(join(tmpdir(), 'sysarg-cli-flags-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function flags(args: string[]): FlagsResult {
  const run = runCli(['flags', '--json', ...args]);
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

const SCHED = '/usr/include/linux/sched.h';
const noHeaders = existsSync(SCHED) ? false : '/usr/include/linux is not installed (linux-libc-dev)';

describe('sysarg flags', () => {
  it("gives /usr/include/linux/sched.h's clone flags as CONTRACTS.md shows them: two words, CLONE_NEWTIME on CSIGNAL", { skip: noHeaders }, () => {
    const result = flags([SCHED]);
    assert.equal(result.version, 1);
    const clone = result.families.find((f) => f.prefix === 'CLONE_')!;
    assert.deepEqual(clone.words.map((w) => [w.name, w.bits]), [['clone', 32], ['clone3', 64]]);
    assert.deepEqual(clone.words[0].free, [], "legacy clone()'s word is full");
    assert.deepEqual(clone.words[0].reserved, [{ name: 'CSIGNAL', mask: '0xff' }]);
    assert.deepEqual(clone.overlaps, [{ bit: 7, names: ['CSIGNAL', 'CLONE_NEWTIME'] }]);
    const vm = clone.flags.find((f) => f.name === 'CLONE_VM')!;
    assert.deepEqual([vm.value, vm.bits, vm.file, vm.line], ['0x100', [8], SCHED, 11]);
    assert.ok(clone.words[1].free.includes(34) && !clone.words[1].free.includes(33), 'clone3: CLONE_INTO_CGROUP is bit 33');
    assert.deepEqual(result.diagnostics.map((d) => [d.rule, d.severity, d.line]), [['flag-bits-exhausted', 'information', 34], ['flag-bit-overlap', 'warning', 44]]);
  });

  it('finds no duplicate bit anywhere in /usr/include/linux (families by evidence are listed, not judged)', { skip: noHeaders }, () => {
    const result = flags(['/usr/include/linux']);
    assert.ok(result.families.length > 300, `${result.families.length} families`);
    assert.ok(result.families.some((f) => f.prefix === 'MS_' && f.source === 'evidence'), "mount.h's MS_ flags");
    assert.deepEqual(result.diagnostics.filter((d) => d.rule === 'flag-bit-duplicate'), []);
    assert.deepEqual(result.errors, []);
  });

  it('reports a duplicate bit in a family, with the flag it clashes with, as text and as JSON', () => {
    const path = file('dup.h', `#define CSIGNAL 0xff\n${cloneFlags([8, 9, 10, 11])}#define CLONE_NEWFOO 0x00000400\n/* sysarg: extensible */\nstruct padded { char a; int b; };\n`);
    const all = flags([path]).diagnostics;
    assert.deepEqual(all.map((d) => d.rule), ['flag-bit-duplicate'], 'only the flag rules (the struct\'s hole is sysarg check\'s)');
    const [d] = all;
    assert.deepEqual([d.rule, d.severity, d.file, d.line, d.column, d.endColumn], ['flag-bit-duplicate', 'error', path, 6, 9, 21]);
    assert.deepEqual(d.related, [{ file: path, line: 4, column: 9, message: 'CLONE_F10 takes bit 10 here' }]);
    const text = runCli(['flags', path]);
    assert.equal(text.status, 0);
    assert.match(text.stdout, /^.*dup\.h:2: CLONE_ \(the clone flags\), 5 values\n  clone +32 bits: flags 8-11, reserved 0-7 \(CSIGNAL 0xff\), free 12-31\n  bit 10: CLONE_F10, CLONE_NEWFOO\n/);
    assert.ok(text.stdout.includes(`${path}:6:9: error: CLONE_NEWFOO is bit 10 (0x400), already CLONE_F10's`));
  });

  it("points the RFC's CLONE_LONGARG finding into the patch, at its + line, and into the patched sched.h", { skip: seedMissing }, () => {
    const result = flags(['--tree', SEED_TREE, SEED_PATCH]);
    const [d] = result.diagnostics;
    assert.deepEqual([d.rule, d.file, d.line, d.column], ['flag-bits-exhausted', SEED_PATCH, 38, 10]);
    assert.match(d.message, /one free bit left after CLONE_LONGARG: bit 12/);
    assert.deepEqual(d.related?.[0], { file: join(SEED_TREE, 'include/linux/sched.h'), line: 30, column: 9, message: 'in the file as patched' });
    const clone = result.families.find((f) => f.prefix === 'CLONE_')!;
    assert.deepEqual(clone.words.map((w) => [w.name, w.free]), [['clone', [12]]], 'no clone3 in 2.6.24');
  });

  it('takes a --target list: the first target gives the values, the others are compared', () => {
    const path = file('wide.h', `${cloneFlags([8, 9, 10, 11])}#define CLONE_WIDE (1UL << 32)\n`);
    assert.deepEqual(flags(['--target', 'x86_64', path]).diagnostics, []);
    assert.deepEqual(flags([path]).diagnostics.map((d) => d.rule), ['flag-out-of-range'], 'x86_64 and i386 by default');
  });

  it('refuses bad input with one line and exit code 2', () => {
    for (const [args, message] of [
      [[], /no input files/],
      [[join(dir, 'missing.h')], /missing\.h/],
      [['--target', 'vax', SCHED], /unknown target 'vax'/],
      [['--bogus', SCHED], /--bogus/],
    ] as const) {
      const run = runCli(['flags', ...args]);
      assert.equal(run.status, 2, `${args.join(' ')}: ${run.stdout}`);
      assert.match(run.stderr, message);
      assert.equal(run.stderr.trim().split('\n').length, 1);
    }
    // A binary file is no input error (as sysarg layout says it): an error in the report, exit 0.
    const binary = flags([file('binary.h', 'struct x;\0\x01\x02')]);
    assert.deepEqual(binary.errors.map((e) => [e.line, /binary file/.test(e.message)]), [[1, true]]);
    const help = runCli(['flags', '--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /sysarg: flags PREFIX_ \[width=N\]/);
  });
});
