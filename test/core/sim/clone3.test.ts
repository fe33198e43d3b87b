// clone3 on the 6.1 model: every check of copy_clone_args_from_user(), copy_struct_from_user() and clone3_args_valid() (kernel-semantics.md §1.2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectError, expectSuccess, run } from './sim-helpers';

const c3 = (extra: Record<string, unknown> = {}, fields: Record<string, unknown> = {}) => ({
  kernel: '6.1',
  syscall: 'clone3',
  flags: [],
  size: 88,
  ...extra,
  fields: { exit_signal: 17, ...fields },
});

test('a plain clone3 succeeds and the child is an ordinary process', () => {
  const out = expectSuccess(c3());
  assert.equal(out.child?.exitSignal, 17);
  assert.equal(out.child?.thread, false);
  assert.deepEqual(Object.values(out.child?.namespaces ?? {}).filter((v) => v === 'new'), []);
  assert.equal(out.struct?.kernelSize, 88);
});

test('1: usize > PAGE_SIZE → E2BIG, checked before anything is read', () => {
  expectError(c3({ size: 4097, argsPointer: 'bad' }), 'E2BIG', 'copy_clone_args_from_user', 'usize > PAGE_SIZE');
  expectSuccess(c3({ size: 4096 }));
});

test('2: usize < CLONE_ARGS_SIZE_VER0 (64) → EINVAL', () => {
  expectError(c3({ size: 63 }), 'EINVAL', 'copy_clone_args_from_user', 'CLONE_ARGS_SIZE_VER0');
  expectError(c3({ size: 0 }), 'EINVAL', 'copy_clone_args_from_user', 'CLONE_ARGS_SIZE_VER0');
  const out = expectSuccess(c3({ size: 64 }));
  assert.deepEqual(out.struct?.zeroFilled, ['set_tid', 'set_tid_size', 'cgroup']);
});

test('3: copy_struct_from_user: non-zero tail → E2BIG, faults → EFAULT, tail checked before the body', () => {
  expectError(c3({ size: 96, tail: 'nonzero' }), 'E2BIG', 'copy_struct_from_user', 'non-zero');
  expectSuccess(c3({ size: 96, tail: 'zero' }));
  expectError(c3({ size: 96, tail: 'nonzero', argsPointer: 'bad' }), 'EFAULT', 'copy_struct_from_user', 'check_zeroed_user');
  expectError(c3({ size: 88, argsPointer: 'bad' }), 'EFAULT', 'copy_struct_from_user', 'copy_from_user');
  const ignored = expectSuccess(c3({ size: 80, tail: 'nonzero' }));
  assert.ok(ignored.warnings?.some((w) => w.includes('no effect')));
});

test('4-6: set_tid_size bounds and set_tid/set_tid_size agreement → EINVAL', () => {
  expectError(c3({}, { set_tid: [1], set_tid_size: 33 }), 'EINVAL', 'copy_clone_args_from_user', 'MAX_PID_NS_LEVEL');
  expectError(c3({}, { set_tid_size: 1 }), 'EINVAL', 'copy_clone_args_from_user', '!args.set_tid');
  expectError(c3({}, { set_tid: 'ptr' }), 'EINVAL', 'copy_clone_args_from_user', 'set_tid_size == 0');
});

test('7: exit_signal must fit CSIGNAL and be a valid signal', () => {
  expectSuccess(c3({}, { exit_signal: 64 }));
  expectError(c3({}, { exit_signal: 65 }), 'EINVAL', 'copy_clone_args_from_user', 'valid_signal');
  expectError(c3({}, { exit_signal: '0x100' }), 'EINVAL', 'copy_clone_args_from_user', 'CSIGNAL');
  expectError(c3({}, { exit_signal: '0xbadc0ded00000000' }), 'EINVAL', 'copy_clone_args_from_user', 'CSIGNAL');
});

test('8: CLONE_INTO_CGROUP needs cgroup <= INT_MAX and a VER2 struct', () => {
  expectSuccess(c3({ flags: ['CLONE_INTO_CGROUP'] }, { cgroup: 3 }));
  expectError(c3({ flags: ['CLONE_INTO_CGROUP'] }, { cgroup: 2147483648 }), 'EINVAL', 'copy_clone_args_from_user', 'INT_MAX');
  expectError(c3({ flags: ['CLONE_INTO_CGROUP'], size: 80 }), 'EINVAL', 'copy_clone_args_from_user', 'CLONE_ARGS_SIZE_VER2');
  expectError(c3({ flags: ['CLONE_INTO_CGROUP'] }, { cgroup: 'bad' }), 'EBADF', 'cgroup_css_set_fork');
  expectError({ ...c3({ flags: ['CLONE_INTO_CGROUP'] }, { cgroup: 3 }), context: { privileged: false } }, 'EACCES', 'cgroup_may_write');
  expectSuccess({ ...c3({ flags: ['CLONE_INTO_CGROUP'] }, { cgroup: 3 }), context: { privileged: false, cgroupDelegated: true } });
});

test('9: a faulting set_tid array → EFAULT after the other struct checks', () => {
  expectError(c3({}, { set_tid: 'bad', set_tid_size: 1 }), 'EFAULT', 'copy_clone_args_from_user', 'kset_tid');
  expectError(c3({}, { set_tid: 'bad', set_tid_size: 1, exit_signal: 65 }), 'EINVAL', 'copy_clone_args_from_user', 'valid_signal');
});

