// The clone flag table: every CLONE_* name the simulator knows, its value, the kernels that define it and where it is accepted.
import { versionCode, type VersionRange } from './versions';

export interface CloneFlag {
  name: string;
  value: bigint;
  /** Kernels whose headers define this name with this value (CLONE_STOPPED: 2.6.0-2.6.37; CLONE_LONGARG: the RFC only). */
  defined: VersionRange;
  /** Only in the 2008 RFC's model (CLONE_LONGARG). */
  rfcOnly?: boolean;
  /** May be passed to legacy clone(): the low 32 bits, CSIGNAL excepted. */
  clone: boolean;
  /** Accepted by clone3_args_valid() (where clone3 and the flag exist). */
  clone3: boolean;
  /** In check_unshare_flags()'s accepted mask (6.1). */
  unshare: boolean;
  /** A CLONE_NEW* namespace flag: which namespace. */
  namespace?: string;
  note: string;
}

const v = versionCode;
const ALWAYS: VersionRange = { since: v('2.6.0') };

function flag(
  name: string,
  value: bigint,
  defined: VersionRange,
  where: { clone?: boolean; clone3?: boolean; unshare?: boolean; namespace?: string; rfcOnly?: boolean },
  note: string,
): CloneFlag {
  return {
    name,
    value,
    defined,
    clone: where.clone ?? true,
    clone3: where.clone3 ?? true,
    unshare: where.unshare ?? false,
    ...(where.namespace ? { namespace: where.namespace } : {}),
    ...(where.rfcOnly ? { rfcOnly: true } : {}),
    note,
  };
}

/** CSIGNAL: the low byte of the legacy flags word is the exit signal. */
export const CSIGNAL = 0xffn;
/** CLONE_LEGACY_FLAGS (include/linux/sched/task.h): the 32 bits legacy clone() can carry. */
export const CLONE_LEGACY_FLAGS = 0xffffffffn;

export const CLONE_FLAGS: readonly CloneFlag[] = [
  flag('CLONE_NEWTIME', 0x80n, { since: v('5.6') }, { clone: false, unshare: true, namespace: 'time' }, 'new time namespace; shares bit 7 with CSIGNAL, so legacy clone() reads it as exit-signal bit'),
  flag('CLONE_VM', 0x100n, ALWAYS, { unshare: true }, 'share the address space'),
  flag('CLONE_FS', 0x200n, ALWAYS, { unshare: true }, 'share root, cwd and umask'),
  flag('CLONE_FILES', 0x400n, ALWAYS, { unshare: true }, 'share the file descriptor table'),
  flag('CLONE_SIGHAND', 0x800n, ALWAYS, { unshare: true }, 'share signal handlers'),
  flag('CLONE_PIDFD', 0x1000n, { since: v('5.2') }, {}, 'return a pidfd (legacy clone: through parent_tid); the old CLONE_PID bit, ignored 2.5.16-5.1'),
  flag('CLONE_PTRACE', 0x2000n, ALWAYS, {}, 'let the tracer trace the child too'),
  flag('CLONE_VFORK', 0x4000n, ALWAYS, {}, 'suspend the caller until the child execs or exits'),
  flag('CLONE_PARENT', 0x8000n, ALWAYS, {}, "the child's parent is the caller's parent"),
  flag('CLONE_THREAD', 0x10000n, ALWAYS, { unshare: true }, 'same thread group'),
  flag('CLONE_NEWNS', 0x20000n, ALWAYS, { unshare: true, namespace: 'mnt' }, 'new mount namespace'),
  flag('CLONE_SYSVSEM', 0x40000n, ALWAYS, { unshare: true }, 'share System V semaphore undo values'),
  flag('CLONE_SETTLS', 0x80000n, ALWAYS, {}, 'set the TLS (FS base on x86_64)'),
  flag('CLONE_PARENT_SETTID', 0x100000n, ALWAYS, {}, "store the child's tid at parent_tid"),
  flag('CLONE_CHILD_CLEARTID', 0x200000n, ALWAYS, {}, 'clear child_tid and wake a futex there when the child exits'),
  flag('CLONE_DETACHED', 0x400000n, ALWAYS, { clone3: false }, 'no effect since 2.6.0; rejected by clone3 and with CLONE_PIDFD'),
  flag('CLONE_UNTRACED', 0x800000n, ALWAYS, {}, 'a tracer cannot force CLONE_PTRACE'),
  flag('CLONE_CHILD_SETTID', 0x1000000n, ALWAYS, {}, "store the child's tid at child_tid in the child's memory"),
  flag('CLONE_STOPPED', 0x2000000n, { since: v('2.6.0'), until: v('2.6.38') }, {}, 'start the child stopped (removed in 2.6.38; the bit became CLONE_NEWCGROUP in 4.6)'),
  flag('CLONE_NEWCGROUP', 0x2000000n, { since: v('4.6') }, { unshare: true, namespace: 'cgroup' }, 'new cgroup namespace'),
  flag('CLONE_NEWUTS', 0x4000000n, { since: v('2.6.19') }, { unshare: true, namespace: 'uts' }, 'new UTS namespace'),
  flag('CLONE_NEWIPC', 0x8000000n, { since: v('2.6.19') }, { unshare: true, namespace: 'ipc' }, 'new IPC namespace'),
  flag('CLONE_NEWUSER', 0x10000000n, { since: v('2.6.23') }, { unshare: true, namespace: 'user' }, 'new user namespace'),
  flag('CLONE_NEWPID', 0x20000000n, { since: v('2.6.24') }, { unshare: true, namespace: 'pid' }, 'new pid namespace'),
  flag('CLONE_NEWNET', 0x40000000n, { since: v('2.6.24') }, { unshare: true, namespace: 'net' }, 'new network namespace'),
  flag('CLONE_IO', 0x80000000n, { since: v('2.6.25') }, {}, 'share the I/O context'),
  flag('CLONE_LONGARG', 0x80000000n, ALWAYS, { rfcOnly: true }, "the 2008 RFC: child_tidptr (unshare: the 2nd argument) points to a struct long_clone_arg"),
  flag('CLONE_CLEAR_SIGHAND', 0x100000000n, { since: v('5.5') }, { clone: false }, 'reset every handled signal to SIG_DFL in the child (clone3 only)'),
  flag('CLONE_INTO_CGROUP', 0x200000000n, { since: v('5.7') }, { clone: false }, 'start the child in the cgroup v2 directory given by the cgroup fd (clone3 only)'),
];

const BY_NAME = new Map(CLONE_FLAGS.map((f) => [f.name, f]));

export function cloneFlagByName(name: string): CloneFlag | undefined {
  return BY_NAME.get(name);
}

/** Names of the flags that a kernel of this version (or the RFC) defines, by value, for describing a flags word. */
export function flagsDefinedIn(version: number, rfc: boolean): CloneFlag[] {
  return CLONE_FLAGS.filter((f) => (f.rfcOnly ? rfc : inRange(version, f.defined) && !(rfc && f.value === 0x80000000n)));
}

export function inRange(version: number, range: VersionRange): boolean {
  return version >= range.since && (range.until === undefined || version < range.until);
}

/** Spells a flags word as names (bits a kernel does not define are shown in hex). */
export function describeFlags(flags: bigint, defined: readonly CloneFlag[]): string {
  const names: string[] = [];
  let rest = flags;
  for (const f of defined) {
    if ((rest & f.value) === f.value && f.value !== 0n) {
      names.push(f.name);
      rest &= ~f.value;
    }
  }
  if (rest !== 0n) names.push(`0x${rest.toString(16)}`);
  return names.length > 0 ? names.join('|') : '0';
}
