// kernel_clone() and copy_process() on the 6.1 model (kernel-semantics.md §2), and the releases where a rule changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectError, expectSuccess } from './sim-helpers';

const clone3 = (flags: string[], fields: Record<string, unknown> = {}, context: Record<string, unknown> = {}, kernel = '6.1') => ({
  kernel,
  syscall: 'clone3',
  flags,
  fields: { exit_signal: flags.includes('CLONE_THREAD') || flags.includes('CLONE_PARENT') ? 0 : 17, ...fields },
  context,
});
const THREAD = ['CLONE_THREAD', 'CLONE_SIGHAND', 'CLONE_VM'];

test('K1: CLONE_PIDFD|CLONE_PARENT_SETTID: always EINVAL for legacy clone, only with equal pointers for clone3', () => {
  expectError({ kernel: '6.1', syscall: 'clone', flags: ['CLONE_PIDFD', 'CLONE_PARENT_SETTID'], fields: { exit_signal: 17, parent_tid: 'ptr' } }, 'EINVAL', 'kernel_clone', 'args->pidfd == args->parent_tid');
  expectSuccess(clone3(['CLONE_PIDFD', 'CLONE_PARENT_SETTID'], { pidfd: 'ptr', parent_tid: 'ptr' }));
  expectError(clone3(['CLONE_PIDFD', 'CLONE_PARENT_SETTID'], { pidfd: '0x10000', parent_tid: '0x10000' }), 'EINVAL', 'kernel_clone');
  expectError(clone3(['CLONE_PIDFD', 'CLONE_PARENT_SETTID']), 'EINVAL', 'kernel_clone');
});

test('P1-P4: the flag combinations copy_process() refuses', () => {
  expectError(clone3(['CLONE_NEWNS', 'CLONE_FS']), 'EINVAL', 'copy_process', 'CLONE_NEWNS|CLONE_FS');
  expectError(clone3(['CLONE_NEWUSER', 'CLONE_FS']), 'EINVAL', 'copy_process', 'CLONE_NEWUSER|CLONE_FS');
  expectError(clone3(['CLONE_THREAD']), 'EINVAL', 'copy_process', '!(clone_flags & CLONE_SIGHAND)');
  expectError(clone3(['CLONE_SIGHAND']), 'EINVAL', 'copy_process', '!(clone_flags & CLONE_VM)');
  expectSuccess(clone3(['CLONE_VM'], { stack: 'ptr', stack_size: 8192 }));
});

test('P2 and the flag checks come before any capability check (EINVAL even unprivileged)', () => {
  expectError(clone3(['CLONE_NEWUSER', 'CLONE_FS'], {}, { privileged: false }), 'EINVAL', 'copy_process');
  expectError(clone3(['CLONE_NEWNS', 'CLONE_FS'], {}, { privileged: false }), 'EINVAL', 'copy_process');
});

test('P5: CLONE_PARENT from an init is EINVAL; from anyone else it re-parents', () => {
  expectError(clone3(['CLONE_PARENT'], {}, { isInit: true }), 'EINVAL', 'copy_process', 'SIGNAL_UNKILLABLE');
  const out = expectSuccess(clone3(['CLONE_PARENT']));
  assert.equal(out.child?.parent, "caller's parent");
  assert.equal(out.child?.exitSignal, null);
});

test('P6: CLONE_THREAD with a new pid/user namespace, or after unshare(CLONE_NEWPID)', () => {
  expectError(clone3([...THREAD, 'CLONE_NEWPID'], { stack: 'ptr', stack_size: 8192 }), 'EINVAL', 'copy_process', 'pid_ns_for_children');
  expectError(clone3([...THREAD, 'CLONE_NEWUSER'], { stack: 'ptr', stack_size: 8192 }), 'EINVAL', 'copy_process', 'pid_ns_for_children');
  expectError(clone3(THREAD, { stack: 'ptr', stack_size: 8192 }, { pidNamespaceForChildren: true }), 'EINVAL', 'copy_process', 'pid_ns_for_children');
  const pid = expectSuccess(clone3(['CLONE_NEWPID', 'CLONE_PARENT']));
  assert.equal(pid.child?.pid1, true);
});

