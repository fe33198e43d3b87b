// normalizeInput: every kind of bad input is a SimInputError with one line; kernels resolve, host by its release.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeInput, SimInputError } from '../../../core/sim/input';
import { resolveKernel } from '../../../core/sim/kernels';
import { HOST } from './sim-helpers';

const ok = { kernel: '6.1', syscall: 'clone3', flags: [] };

function rejects(input: unknown, pattern: RegExp): void {
  assert.throws(() => normalizeInput(input, { hostRelease: HOST }), (error: unknown) => {
    assert.ok(error instanceof SimInputError, `not a SimInputError: ${String(error)}`);
    assert.ok(!error.message.includes('\n'), 'one line');
    assert.match(error.message, pattern);
    return true;
  });
}

test('bad input is refused with a clear message', () => {
  rejects(null, /JSON object/);
  rejects([], /JSON object/);
  rejects({ ...ok, syscall: 'fork' }, /syscall must be/);
  rejects({ ...ok, flags: ['CLONE_FOO'] }, /unknown flag name "CLONE_FOO"/);
  rejects({ ...ok, flags: [17] }, /names \(strings\)/);
  rejects({ ...ok, flags: -1 }, /negative/);
  rejects({ ...ok, flags: '0x10000000000000000' }, /64 bits/);
  rejects({ ...ok, size: -8 }, /negative/);
  rejects({ ...ok, size: 88.5 }, /whole number/);
  rejects({ ...ok, size: 2 ** 60 }, /too large/);
  rejects({ ...ok, size: '88' }, /size must be a number/);
  rejects({ ...ok, fields: { set_tidd: 1 } }, /unknown field "set_tidd"/);
  rejects({ ...ok, fields: { exit_signal: 'ptr' } }, /number, not a pointer/);
  rejects({ ...ok, fields: { exit_signal: true } }, /must be a number/);
  rejects({ ...ok, fields: { stack: [1] } }, /not a list/);
  rejects({ ...ok, fields: { set_tid: [1.5] } }, /pid_t/);
  rejects({ ...ok, fields: { flags: 1 } }, /top level/);
  rejects({ ...ok, tail: 'maybe' }, /tail must be/);
  rejects({ ...ok, kernel: '7.99' }, /unknown kernel/);
  rejects({ ...ok, kernel: '2.6.18' }, /unknown kernel/);
  rejects({ ...ok, kernel: 6.1 }, /kernel must be a string/);
  rejects({ ...ok, context: { root: true } }, /unknown context key "root"/);
  rejects({ ...ok, context: { threads: 0 } }, /threads/);
  rejects({ ...ok, context: { privileged: 'yes' } }, /true or false/);
  rejects({ ...ok, context: { pidNamespaceLevel: 33 } }, /pidNamespaceLevel/);
  rejects({ ...ok, context: { pidNamespaceForChildren: true, pidNamespaceLevel: 32 } }, /nests deeper/);
  rejects({ ...ok, context: { pidsInUse: [0] } }, /pidsInUse/);
  rejects({ ...ok, contex: {} }, /unknown input key 'contex'/);
  rejects({ kernel: '6.1', syscall: 'unshare', flags: [], size: 8 }, /size applies/);
  rejects({ kernel: '6.1', syscall: 'clone', flags: 17, fields: { exit_signal: 17 } }, /low byte/);
  rejects({ kernel: '6.1', syscall: 'clone', flags: [], fields: { exit_signal: 300 } }, /0-255/);
  rejects({ kernel: '6.1', syscall: 'clone', flags: ['CLONE_STOPPED'] }, /2\.6\.0-2\.6\.37/);
  rejects({ kernel: '6.1', syscall: 'clone', flags: ['CLONE_LONGARG'] }, /RFC model/);
  rejects({ kernel: '2.6.24+longarg-rfc', syscall: 'clone', flags: ['CLONE_IO'] }, /CLONE_LONGARG/);
  rejects({ kernel: '6.1+patch', syscall: 'clone3', flags: [] }, /author/);
});

test('the flags word: names, "A|B", a hex or decimal string, a number', () => {
  assert.equal(normalizeInput({ ...ok, flags: ['CLONE_VM', 'CLONE_INTO_CGROUP'] }).flags, 0x200000100n);
  assert.equal(normalizeInput({ ...ok, flags: 'CLONE_VM|CLONE_FS' }).flags, 0x300n);
  assert.equal(normalizeInput({ ...ok, flags: '0x20001000' }).flags, 0x20001000n);
  assert.equal(normalizeInput({ ...ok, flags: 256 }).flags, 256n);
});

test('defaults: the ordinary root process of CONTRACTS.md, size = the kernel struct', () => {
  const call = normalizeInput(ok);
  assert.deepEqual(
    { ...call.context, pidsInUse: undefined },
    { privileged: true, threads: 1, pidNamespaceLevel: 0, userNamespaceLevel: 0, isInit: false, timeNamespaceForChildren: false, pidNamespaceForChildren: false, sharedVm: false, sharedSighand: false, chrooted: false, pidMax: 32768, pidsInUse: undefined, debianUsernsRestricted: false, cgroupDelegated: false },
  );
  assert.equal(call.size, 88);
  assert.equal(normalizeInput({ ...ok, kernel: '5.3' }).size, 64);
  assert.equal(normalizeInput({ kernel: '6.1', syscall: 'unshare', flags: [] }).size, null);
});

test('kernel names resolve; host follows the running release', () => {
  assert.equal(normalizeInput({ ...ok, kernel: 'host' }, { hostRelease: '6.18.44-fc-v782' }).kernel, '6.18');
  assert.equal(normalizeInput({ ...ok, kernel: 'host' }, { hostRelease: '5.15.0-91-generic' }).kernel, '5.15');
  assert.equal(normalizeInput({ ...ok, kernel: 'host' }, { hostRelease: '7.2.1' }).kernel, '6.18');
  assert.equal(normalizeInput({ kernel: 'host', syscall: 'clone', flags: [] }, { hostRelease: '2.6.32-754.el6.x86_64' }).kernel, '2.6.32');
  assert.throws(() => normalizeInput({ ...ok, kernel: 'host' }, { hostRelease: '2.6.18-419.el5' }), /older than 2\.6\.24/);
  assert.throws(() => normalizeInput({ ...ok, kernel: 'host' }), /release/);
  assert.equal(normalizeInput({ ...ok, kernel: '6.1.176' }).kernel, '6.1');
  assert.equal(resolveKernel('6.9').rules['pidfd-no-thread'], false);
  assert.equal(resolveKernel('6.8').rules['pidfd-no-thread'], true);
});
