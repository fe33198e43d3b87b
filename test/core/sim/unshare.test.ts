// unshare on 6.1 (kernel-semantics.md §3) and 2.6.24 (§5.2), with the RFC's long argument.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectError, expectSuccess } from './sim-helpers';

const un = (flags: string[] | string | number, context: Record<string, unknown> = {}, kernel = '6.1', extra: Record<string, unknown> = {}) => ({ kernel, syscall: 'unshare', flags, context, ...extra });

test('unshare(0) is a no-op that succeeds, and the outcome is the caller', () => {
  const out = expectSuccess(un([]));
  assert.equal(out.child, null);
  assert.deepEqual(out.caller?.shares, { vm: true, fs: true, files: true, sighand: true, sysvsem: true });
});

test('the accepted mask: anything outside 0x7E070F80 → EINVAL (bits 32+, CSIGNAL but NEWTIME, PIDFD, VFORK, ...)', () => {
  for (const flags of [['CLONE_VFORK'], ['CLONE_PIDFD'], ['CLONE_PARENT'], ['CLONE_SETTLS'], ['CLONE_IO'], ['CLONE_CLEAR_SIGHAND'], '0x11']) {
    expectError(un(flags), 'EINVAL', 'check_unshare_flags', '~(CLONE_THREAD');
  }
  expectSuccess(un('0x7e070f80'));
});

test('implied flags: NEWUSER adds THREAD|FS, VM adds SIGHAND, SIGHAND adds THREAD, NEWNS adds FS', () => {
  const out = expectSuccess(un(['CLONE_VM']));
  assert.deepEqual(out.caller?.implied, ['CLONE_SIGHAND', 'CLONE_THREAD']);
  const user = expectSuccess(un(['CLONE_NEWUSER'], { privileged: false }));
  assert.deepEqual(user.caller?.implied, ['CLONE_FS', 'CLONE_THREAD']);
  assert.equal(user.caller?.namespaces.user, 'new');
  const ns = expectSuccess(un(['CLONE_NEWNS']));
  assert.equal(ns.caller?.shares.fs, false);
});

test('THREAD/SIGHAND/VM only when there is nothing to unshare', () => {
  expectError(un(['CLONE_THREAD'], { threads: 2 }), 'EINVAL', 'check_unshare_flags', 'thread_group_empty');
  expectError(un(['CLONE_NEWUSER'], { threads: 2, privileged: false }), 'EINVAL', 'check_unshare_flags', 'thread_group_empty');
  expectError(un(['CLONE_SIGHAND'], { sharedSighand: true }), 'EINVAL', 'check_unshare_flags', 'sighand->count');
  expectError(un(['CLONE_VM'], { sharedVm: true }), 'EINVAL', 'check_unshare_flags', 'current_is_single_threaded');
  const ok = expectSuccess(un(['CLONE_VM']));
  assert.ok(ok.warnings?.some((w) => w.includes('nothing is unshared')));
});

test('capabilities: namespaces need CAP_SYS_ADMIN in the (possibly new) user namespace', () => {
  expectError(un(['CLONE_NEWNS'], { privileged: false }), 'EPERM', 'unshare_nsproxy_namespaces');
  expectError(un(['CLONE_NEWTIME'], { privileged: false }), 'EPERM', 'unshare_nsproxy_namespaces');
  expectError(un(['CLONE_NEWIPC', 'CLONE_SYSVSEM'], { privileged: false }), 'EPERM', 'unshare_nsproxy_namespaces');
  expectSuccess(un(['CLONE_NEWUSER', 'CLONE_NEWNS'], { privileged: false }));
  expectSuccess(un(['CLONE_NEWIPC', 'CLONE_SYSVSEM']));
  expectError(un(['CLONE_NEWUSER'], { privileged: false, debianUsernsRestricted: true }), 'EPERM', 'ksys_unshare', 'Debian');
});

test('user and pid namespace limits, and a second unshare(CLONE_NEWPID)', () => {
  expectError(un(['CLONE_NEWUSER'], { userNamespaceLevel: 33 }), 'ENOSPC', 'create_user_ns');
  expectError(un(['CLONE_NEWUSER'], { chrooted: true }), 'EPERM', 'create_user_ns');
  expectError(un(['CLONE_NEWPID'], { pidNamespaceLevel: 32 }), 'ENOSPC', 'create_pid_namespace');
  expectError(un(['CLONE_NEWPID'], { pidNamespaceForChildren: true }), 'EINVAL', 'copy_pid_ns');
});

test('NEWPID and NEWTIME apply to the children: the caller stays', () => {
  const out = expectSuccess(un(['CLONE_NEWPID', 'CLONE_NEWTIME']));
  assert.equal(out.caller?.namespaces.pid, 'shared');
  assert.deepEqual(out.caller?.forChildren, { pid: 'new', time: 'new' });
  assert.ok(out.warnings?.some((w) => w.includes('PID 1')));
});

test('2.6.24: implied flags, the old mask (no NEWPID), unshare_thread always EINVAL, SYSVSEM EINVAL', () => {
  expectError(un(['CLONE_NEWPID'], {}, '2.6.24'), 'EINVAL', 'sys_unshare');
  expectError(un(['CLONE_THREAD'], {}, '2.6.24'), 'EINVAL', 'unshare_thread');
  expectError(un(['CLONE_VM'], { threads: 2 }, '2.6.24'), 'EINVAL', 'unshare_thread');
  expectError(un(['CLONE_SYSVSEM'], {}, '2.6.24'), 'EINVAL', 'unshare_semundo');
  expectError(un(['CLONE_NEWUSER'], { privileged: false }, '2.6.24'), 'EPERM', 'unshare_nsproxy_namespaces', '!capable(CAP_SYS_ADMIN)');
  expectError(un('0x80000000', {}, '2.6.24'), 'EINVAL', 'sys_unshare');
  const vm = expectSuccess(un(['CLONE_VM'], {}, '2.6.24'));
  assert.deepEqual(vm.caller?.implied, ['CLONE_SIGHAND']);
  expectSuccess(un(['CLONE_NEWNS', 'CLONE_NEWUSER', 'CLONE_NEWNET'], {}, '2.6.24'));
});

test('the RFC: unshare accepts CLONE_LONGARG and reads the long argument', () => {
  const out = expectSuccess(un(['CLONE_LONGARG'], {}, '2.6.24+longarg-rfc', { size: 4 }));
  assert.equal(out.struct?.name, 'long_clone_arg');
  expectError(un(['CLONE_LONGARG'], {}, '2.6.24+longarg-rfc', { size: 12 }), 'EINVAL', 'get_long_clone_arg');
  expectError(un(['CLONE_LONGARG'], {}, '2.6.24+longarg-rfc', { size: 4, argsPointer: 'bad' }), 'EFAULT', 'get_long_clone_arg', 'flagptr');
  expectError(un(['CLONE_LONGARG', 'CLONE_NEWPID'], {}, '2.6.24+longarg-rfc', { size: 4 }), 'EINVAL', 'sys_unshare');
});