test('clone3_args_valid: unknown bits, CSIGNAL bits, CLONE_DETACHED', () => {
  expectError(c3({ flags: '0x400000000' }), 'EINVAL', 'clone3_args_valid', 'CLONE_LEGACY_FLAGS');
  expectError(c3({ flags: ['CLONE_DETACHED'] }), 'EINVAL', 'clone3_args_valid', 'CLONE_DETACHED');
  expectError(c3({ flags: '0x11' }), 'EINVAL', 'clone3_args_valid', 'CSIGNAL');
  const time = expectSuccess(c3({ flags: ['CLONE_NEWTIME'] }));
  assert.equal(time.child?.namespaces.time, 'new');
});

test('clone3_args_valid: CLONE_SIGHAND with CLONE_CLEAR_SIGHAND, THREAD/PARENT with an exit signal', () => {
  expectError(c3({ flags: ['CLONE_SIGHAND', 'CLONE_VM', 'CLONE_CLEAR_SIGHAND'] }), 'EINVAL', 'clone3_args_valid', 'CLONE_CLEAR_SIGHAND');
  expectError(c3({ flags: ['CLONE_PARENT'] }), 'EINVAL', 'clone3_args_valid', 'exit_signal');
  expectError(c3({ flags: ['CLONE_THREAD', 'CLONE_SIGHAND', 'CLONE_VM'] }), 'EINVAL', 'clone3_args_valid', 'exit_signal');
  const thread = expectSuccess(c3({ flags: ['CLONE_THREAD', 'CLONE_SIGHAND', 'CLONE_VM'] }, { exit_signal: 0, stack: 'ptr', stack_size: 65536 }));
  assert.equal(thread.child?.thread, true);
  assert.equal(thread.child?.exitSignal, null);
});

test('clone3_stack_valid: stack and stack_size must agree and fit below TASK_SIZE_MAX', () => {
  expectError(c3({}, { stack_size: 4096 }), 'EINVAL', 'clone3_stack_valid');
  expectError(c3({}, { stack: 'ptr' }), 'EINVAL', 'clone3_stack_valid');
  expectError(c3({}, { stack: '0x7ffffffff000', stack_size: 4096 }), 'EINVAL', 'clone3_stack_valid', 'access_ok');
  expectSuccess(c3({}, { stack: '0x7fffffffe000', stack_size: 4096 }));
  const bad = expectSuccess(c3({}, { stack: 'bad', stack_size: 4096 }));
  assert.ok(bad.warnings?.some((w) => w.includes('SIGSEGV')));
});

test('a field userspace set past the kernel struct is a non-zero tail; fields past size are never read', () => {
  expectError({ kernel: '5.3', syscall: 'clone3', flags: [], size: 80, fields: { exit_signal: 17, set_tid: [5], set_tid_size: 1 } }, 'E2BIG', 'copy_struct_from_user');
  const out = expectSuccess(c3({ size: 64 }, { set_tid: [5], set_tid_size: 1 }));
  assert.ok(out.warnings?.some((w) => w.includes('never reads')));
});

test('the version history of clone3: absent before 5.3, struct 64/80/88, CLEAR_SIGHAND 5.5, NEWTIME 5.6, INTO_CGROUP 5.7', () => {
  expectError({ kernel: '5.2', syscall: 'clone3', flags: [] }, 'ENOSYS', 'sys_call_table');
  expectError({ kernel: '2.6.24', syscall: 'clone3', flags: [] }, 'ENOSYS', 'sys_call_table');
  assert.equal(run({ kernel: '5.3', syscall: 'clone3', flags: [], fields: { exit_signal: 17 } }).struct?.kernelSize, 64);
  assert.equal(run({ kernel: '5.5', syscall: 'clone3', flags: [], fields: { exit_signal: 17 } }).struct?.kernelSize, 80);
  expectSuccess({ kernel: '5.3', syscall: 'clone3', flags: [], size: 88, fields: { exit_signal: 17 } });
  expectError({ kernel: '5.4', syscall: 'clone3', flags: ['CLONE_CLEAR_SIGHAND'], fields: { exit_signal: 17 } }, 'EINVAL', 'clone3_args_valid', '~CLONE_LEGACY_FLAGS');
  expectSuccess({ kernel: '5.5', syscall: 'clone3', flags: ['CLONE_CLEAR_SIGHAND'], fields: { exit_signal: 17 } });
  expectError({ kernel: '5.5', syscall: 'clone3', flags: ['CLONE_NEWTIME'], fields: { exit_signal: 17 } }, 'EINVAL', 'clone3_args_valid', 'CSIGNAL');
  // 5.6's struct ends at 80: a cgroup fd is a non-zero tail; a zero one passes and the unknown bit 33 is refused.
  expectError({ kernel: '5.6', syscall: 'clone3', flags: ['CLONE_INTO_CGROUP'], size: 88, fields: { exit_signal: 17, cgroup: 3 } }, 'E2BIG', 'copy_struct_from_user');
  expectError({ kernel: '5.6', syscall: 'clone3', flags: ['CLONE_INTO_CGROUP'], size: 88, fields: { exit_signal: 17 } }, 'EINVAL', 'clone3_args_valid', 'CLONE_CLEAR_SIGHAND)');
});
