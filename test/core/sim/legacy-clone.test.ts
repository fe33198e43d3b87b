// Legacy clone(): the low byte is the exit signal, the upper 32 bits are dropped, nothing is validated; 2.6.24 and the RFC (§2, §5).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectError, expectSuccess } from './sim-helpers';
import { normalizeInput } from '../../../core/sim/input';

test('the low byte of the flags number is the exit signal, unvalidated', () => {
  const out = expectSuccess({ kernel: '6.1', syscall: 'clone', flags: '0x11' });
  assert.equal(out.child?.exitSignal, 17);
  const big = expectSuccess({ kernel: '6.1', syscall: 'clone', flags: '0x41' });
  assert.equal(big.child?.exitSignal, 65);
  assert.ok(big.warnings?.some((w) => w.includes('never delivered')));
  const zero = expectSuccess({ kernel: '6.1', syscall: 'clone', flags: 0 });
  assert.ok(zero.warnings?.some((w) => w.includes('__WALL')));
});

test('with names, fields.exit_signal becomes the low byte of the word the syscall receives', () => {
  const call = normalizeInput({ kernel: '6.1', syscall: 'clone', flags: ['CLONE_FILES'], fields: { exit_signal: 17 } });
  assert.equal(call.flags, 0x411n);
  assert.equal(call.fields.exit_signal, undefined);
});

test('CLONE_NEWTIME is swallowed by the exit signal byte and no time namespace is made', () => {
  const out = expectSuccess({ kernel: '6.1', syscall: 'clone', flags: ['CLONE_NEWTIME'], fields: { exit_signal: 17 } });
  assert.equal(out.child?.namespaces.time, 'shared');
  assert.equal(out.child?.exitSignal, 0x91);
  assert.ok(out.warnings?.some((w) => w.includes('CLONE_NEWTIME')));
});

test('bits 32-63 are dropped: CLONE_CLEAR_SIGHAND has no effect through legacy clone', () => {
  const out = expectSuccess({ kernel: '6.1', syscall: 'clone', flags: '0x100000011' });
  assert.equal(out.child?.clearSighand, false);
  assert.ok(out.warnings?.some((w) => w.includes('bits 32-63')));
});

test('CLONE_DETACHED alone is ignored; the exit signal of a thread is ignored', () => {
  const out = expectSuccess({ kernel: '6.1', syscall: 'clone', flags: ['CLONE_DETACHED'], fields: { exit_signal: 17 } });
  assert.ok(out.warnings?.some((w) => w.includes('CLONE_DETACHED')));
  const thread = expectSuccess({ kernel: '6.1', syscall: 'clone', flags: ['CLONE_THREAD', 'CLONE_SIGHAND', 'CLONE_VM'], fields: { exit_signal: 17, stack: 'ptr' } });
  assert.equal(thread.child?.exitSignal, null);
  assert.ok(thread.warnings?.some((w) => w.includes('ignored')));
});

test('2.6.24: unknown bits are ignored silently (bit 12, bit 31), CLONE_STOPPED starts the child stopped', () => {
  const out = expectSuccess({ kernel: '2.6.24', syscall: 'clone', flags: '0x80001011' });
  assert.ok(out.warnings?.some((w) => w.includes('0x80001000')));
  const stopped = expectSuccess({ kernel: '2.6.24', syscall: 'clone', flags: ['CLONE_STOPPED'], fields: { exit_signal: 17 } });
  assert.equal(stopped.child?.stopped, true);
  const pidfd = expectSuccess({ kernel: '4.19', syscall: 'clone', flags: ['CLONE_PIDFD'], fields: { exit_signal: 17 } });
  assert.equal((pidfd.child?.writeBack as Record<string, unknown>).pidfd, null);
});

test('2.6.24 copy_process(): only NEWNS|FS, THREAD without SIGHAND and SIGHAND without VM are flag errors', () => {
  expectError({ kernel: '2.6.24', syscall: 'clone', flags: ['CLONE_NEWNS', 'CLONE_FS'] }, 'EINVAL', 'copy_process');
  expectError({ kernel: '2.6.24', syscall: 'clone', flags: ['CLONE_THREAD'] }, 'EINVAL', 'copy_process');
  expectError({ kernel: '2.6.24', syscall: 'clone', flags: ['CLONE_SIGHAND'] }, 'EINVAL', 'copy_process');
  expectSuccess({ kernel: '2.6.24', syscall: 'clone', flags: ['CLONE_NEWUSER', 'CLONE_FS'], fields: { exit_signal: 17 } });
  expectSuccess({ kernel: '2.6.24', syscall: 'clone', flags: ['CLONE_PARENT'], fields: { exit_signal: 17 }, context: { isInit: true } });
});

