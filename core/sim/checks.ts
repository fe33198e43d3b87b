// Every check the simulated kernels make, as data: function, source file, condition and errno (steps are shared objects).
import type { CheckRef, Errno, SimStep } from './types';

export interface Check {
  ref: CheckRef;
  errno: Errno;
  pass: SimStep;
  fail: SimStep;
}

function freeze<T extends object>(value: T): T {
  return Object.freeze(value);
}

export function makeCheck(fn: string, file: string, check: string, errno: Errno): Check {
  const ref = freeze({ function: fn, file, check });
  return {
    ref,
    errno,
    pass: freeze({ function: fn, file, check, result: 'pass' as const }),
    fail: freeze({ function: fn, file, check, result: 'fail' as const, errno }),
  };
}

const FORK = 'kernel/fork.c';
const UACCESS = 'include/linux/uaccess.h';
const NSPROXY = 'kernel/nsproxy.c';
const PIDNS = 'kernel/pid_namespace.c';
const USERNS = 'kernel/user_namespace.c';

export const C = {
  noClone3: makeCheck('sys_call_table', 'arch/x86/entry/syscalls/syscall_64.tbl', 'no syscall 435 (clone3) before 5.3', 'ENOSYS'),

  // copy_clone_args_from_user() and copy_struct_from_user()
  c3PageSize: makeCheck('copy_clone_args_from_user', FORK, 'usize > PAGE_SIZE', 'E2BIG'),
  c3MinSize: makeCheck('copy_clone_args_from_user', FORK, 'usize < CLONE_ARGS_SIZE_VER0', 'EINVAL'),
  tailFault: makeCheck('copy_struct_from_user', UACCESS, 'check_zeroed_user(src + ksize, usize - ksize) faults', 'EFAULT'),
  tailNonZero: makeCheck('copy_struct_from_user', UACCESS, 'usize > ksize and a byte in [ksize, usize) is non-zero', 'E2BIG'),
  structFault: makeCheck('copy_struct_from_user', UACCESS, 'copy_from_user(dst, src, min(ksize, usize)) faults', 'EFAULT'),
  c3TidSize: makeCheck('copy_clone_args_from_user', FORK, 'args.set_tid_size > MAX_PID_NS_LEVEL', 'EINVAL'),
  c3TidNull: makeCheck('copy_clone_args_from_user', FORK, '!args.set_tid && args.set_tid_size > 0', 'EINVAL'),
  c3TidZero: makeCheck('copy_clone_args_from_user', FORK, 'args.set_tid && args.set_tid_size == 0', 'EINVAL'),
  c3ExitSignal: makeCheck('copy_clone_args_from_user', FORK, '(args.exit_signal & ~((u64)CSIGNAL)) || !valid_signal(args.exit_signal)', 'EINVAL'),
  c3Cgroup: makeCheck('copy_clone_args_from_user', FORK, '(args.flags & CLONE_INTO_CGROUP) && (args.cgroup > INT_MAX || usize < CLONE_ARGS_SIZE_VER2)', 'EINVAL'),
  c3TidCopy: makeCheck('copy_clone_args_from_user', FORK, 'copy_from_user(kset_tid, args.set_tid, set_tid_size * sizeof(pid_t)) faults', 'EFAULT'),

  // clone3_args_valid()
  vUnknown53: makeCheck('clone3_args_valid', FORK, 'flags & ~CLONE_LEGACY_FLAGS', 'EINVAL'),
  vUnknown55: makeCheck('clone3_args_valid', FORK, 'flags & ~(CLONE_LEGACY_FLAGS | CLONE_CLEAR_SIGHAND)', 'EINVAL'),
  vUnknown57: makeCheck('clone3_args_valid', FORK, 'flags & ~(CLONE_LEGACY_FLAGS | CLONE_CLEAR_SIGHAND | CLONE_INTO_CGROUP)', 'EINVAL'),
  vUnknownPatch: makeCheck('clone3_args_valid', FORK, "flags & ~(CLONE_LEGACY_FLAGS | CLONE_CLEAR_SIGHAND | CLONE_INTO_CGROUP | the patch's new flags)", 'EINVAL'),
  vCsignal53: makeCheck('clone3_args_valid', FORK, 'flags & (CLONE_DETACHED | CSIGNAL)', 'EINVAL'),
  vCsignal56: makeCheck('clone3_args_valid', FORK, 'flags & (CLONE_DETACHED | (CSIGNAL & ~CLONE_NEWTIME))', 'EINVAL'),
  vSighand: makeCheck('clone3_args_valid', FORK, '(flags & (CLONE_SIGHAND | CLONE_CLEAR_SIGHAND)) == (CLONE_SIGHAND | CLONE_CLEAR_SIGHAND)', 'EINVAL'),
  vExitSignal: makeCheck('clone3_args_valid', FORK, '(flags & (CLONE_THREAD | CLONE_PARENT)) && exit_signal', 'EINVAL'),
  vStack: makeCheck('clone3_stack_valid', FORK, '(stack == 0 && stack_size > 0) || (stack != 0 && stack_size == 0) || !access_ok(stack, stack_size)', 'EINVAL'),

  // kernel_clone()
  k1Pidfd: makeCheck('kernel_clone', FORK, '(flags & CLONE_PIDFD) && (flags & CLONE_PARENT_SETTID) && args->pidfd == args->parent_tid', 'EINVAL'),
  k1PidfdDoFork: makeCheck('copy_process', FORK, '(clone_flags & CLONE_PIDFD) && (clone_flags & CLONE_PARENT_SETTID) [legacy: pidfd and parent_tid share parent_tidptr]', 'EINVAL'),

  // copy_process() flag checks
  p1: makeCheck('copy_process', FORK, '(clone_flags & (CLONE_NEWNS|CLONE_FS)) == (CLONE_NEWNS|CLONE_FS)', 'EINVAL'),
  p2: makeCheck('copy_process', FORK, '(clone_flags & (CLONE_NEWUSER|CLONE_FS)) == (CLONE_NEWUSER|CLONE_FS)', 'EINVAL'),
  pDebian: makeCheck('copy_process', FORK, '(clone_flags & CLONE_NEWUSER) && !unprivileged_userns_clone && !capable(CAP_SYS_ADMIN) [Debian sysctl]', 'EPERM'),
  p3: makeCheck('copy_process', FORK, '(clone_flags & CLONE_THREAD) && !(clone_flags & CLONE_SIGHAND)', 'EINVAL'),
  p4: makeCheck('copy_process', FORK, '(clone_flags & CLONE_SIGHAND) && !(clone_flags & CLONE_VM)', 'EINVAL'),
  pRfc: makeCheck('copy_process', FORK, '(clone_flags & CLONE_LONGARG) && (clone_flags & (CLONE_CHILD_SETTID|CLONE_CHILD_CLEARTID))', 'EINVAL'),
  p5: makeCheck('copy_process', FORK, '(clone_flags & CLONE_PARENT) && current->signal->flags & SIGNAL_UNKILLABLE', 'EINVAL'),
  p6: makeCheck('copy_process', FORK, '(clone_flags & CLONE_THREAD) && ((clone_flags & (CLONE_NEWUSER|CLONE_NEWPID)) || task_active_pid_ns(current) != nsp->pid_ns_for_children)', 'EINVAL'),
  p6v38: makeCheck('copy_process', FORK, '(clone_flags & (CLONE_NEWUSER|CLONE_NEWPID)) && (clone_flags & (CLONE_THREAD|CLONE_PARENT))', 'EINVAL'),
  p7: makeCheck('copy_process', FORK, '(clone_flags & (CLONE_THREAD|CLONE_VM)) && nsp->time_ns != nsp->time_ns_for_children', 'EINVAL'),
  p8: makeCheck('copy_process', FORK, '(clone_flags & CLONE_PIDFD) && (clone_flags & (CLONE_DETACHED|CLONE_THREAD))', 'EINVAL'),
  p8v69: makeCheck('copy_process', FORK, '(clone_flags & CLONE_PIDFD) && (clone_flags & CLONE_DETACHED)', 'EINVAL'),

  // the RFC's get_long_clone_arg() (seed patch, kernel/fork.c)
  rfcGetSize: makeCheck('get_long_clone_arg', FORK, 'get_user(size, child_tidptr) faults', 'EFAULT'),
  rfcGetSizeUnshare: makeCheck('get_long_clone_arg', FORK, 'get_user(size, flagptr) faults', 'EFAULT'),
  rfcTooBig: makeCheck('get_long_clone_arg', FORK, 'size > sizeof(struct long_clone_arg)', 'EINVAL'),
  rfcCopy: makeCheck('get_long_clone_arg', FORK, 'copy_from_user(carg, ptr, size) faults', 'EFAULT'),

  // copy_creds() → create_user_ns()
  usernsLevel: makeCheck('create_user_ns', USERNS, 'parent_ns->level > 32', 'ENOSPC'),
  usernsChroot: makeCheck('create_user_ns', USERNS, 'current_chrooted()', 'EPERM'),

  // copy_namespaces() / unshare_nsproxy_namespaces()
  nsCap: makeCheck('copy_namespaces', NSPROXY, '(flags & (CLONE_NEWNS|CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWPID|CLONE_NEWNET|CLONE_NEWCGROUP|CLONE_NEWTIME)) && !ns_capable(user_ns, CAP_SYS_ADMIN) [user_ns: the child\'s, new with CLONE_NEWUSER]', 'EPERM'),
  nsCapOld: makeCheck('copy_namespaces', NSPROXY, '(flags & (CLONE_NEWNS|CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWUSER|CLONE_NEWPID|CLONE_NEWNET)) && !capable(CAP_SYS_ADMIN)', 'EPERM'),
  nsIpcSem: makeCheck('copy_namespaces', NSPROXY, '(flags & (CLONE_NEWIPC|CLONE_SYSVSEM)) == (CLONE_NEWIPC|CLONE_SYSVSEM)', 'EINVAL'),
  pidnsActive: makeCheck('copy_pid_ns', PIDNS, '(flags & CLONE_NEWPID) && task_active_pid_ns(current) != old_ns', 'EINVAL'),
  pidnsThread: makeCheck('copy_pid_ns', 'kernel/pid.c', '(flags & CLONE_NEWPID) && (flags & CLONE_THREAD)', 'EINVAL'),
  pidnsLevel: makeCheck('create_pid_namespace', PIDNS, 'level > MAX_PID_NS_LEVEL', 'ENOSPC'),
  unshareNsCap: makeCheck('unshare_nsproxy_namespaces', NSPROXY, '(flags & (CLONE_NEWNS|CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWNET|CLONE_NEWPID|CLONE_NEWCGROUP|CLONE_NEWTIME)) && !ns_capable(new_cred ? new_cred->user_ns : current_user_ns(), CAP_SYS_ADMIN)', 'EPERM'),
  unshareNsCapOld: makeCheck('unshare_nsproxy_namespaces', NSPROXY, '(flags & (CLONE_NEWNS|CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWUSER|CLONE_NEWNET)) && !capable(CAP_SYS_ADMIN)', 'EPERM'),

  // copy_thread() on x86_64
  tls: makeCheck('do_arch_prctl_64', 'arch/x86/kernel/process_64.c', '(clone_flags & CLONE_SETTLS) && tls >= TASK_SIZE_MAX (ARCH_SET_FS)', 'EPERM'),

  // alloc_pid() with set_tid
  pidSetTidSize: makeCheck('alloc_pid', 'kernel/pid.c', 'set_tid_size > ns->level + 1', 'EINVAL'),

  // after alloc_pid()
  pidfdPut: makeCheck('copy_process', FORK, '(clone_flags & CLONE_PIDFD) && put_user(pidfd, args->pidfd) faults', 'EFAULT'),
  cgroupFd: makeCheck('cgroup_css_set_fork', 'kernel/cgroup/cgroup.c', '(flags & CLONE_INTO_CGROUP) && !fget_raw(kargs->cgroup)', 'EBADF'),
  cgroupWrite: makeCheck('cgroup_may_write', 'kernel/cgroup/cgroup.c', "inode_permission(target cgroup's cgroup.procs, MAY_WRITE) fails", 'EACCES'),

  // unshare
  unshareMask: makeCheck('check_unshare_flags', FORK, 'unshare_flags & ~(CLONE_THREAD|CLONE_FS|CLONE_NEWNS|CLONE_SIGHAND|CLONE_VM|CLONE_FILES|CLONE_SYSVSEM|CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWNET|CLONE_NEWUSER|CLONE_NEWPID|CLONE_NEWCGROUP|CLONE_NEWTIME)', 'EINVAL'),
  unshareMaskPatch: makeCheck('check_unshare_flags', FORK, "unshare_flags & ~(the accepted flags | the patch's new CLONE_NEW* flags)", 'EINVAL'),
  unshareMaskOld: makeCheck('check_unshare_flags', FORK, 'unshare_flags & ~(the flags this kernel can unshare)', 'EINVAL'),
  unshareMask2624: makeCheck('sys_unshare', FORK, 'unshare_flags & ~(CLONE_THREAD|CLONE_FS|CLONE_NEWNS|CLONE_SIGHAND|CLONE_VM|CLONE_FILES|CLONE_SYSVSEM|CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWUSER|CLONE_NEWNET)', 'EINVAL'),
  unshareMaskRfc: makeCheck('sys_unshare', FORK, 'unshare_flags & ~(CLONE_THREAD|CLONE_FS|CLONE_NEWNS|CLONE_SIGHAND|CLONE_VM|CLONE_FILES|CLONE_SYSVSEM|CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWUSER|CLONE_NEWNET|CLONE_LONGARG)', 'EINVAL'),
  unshareThreadGroup: makeCheck('check_unshare_flags', FORK, '(unshare_flags & (CLONE_THREAD|CLONE_SIGHAND|CLONE_VM)) && !thread_group_empty(current)', 'EINVAL'),
  unshareSighandCount: makeCheck('check_unshare_flags', FORK, '(unshare_flags & (CLONE_SIGHAND|CLONE_VM)) && refcount_read(&current->sighand->count) > 1', 'EINVAL'),
  unshareSingle: makeCheck('check_unshare_flags', FORK, '(unshare_flags & CLONE_VM) && !current_is_single_threaded()', 'EINVAL'),
  unshareMmUsers: makeCheck('check_unshare_flags', FORK, '(unshare_flags & (CLONE_THREAD|CLONE_SIGHAND|CLONE_VM)) && atomic_read(&current->mm->mm_users) > 1', 'EINVAL'),
  unshareThread2624: makeCheck('unshare_thread', FORK, 'unshare_flags & CLONE_THREAD', 'EINVAL'),
  unshareSighand2624: makeCheck('unshare_sighand', FORK, '(unshare_flags & CLONE_SIGHAND) && atomic_read(&sigh->count) > 1', 'EINVAL'),
  unshareVm2624: makeCheck('unshare_vm', FORK, '(unshare_flags & CLONE_VM) && atomic_read(&mm->mm_users) > 1', 'EINVAL'),
  unshareSemundo2624: makeCheck('unshare_semundo', FORK, 'unshare_flags & CLONE_SYSVSEM', 'EINVAL'),
  unshareDebian: makeCheck('ksys_unshare', FORK, '(unshare_flags & CLONE_NEWUSER) && !unprivileged_userns_clone && !capable(CAP_SYS_ADMIN) [Debian sysctl]', 'EPERM'),
};

/** A note step (no errno): what the kernel did on the way, e.g. the flags it added. */
export function note(fn: string, file: string, check: string): SimStep {
  return { function: fn, file, check, result: 'note' };
}