test('P7: after unshare(CLONE_NEWTIME), CLONE_VM/CLONE_THREAD is EINVAL up to 6.2; from 6.3 the VM child stays in the old time ns', () => {
  const ctx = { timeNamespaceForChildren: true };
  expectError(clone3(['CLONE_VM'], { stack: 'ptr', stack_size: 8192 }, ctx), 'EINVAL', 'copy_process', 'time_ns_for_children');
  expectError(clone3(['CLONE_VM'], { stack: 'ptr', stack_size: 8192 }, ctx, '6.2'), 'EINVAL', 'copy_process', 'time_ns_for_children');
  const vm = expectSuccess(clone3(['CLONE_VM'], { stack: 'ptr', stack_size: 8192 }, ctx, '6.3'));
  assert.equal(vm.child?.namespaces.time, 'shared');
  const fork = expectSuccess(clone3([], {}, ctx));
  assert.equal(fork.child?.namespaces.time, 'new');
});

test('P8: CLONE_PIDFD with CLONE_DETACHED (always) or CLONE_THREAD (until 6.8)', () => {
  expectError({ kernel: '6.1', syscall: 'clone', flags: ['CLONE_PIDFD', 'CLONE_DETACHED'], fields: { exit_signal: 17, parent_tid: 'ptr' } }, 'EINVAL', 'copy_process', 'CLONE_DETACHED');
  expectError({ kernel: '6.18', syscall: 'clone', flags: ['CLONE_PIDFD', 'CLONE_DETACHED'], fields: { exit_signal: 17, parent_tid: 'ptr' } }, 'EINVAL', 'copy_process', 'CLONE_DETACHED');
  const fields = { pidfd: 'ptr', stack: 'ptr', stack_size: 8192 };
  expectError(clone3([...THREAD, 'CLONE_PIDFD'], fields, {}, '6.8'), 'EINVAL', 'copy_process', 'CLONE_DETACHED|CLONE_THREAD');
  const ok = expectSuccess(clone3([...THREAD, 'CLONE_PIDFD'], fields, {}, '6.9'));
  assert.equal((ok.child?.writeBack as Record<string, unknown>).pidfd, 'pidfd');
});

test('copy_creds → create_user_ns: nesting and chroot', () => {
  expectError(clone3(['CLONE_NEWUSER'], {}, { userNamespaceLevel: 33 }), 'ENOSPC', 'create_user_ns', 'level > 32');
  expectSuccess(clone3(['CLONE_NEWUSER'], {}, { userNamespaceLevel: 32 }));
  expectError(clone3(['CLONE_NEWUSER'], {}, { chrooted: true, privileged: false }), 'EPERM', 'create_user_ns', 'chrooted');
  expectError(clone3(['CLONE_NEWUSER'], {}, { privileged: false, debianUsernsRestricted: true }), 'EPERM', 'copy_process', 'Debian');
});

test('copy_namespaces: CAP_SYS_ADMIN is checked in the child user namespace', () => {
  expectError(clone3(['CLONE_NEWNET'], {}, { privileged: false }), 'EPERM', 'copy_namespaces', 'ns_capable');
  const out = expectSuccess(clone3(['CLONE_NEWUSER', 'CLONE_NEWNET', 'CLONE_NEWPID'], {}, { privileged: false }));
  assert.equal(out.child?.namespaces.user, 'new');
  assert.equal(out.child?.namespaces.net, 'new');
  expectSuccess(clone3(['CLONE_NEWUSER'], {}, { privileged: false }));
});

test('copy_namespaces: CLONE_NEWIPC|CLONE_SYSVSEM is EINVAL for root but EPERM unprivileged (the capability comes first)', () => {
  expectError(clone3(['CLONE_NEWIPC', 'CLONE_SYSVSEM']), 'EINVAL', 'copy_namespaces', 'CLONE_SYSVSEM');
  expectError(clone3(['CLONE_NEWIPC', 'CLONE_SYSVSEM'], {}, { privileged: false }), 'EPERM', 'copy_namespaces');
});

test('copy_pid_ns and create_pid_namespace: a pending pid namespace, and 32 levels', () => {
  expectError(clone3(['CLONE_NEWPID'], {}, { pidNamespaceForChildren: true }), 'EINVAL', 'copy_pid_ns');
  expectError(clone3(['CLONE_NEWPID'], {}, { pidNamespaceLevel: 32 }), 'ENOSPC', 'create_pid_namespace', 'MAX_PID_NS_LEVEL');
  expectSuccess(clone3(['CLONE_NEWPID'], {}, { pidNamespaceLevel: 31 }));
});

