// `sysarg snapshot` and `sysarg check --baseline lock:FILE`: an ABI lock written, read back, and bad locks refused.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CheckResult } from '../../core/check-report';
import type { AbiLock } from '../../core/published-records';
import { runCli } from '../helpers/run-cli';

const PUBLISHED = '#include <linux/types.h>\n/* sysarg: extensible */\nstruct frob_args {\n\t__aligned_u64 flags;\n\t__aligned_u64 fd;\n\tunion {\n\t\t__u32 mode;\n\t\t__u32 level;\n\t};\n\t__u32 bits : 3, __reserved : 29;\n};\n#define FROB_ARGS_SIZE_VER0 24\n';
const skip = existsSync('/usr/include/linux/types.h') ? false : '/usr/include/linux is not installed (linux-libc-dev)';

describe('sysarg snapshot and lock: baselines', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'sysarg-snapshot-'));
  const header = join(dir, 'frob.h');
  const lock = join(dir, 'abi.lock');

  it('writes every record of the files on each target, one member a line, as JSON', () => {
    writeFileSync(header, PUBLISHED);
    const run = runCli(['snapshot', '-o', lock, header]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, '');
    const text = readFileSync(lock, 'utf8');
    const parsed = JSON.parse(text) as AbiLock;
    assert.deepEqual([parsed.version, parsed.kind, parsed.targets], [1, 'sysarg-abi-lock', ['x86_64', 'i386']]);
    const [record] = parsed.records;
    assert.deepEqual([record.key, record.extensible], ['struct frob_args', true]);
    assert.deepEqual(record.layouts.x86_64?.members.map((m) => [m.name, m.offset, m.size, m.bitOffset ?? null, m.bitWidth ?? null]), [
      ['flags', 0, 8, null, null],
      ['fd', 8, 8, null, null],
      [null, 16, 4, null, null],
      ['bits', 20, 1, 160, 3],
      ['__reserved', 20, 4, 163, 29],
    ]);
    assert.ok(text.includes('\n     {"name":"flags","type":"__aligned_u64","offset":0,"size":8},\n'), 'one member a line');
    assert.equal(runCli(['snapshot', header]).stdout, text, 'stdout without -o');
  });

  it('checks later versions against the lock: an append and bits from __reserved are fine, an insertion is not', () => {
    const check = (text: string) => {
      writeFileSync(header, text);
      const run = runCli(['check', '--format', 'json', '--baseline', `lock:${lock}`, header]);
      return { status: run.status, rules: (JSON.parse(run.stdout) as CheckResult).diagnostics.map((d) => [d.rule, d.line]) };
    };
    assert.deepEqual(check(PUBLISHED), { status: 0, rules: [] });
    const carved = PUBLISHED.replace('__u32 bits : 3, __reserved : 29;', '__u32 bits : 3, wide : 1, __reserved : 28;');
    assert.deepEqual(check(carved), { status: 0, rules: [['reserved-field-consumed', 10]] });
    const appended = carved.replace('\t__u32 bits', '\t__u32 bits').replace('};\n#define', '\t__aligned_u64 cookie;\n};\n#define').replace('VER0 24\n', 'VER0 24\n#define FROB_ARGS_SIZE_VER1 32\n');
    assert.deepEqual(check(appended).status, 0);
    const inserted = PUBLISHED.replace('\t__aligned_u64 fd;', '\t__aligned_u64 cookie;\n\t__aligned_u64 fd;').replace('VER0 24\n', 'VER0 24\n#define FROB_ARGS_SIZE_VER1 32\n');
    const found = check(inserted);
    assert.equal(found.status, 1);
    assert.ok(found.rules.some(([rule, line]) => rule === 'non-tail-insertion' && line === 5), JSON.stringify(found.rules));
  });

  it('keeps the names each file defined, so that a flag added on a bit its block already has is told from the published ones', () => {
    const flags = '#define FROB_F_A (1U << 0)\n#define FROB_F_B (1U << 1)\n#define FROB_F_C (1U << 2)\n#define FROB_F_D (1U << 3)\n';
    const flagLock = join(dir, 'flags.lock');
    writeFileSync(header, PUBLISHED + flags);
    assert.equal(runCli(['snapshot', '-o', flagLock, header]).status, 0);
    const text = readFileSync(flagLock, 'utf8');
    assert.deepEqual((JSON.parse(text) as AbiLock).macros, { [header]: ['FROB_ARGS_SIZE_VER0', 'FROB_F_A', 'FROB_F_B', 'FROB_F_C', 'FROB_F_D'] });
    assert.ok(text.includes(`\n  ${JSON.stringify(header)}: ["FROB_ARGS_SIZE_VER0",`), "one file's names a line");
    writeFileSync(header, `${PUBLISHED}${flags}#define FROB_F_NEW (1U << 2)\n`);
    const run = runCli(['check', '--format', 'json', '--baseline', `lock:${flagLock}`, header]);
    assert.equal(run.status, 1);
    assert.deepEqual((JSON.parse(run.stdout) as CheckResult).diagnostics.map((d) => [d.rule, d.line]), [['flag-bit-duplicate', 17]]);
    // A lock written before it kept names (no "macros"): still read; such families are only listed then.
    const old = JSON.parse(text) as AbiLock;
    delete old.macros;
    writeFileSync(flagLock, JSON.stringify(old));
    const withOld = runCli(['check', '--format', 'json', '--baseline', `lock:${flagLock}`, header]);
    assert.deepEqual([withOld.status, (JSON.parse(withOld.stdout) as CheckResult).diagnostics], [0, []]);
  });

  it('refuses a lock it cannot use, and an output it cannot write, with one line and exit code 2', () => {
    writeFileSync(header, PUBLISHED);
    const bad = join(dir, 'bad.lock');
    for (const [text, message] of [
      ['{', /not JSON/],
      ['{"version": 1, "kind": "something-else", "records": []}', /not a sysarg ABI lock/],
      ['{"version": 1, "kind": "sysarg-abi-lock", "targets": [], "records": [], "macros": {"a.h": [1]}}', /macros: needs the names each file defined, by path/],
      ['{"version": 1, "kind": "sysarg-abi-lock", "targets": [], "records": [{"key": "struct x", "name": "x", "extensible": true, "layouts": {"vax": {"size": 1, "members": []}}}]}', /record 1: unknown target 'vax'/],
      ['{"version": 1, "kind": "sysarg-abi-lock", "targets": [], "records": [{"key": "struct x", "name": "x", "extensible": true, "layouts": {"x86_64": {"size": 1, "members": [{"name": 3}]}}}]}', /record 1 \(struct x\) on x86_64: a layout needs/],
    ] as const) {
      writeFileSync(bad, text);
      const run = runCli(['check', '--baseline', `lock:${bad}`, header]);
      assert.equal(run.status, 2, text);
      assert.match(run.stderr, message);
      assert.equal(run.stderr.trim().split('\n').length, 1);
    }
    const missing = runCli(['check', '--baseline', `lock:${join(dir, 'none.lock')}`, header]);
    assert.deepEqual([missing.status, /cannot read the lock file/.test(missing.stderr)], [2, true]);
    // A lock must not leave a file out silently: a binary input is refused.
    const binary = join(dir, 'binary.h');
    writeFileSync(binary, 'struct x;\0\x01');
    const refused = runCli(['snapshot', binary]);
    assert.deepEqual([refused.status, refused.stdout, /^sysarg snapshot: .*binary\.h: binary file/.test(refused.stderr)], [2, '', true]);
    const unwritable = runCli(['snapshot', '-o', join(dir, 'no', 'such', 'dir', 'abi.lock'), header]);
    assert.deepEqual([unwritable.status, /^sysarg snapshot: cannot write /.test(unwritable.stderr)], [2, true]);
  });
});
