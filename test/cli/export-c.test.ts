// Tests of `sysarg export-c`: input from stdin or a file, output to stdout or -o, and bad input as exit 2 with one line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/run-cli';
import { exportC } from '../../core/sim/export-c';
import { normalizeInput } from '../../core/sim/input';

const CALL = {
  kernel: '6.1',
  syscall: 'clone3',
  flags: ['CLONE_NEWPID', 'CLONE_PIDFD'],
  size: 96,
  tail: 'nonzero',
  fields: { pidfd: 'ptr', exit_signal: 17 },
  context: { privileged: false },
};

test('export-c --input - prints the program for the call on stdout', () => {
  const run = runCli(['export-c', '--input', '-'], { input: JSON.stringify(CALL) });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr, '');
  assert.equal(run.stdout, exportC(normalizeInput(CALL, { hostRelease: release() })));
  assert.match(run.stdout, /^\/\* sysarg export-c: clone3\(\) as simulated for kernel model "6\.1"\./);
  assert.match(run.stdout, /call_buffer\[95\] = 0xff;/);
  assert.match(run.stdout, /drop_privileges\(\);/);
  assert.match(run.stdout, /\nint main\(void\)\n/);
});

test('export-c reads a file relative to the working directory and writes -o OUT', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sysarg-cli-export-c-'));
  try {
    writeFileSync(join(dir, 'call.json'), JSON.stringify({ ...CALL, syscall: 'unshare', flags: ['CLONE_NEWUSER'], size: undefined, tail: undefined, fields: undefined }));
    const run = runCli(['export-c', '--input', 'call.json', '-o', 'call.c'], { cwd: dir });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, '', 'with -o nothing goes to stdout');
    const written = readFileSync(join(dir, 'call.c'), 'utf8');
    assert.match(written, /syscall\(SYS_unshare, \(unsigned long\)0x10000000ULL \/\* CLONE_NEWUSER \*\/\)\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('export-c --help describes the command', () => {
  const run = runCli(['export-c', '--help']);
  assert.equal(run.status, 0);
  assert.match(run.stdout, /usage: sysarg export-c --input FILE\|- \[-o OUT\]/);
});

test('bad input and bad arguments exit 2 with one line on stderr', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sysarg-cli-export-c-'));
  try {
    const cases: [string[], string | undefined, RegExp][] = [
      [['export-c', '--input', '-'], '{"syscall":"clone3","flags":["CLONE_NOPE"]}', /unknown flag name "CLONE_NOPE"/],
      [['export-c', '--input', '-'], '{"syscall":"clone3","size":-8}', /size must not be negative/],
      [['export-c', '--input', '-'], '{"syscall":"clone3","fields":{"exit_sginal":17}}', /unknown field "exit_sginal"/],
      [['export-c', '--input', '-'], '{"syscall":"fork"}', /syscall must be/],
      [['export-c', '--input', '-'], '{"syscall":', /input is not JSON/],
      [['export-c', '--input', 'missing.json'], undefined, /cannot read missing\.json/],
      [['export-c'], undefined, /--input FILE\|- is required/],
      [['export-c', '--input', '-', '--bogus'], '{}', /unknown option --bogus/],
      [['export-c', '--input', '-', '-o', join(dir, 'no', 'such', 'dir', 'x.c')], '{"syscall":"unshare"}', /cannot write /],
    ];
    for (const [args, input, message] of cases) {
      const run = runCli(args, { input, cwd: dir });
      assert.equal(run.status, 2, `${args.join(' ')} with ${input}: ${run.stderr}`);
      assert.equal(run.stdout, '');
      const lines = run.stderr.split('\n').filter(Boolean);
      assert.equal(lines.length, 1, run.stderr);
      assert.match(lines[0], /^sysarg export-c: /);
      assert.match(lines[0], message);
      assert.doesNotMatch(lines[0], /internal error|at .*\.js/);
    }
    assert.equal(existsSync(join(dir, 'x.c')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
