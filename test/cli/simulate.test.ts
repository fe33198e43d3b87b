// `sysarg simulate` through the built binary: the JSON contract, the text output, and exit 2 with one stderr line on bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir, release } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/run-cli';

const CONTRACT_EXAMPLE = {
  kernel: '6.1',
  syscall: 'clone3',
  flags: ['CLONE_NEWPID', 'CLONE_PIDFD'],
  size: 88,
  fields: { exit_signal: 17, set_tid: [1, 42], set_tid_size: 2, cgroup: 3, pidfd: 'ptr' },
  tail: 'zero',
  context: { privileged: true, threads: 1, pidNamespaceLevel: 0, userNamespaceLevel: 0 },
};

function simulateJson(input: unknown) {
  const res = runCli(['simulate', '--json', '--input', '-'], { input: JSON.stringify(input) });
  assert.equal(res.status, 0, res.stderr);
  assert.equal(res.stderr, '');
  return JSON.parse(res.stdout);
}

test('--json prints the contract shape: version, kernel, outcome, errno, decidedBy, steps, child', () => {
  const out = simulateJson(CONTRACT_EXAMPLE);
  assert.equal(out.version, 1);
  assert.equal(out.kernel, '6.1');
  assert.equal(out.syscall, 'clone3');
  assert.equal(out.outcome, 'success');
  assert.equal(out.errno, null);
  assert.equal(out.decidedBy, null);
  assert.ok(out.steps.length > 10 && out.steps.every((s: Record<string, string>) => s.function && s.check && ['pass', 'note'].includes(s.result)));
  assert.deepEqual(Object.keys(out.child.namespaces).sort(), ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'time', 'user', 'uts']);
  assert.deepEqual(Object.keys(out.child.shares).sort(), ['files', 'fs', 'sighand', 'sysvsem', 'vm']);
  assert.equal(out.child.namespaces.pid, 'new');
  assert.equal(out.child.exitSignal, 17);
  assert.equal(out.child.writeBack.pidfd, 'pidfd');
});

test('an errno is a result: exit 0, outcome error, the deciding check with function and file', () => {
  const out = simulateJson({ kernel: '6.1', syscall: 'clone3', flags: [], size: 56 });
  assert.equal(out.outcome, 'error');
  assert.equal(out.errno, 'EINVAL');
  assert.deepEqual(out.decidedBy, { function: 'copy_clone_args_from_user', file: 'kernel/fork.c', check: 'usize < CLONE_ARGS_SIZE_VER0' });
  assert.equal(out.child, null);
});

test('unshare reports the caller; host resolves to the running kernel', () => {
  const out = simulateJson({ kernel: 'host', syscall: 'unshare', flags: ['CLONE_NEWUSER'], context: { privileged: false } });
  assert.equal(out.child, null);
  assert.equal(out.caller.namespaces.user, 'new');
  const series = release().split('.').slice(0, 2).join('.');
  assert.ok(out.kernel === series || out.kernel === '6.18', `host resolved to ${out.kernel} on ${release()}`);
});

test('the text output names the outcome, the deciding check, the steps and the child', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sysarg-sim-'));
  const file = join(dir, 'call.json');
  writeFileSync(file, JSON.stringify({ kernel: '6.1', syscall: 'clone', flags: ['CLONE_NEWTIME', 'CLONE_NEWNET'], fields: { exit_signal: 17 } }));
  const res = runCli(['simulate', '--input', file]);
  assert.equal(res.status, 0, res.stderr);
  assert.match(res.stdout, /^kernel 6\.1, clone: success$/m);
  assert.match(res.stdout, /namespaces: new: net;/);
  assert.match(res.stdout, /warnings:\n {2}- bit 7/);
  const err = runCli(['simulate', '--input', '-'], { input: JSON.stringify({ kernel: '6.1', syscall: 'clone3', flags: ['CLONE_DETACHED'] }) });
  assert.match(err.stdout, /^kernel 6\.1, clone3: error EINVAL$/m);
  assert.match(err.stdout, /^decided by: clone3_args_valid\(\) in kernel\/fork\.c: /m);
  assert.match(err.stdout, /^ {2}fail {2}clone3_args_valid\(\)/m);
});

test('bad input exits 2 with one line on stderr and nothing on stdout', () => {
  const cases: [string[], string | undefined, RegExp][] = [
    [['simulate', '--input', '-'], JSON.stringify({ kernel: '6.1', syscall: 'clone3', flags: ['CLONE_BOGUS'] }), /unknown flag name "CLONE_BOGUS"/],
    [['simulate', '--input', '-'], JSON.stringify({ kernel: '6.1', syscall: 'clone3', flags: [], size: -1 }), /negative/],
    [['simulate', '--input', '-'], JSON.stringify({ kernel: '6.1', syscall: 'clone3', flags: [], size: 1e300 }), /too large/],
    [['simulate', '--input', '-'], JSON.stringify({ kernel: '6.1', syscall: 'clone3', flags: [], fields: { stack_sz: 1 } }), /unknown field "stack_sz"/],
    [['simulate', '--input', '-'], JSON.stringify({ kernel: '6.1', syscall: 'clone3', flags: [], fields: { set_tid_size: 'many' } }), /field set_tid_size must be a number/],
    [['simulate', '--input', '-'], '{"kernel": "6.1", "syscall": ', /not JSON/],
    // Quoting a bad value used to stringify all of it: arrays nested 100,000 deep overflowed the stack.
    [['simulate', '--input', '-'], `${'['.repeat(100_000)}${']'.repeat(100_000)}`, /input must be a JSON object, not \[{37}\.\.\.$/m],
    [['simulate', '--input', '-'], JSON.stringify({ kernel: '6.1', syscall: 'clone3', flags: { list: Array(1_000_000).fill('CLONE_VM') } }), /not \{"list":\["CLONE_VM","CLONE_VM","CLONE\.\.\.$/m],
    [['simulate'], undefined, /--input FILE\|- is required/],
    [['simulate', '--input', '/nonexistent/call.json'], undefined, /cannot read/],
    [['simulate', '--input', '-', '--frobnicate'], '{}', /unknown option --frobnicate/],
  ];
  for (const [args, input, pattern] of cases) {
    const res = runCli(args, input === undefined ? {} : { input });
    assert.equal(res.status, 2, `${args.join(' ')} ${input}: ${res.stdout}`);
    assert.equal(res.stdout, '');
    assert.equal(res.stderr.trimEnd().split('\n').length, 1, res.stderr);
    assert.match(res.stderr, /^sysarg simulate: /);
    assert.match(res.stderr, pattern);
    assert.doesNotMatch(res.stderr, /internal error|\s+at /);
  }
});