test('copy_thread: CLONE_SETTLS with a TLS base at or above TASK_SIZE_MAX → EPERM', () => {
  expectError(clone3(['CLONE_SETTLS'], { tls: '0xffff800000000000' }), 'EPERM', 'do_arch_prctl_64');
  expectSuccess(clone3(['CLONE_SETTLS'], { tls: '0x7f0000001000' }));
});

test('alloc_pid: set_tid checks value, init, capability, then whether the pid is taken', () => {
  expectError(clone3([], { set_tid: [1, 2], set_tid_size: 2 }), 'EINVAL', 'alloc_pid', 'ns->level + 1');
  expectError(clone3([], { set_tid: [0], set_tid_size: 1 }), 'EINVAL', 'alloc_pid', 'pid_max');
  expectError(clone3([], { set_tid: [32768], set_tid_size: 1 }), 'EINVAL', 'alloc_pid', 'pid_max');
  expectError(clone3([], { set_tid: [1], set_tid_size: 1 }), 'EEXIST', 'alloc_pid');
  expectError(clone3([], { set_tid: [500], set_tid_size: 1 }, { pidsInUse: [500] }), 'EEXIST', 'alloc_pid');
  expectError(clone3([], { set_tid: [500], set_tid_size: 1 }, { privileged: false }), 'EPERM', 'alloc_pid', 'checkpoint_restore_ns_capable');
  expectError(clone3([], { set_tid: [0], set_tid_size: 1 }, { privileged: false }), 'EINVAL', 'alloc_pid');
  expectError(clone3(['CLONE_NEWPID'], { set_tid: [5], set_tid_size: 1 }), 'EINVAL', 'alloc_pid', 'child_reaper');
  const ok = expectSuccess(clone3(['CLONE_NEWPID'], { set_tid: [1, 500], set_tid_size: 2 }));
  assert.deepEqual(ok.child?.setTid, [1, 500]);
  expectSuccess(clone3(['CLONE_NEWUSER', 'CLONE_NEWPID'], { set_tid: [1], set_tid_size: 1 }, { privileged: false }));
  expectError(clone3(['CLONE_NEWUSER', 'CLONE_NEWPID'], { set_tid: [1, 500], set_tid_size: 2 }, { privileged: false }), 'EPERM', 'alloc_pid');
});

test('the pidfd is written after the pid is allocated: a faulting or NULL pidfd pointer → EFAULT', () => {
  expectError(clone3(['CLONE_PIDFD'], { pidfd: 'bad' }), 'EFAULT', 'copy_process', 'put_user(pidfd');
  expectError(clone3(['CLONE_PIDFD']), 'EFAULT', 'copy_process', 'put_user(pidfd');
  expectError({ kernel: '6.1', syscall: 'clone', flags: ['CLONE_PIDFD'], fields: { exit_signal: 17 } }, 'EFAULT', 'copy_process', 'put_user(pidfd');
  const legacy = expectSuccess({ kernel: '6.1', syscall: 'clone', flags: ['CLONE_PIDFD'], fields: { exit_signal: 17, parent_tid: 'ptr' } });
  assert.equal((legacy.child?.writeBack as Record<string, unknown>).pidfd, 'parent_tid');
});

test('the child: namespaces, shares, exit signal and write-backs', () => {
  const out = expectSuccess(clone3(['CLONE_VM', 'CLONE_FS', 'CLONE_FILES', 'CLONE_SYSVSEM', 'CLONE_NEWUTS', 'CLONE_PARENT_SETTID', 'CLONE_CHILD_SETTID'], { stack: 'ptr', stack_size: 8192, parent_tid: 'ptr', child_tid: 'bad' }));
  assert.deepEqual(out.child?.shares, { vm: true, fs: true, files: true, sighand: false, sysvsem: true });
  assert.equal(out.child?.namespaces.uts, 'new');
  assert.equal(out.child?.namespaces.mnt, 'shared');
  const wb = out.child?.writeBack as Record<string, unknown>;
  assert.equal(wb.parentTid, true);
  assert.equal(wb.childTid, false);
  assert.ok(out.warnings?.some((w) => w.includes('child_tid is not writable')));
});