test('2.6.24 copy_namespaces(): every CLONE_NEW*, CLONE_NEWUSER included, needs CAP_SYS_ADMIN; NEWPID|THREAD is EINVAL after it', () => {
  expectError({ kernel: '2.6.24', syscall: 'clone', flags: ['CLONE_NEWUSER'], context: { privileged: false } }, 'EPERM', 'copy_namespaces', '!capable(CAP_SYS_ADMIN)');
  expectError({ kernel: '2.6.24', syscall: 'clone', flags: ['CLONE_NEWNET'], context: { privileged: false } }, 'EPERM', 'copy_namespaces');
  const threadPid = ['CLONE_NEWPID', 'CLONE_THREAD', 'CLONE_SIGHAND', 'CLONE_VM'];
  expectError({ kernel: '2.6.24', syscall: 'clone', flags: threadPid }, 'EINVAL', 'copy_pid_ns', 'CLONE_THREAD');
  expectError({ kernel: '2.6.24', syscall: 'clone', flags: threadPid, context: { privileged: false } }, 'EPERM', 'copy_namespaces');
  expectSuccess({ kernel: '2.6.24', syscall: 'clone', flags: ['CLONE_NEWIPC', 'CLONE_SYSVSEM'], fields: { exit_signal: 17 } });
  expectSuccess({ kernel: '2.6.24', syscall: 'clone', flags: ['CLONE_NEWPID'], fields: { exit_signal: 17 }, context: { pidNamespaceLevel: 32 } });
});

test('the RFC: CLONE_LONGARG reads int size from the struct; size > sizeof → EINVAL even with a zero tail', () => {
  const rfc = (size: number, extra: Record<string, unknown> = {}) => ({ kernel: '2.6.24+longarg-rfc', syscall: 'clone', flags: ['CLONE_LONGARG'], size, fields: { exit_signal: 17 }, ...extra });
  const ok = expectSuccess(rfc(4));
  assert.equal(ok.struct?.kernelSize, 4);
  expectSuccess(rfc(0));
  expectError(rfc(8), 'EINVAL', 'get_long_clone_arg', 'size > sizeof(struct long_clone_arg)');
  expectError(rfc(8, { tail: 'nonzero' }), 'EINVAL', 'get_long_clone_arg');
  expectError(rfc(4, { argsPointer: 'bad' }), 'EFAULT', 'get_long_clone_arg', 'get_user');
});

test('the RFC: CLONE_LONGARG with CLONE_CHILD_SETTID or CLONE_CHILD_CLEARTID → EINVAL (child_tidptr is the struct)', () => {
  for (const f of ['CLONE_CHILD_SETTID', 'CLONE_CHILD_CLEARTID']) {
    expectError({ kernel: '2.6.24+longarg-rfc', syscall: 'clone', flags: ['CLONE_LONGARG', f], size: 4 }, 'EINVAL', 'copy_process', 'CLONE_LONGARG');
  }
  expectSuccess({ kernel: '2.6.24+longarg-rfc', syscall: 'clone', flags: ['CLONE_CHILD_SETTID'], fields: { exit_signal: 17, child_tid: 'ptr' } });
});

test('the RFC: the long arg is read before copy_namespaces (EINVAL beats EPERM)', () => {
  expectError({ kernel: '2.6.24+longarg-rfc', syscall: 'clone', flags: ['CLONE_LONGARG', 'CLONE_NEWNET'], size: 12, context: { privileged: false } }, 'EINVAL', 'get_long_clone_arg');
  expectError({ kernel: '2.6.24+longarg-rfc', syscall: 'clone', flags: ['CLONE_LONGARG', 'CLONE_NEWNET'], size: 4, context: { privileged: false } }, 'EPERM', 'copy_namespaces');
});

test('RFC userspace on a kernel without the RFC: bit 31 is ignored (2.6.24) or is CLONE_IO (2.6.25+), the struct is never read', () => {
  const plain = expectSuccess({ kernel: '2.6.24', syscall: 'clone', flags: '0x80000011', size: 12 });
  assert.ok(plain.warnings?.some((w) => w.includes('never read')));
  const io = expectSuccess({ kernel: '6.1', syscall: 'clone', flags: '0x80000011', size: 12 });
  assert.ok(io.warnings?.some((w) => w.includes('CLONE_IO')));
});
