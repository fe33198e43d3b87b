// The oracle's generated cases: deterministic (seeded) clone, clone3 and unshare calls for `sysarg simulate` input.
import type { CallerContext, FieldValue, SimulateInput, SyscallName } from '../../core/sim/types';

export interface OracleCase {
  /** Stable, readable id, e.g. "clone3/pair/CLONE_VM+CLONE_FS". */
  id: string;
  /** What the case exercises (for the per-group figures). */
  group: string;
  input: SimulateInput;
}

/** Named flags with their 6.1 values (include/uapi/linux/sched.h); the input uses names, the harness needs bits. */
export const FLAG_BITS: Record<string, bigint> = {
  CLONE_NEWTIME: 0x80n, CLONE_VM: 0x100n, CLONE_FS: 0x200n, CLONE_FILES: 0x400n, CLONE_SIGHAND: 0x800n,
  CLONE_PIDFD: 0x1000n, CLONE_PTRACE: 0x2000n, CLONE_VFORK: 0x4000n, CLONE_PARENT: 0x8000n, CLONE_THREAD: 0x10000n,
  CLONE_NEWNS: 0x20000n, CLONE_SYSVSEM: 0x40000n, CLONE_SETTLS: 0x80000n, CLONE_PARENT_SETTID: 0x100000n,
  CLONE_CHILD_CLEARTID: 0x200000n, CLONE_DETACHED: 0x400000n, CLONE_UNTRACED: 0x800000n, CLONE_CHILD_SETTID: 0x1000000n,
  CLONE_NEWCGROUP: 0x2000000n, CLONE_NEWUTS: 0x4000000n, CLONE_NEWIPC: 0x8000000n, CLONE_NEWUSER: 0x10000000n,
  CLONE_NEWPID: 0x20000000n, CLONE_NEWNET: 0x40000000n, CLONE_IO: 0x80000000n, CLONE_CLEAR_SIGHAND: 0x100000000n,
  CLONE_INTO_CGROUP: 0x200000000n,
};

const LEGACY_NAMES = Object.keys(FLAG_BITS).filter((n) => FLAG_BITS[n] > 0xffn && FLAG_BITS[n] <= 0xffffffffn);
const CLONE3_NAMES = Object.keys(FLAG_BITS);
const UNSHARE_NAMES = Object.keys(FLAG_BITS);

/** A cgroup number for CLONE_INTO_CGROUP: the model reads any number up to INT_MAX as an open cgroup2 directory. */
const CGROUP_FD = 3;

type Fields = Record<string, FieldValue>;

/** mulberry32: small, fast, and the same sequence on every machine for a given seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rand: () => number, list: readonly T[], count: number): T[] {
  const chosen = new Set<T>();
  while (chosen.size < count) chosen.add(list[Math.floor(rand() * list.length)]);
  return [...chosen];
}

function hex(value: bigint): string {
  return `0x${value.toString(16)}`;
}

/** Pointer fields the flags write through, valid unless the case is about a bad one. */
function clone3Fields(flags: string[]): Fields {
  const f: Fields = {};
  if (flags.includes('CLONE_PIDFD')) f.pidfd = 'ptr';
  if (flags.includes('CLONE_PARENT_SETTID')) f.parent_tid = 'ptr';
  if (flags.includes('CLONE_CHILD_SETTID') || flags.includes('CLONE_CHILD_CLEARTID')) f.child_tid = 'ptr';
  if (flags.includes('CLONE_SETTLS')) f.tls = 'ptr';
  if (flags.includes('CLONE_INTO_CGROUP')) f.cgroup = CGROUP_FD;
  // exit_signal must be 0 with CLONE_THREAD/CLONE_PARENT in clone3; SIGCHLD otherwise, like fork()
  f.exit_signal = flags.includes('CLONE_THREAD') || flags.includes('CLONE_PARENT') ? 0 : 17;
  return f;
}

function legacyFields(flags: string[]): Fields {
  const f: Fields = { exit_signal: 17 };
  if (flags.includes('CLONE_PIDFD') || flags.includes('CLONE_PARENT_SETTID')) f.parent_tid = 'ptr';
  if (flags.includes('CLONE_CHILD_SETTID') || flags.includes('CLONE_CHILD_CLEARTID')) f.child_tid = 'ptr';
  if (flags.includes('CLONE_SETTLS')) f.tls = 'ptr';
  return f;
}

class Builder {
  readonly cases: OracleCase[] = [];
  private readonly ids = new Set<string>();

  add(group: string, id: string, input: Omit<SimulateInput, 'kernel'>): void {
    let unique = `${input.syscall}/${group}/${id}`;
    for (let n = 2; this.ids.has(unique); n++) unique = `${input.syscall}/${group}/${id}#${n}`;
    this.ids.add(unique);
    this.cases.push({ id: unique, group: `${input.syscall}/${group}`, input: { kernel: 'host', ...input } });
  }

  clone3(group: string, id: string, flags: string[] | string, extra: Partial<SimulateInput> = {}): void {
    const names = Array.isArray(flags) ? flags : [];
    this.add(group, id, { syscall: 'clone3', flags, size: 88, fields: clone3Fields(names), ...extra });
  }

  clone(group: string, id: string, flags: string[] | string, extra: Partial<SimulateInput> = {}): void {
    const names = Array.isArray(flags) ? flags : [];
    const fields = Array.isArray(flags) ? legacyFields(names) : legacyFields([]);
    if (!Array.isArray(flags)) delete fields.exit_signal; // a raw number carries its own exit signal byte
    this.add(group, id, { syscall: 'clone', flags, fields, ...extra });
  }

  unshare(group: string, id: string, flags: string[] | string, extra: Partial<SimulateInput> = {}): void {
    this.add(group, id, { syscall: 'unshare', flags, ...extra });
  }
}

export function generateCases(seed = 20080116): OracleCase[] {
  const rand = random(seed);
  const b = new Builder();
  singleBits(b);
  namedFlags(b);
  randomCombinations(b, rand);
  knownConflicts(b);
  clone3Sizes(b);
  exitSignals(b);
  setTid(b);
  badPointers(b);
  contexts(b, rand);
  callerState(b);
  nestingLimits(b);
  argumentPointers(b);
  randomMix(b, rand);
  return b.cases;
}

/** Every bit of the word on its own, as a raw number (CSIGNAL bits, bit 31, 32, 33, 34 and beyond). */
function singleBits(b: Builder): void {
  const bits = [...Array.from({ length: 36 }, (_, i) => i), 40, 48, 63];
  for (const bit of bits) {
    const value = hex(1n << BigInt(bit));
    b.clone3('bit', `bit${bit}`, value);
    b.unshare('bit', `bit${bit}`, value);
    // legacy clone: the low byte is the exit signal; the flag bits go above SIGCHLD (bits 0-7 make the signal itself)
    if (bit >= 8) b.clone('bit', `bit${bit}`, hex((1n << BigInt(bit)) | 17n));
  }
}

/** Each named flag with the pointer fields it needs. */
function namedFlags(b: Builder): void {
  for (const name of CLONE3_NAMES) b.clone3('flag', name, [name]);
  for (const name of LEGACY_NAMES) b.clone('flag', name, [name]);
  for (const name of UNSHARE_NAMES) b.unshare('flag', name, [name]);
}

function randomCombinations(b: Builder, rand: () => number): void {
  const rounds: [SyscallName, readonly string[], number, number][] = [
    ['clone3', CLONE3_NAMES, 2, 45],
    ['clone3', CLONE3_NAMES, 3, 20],
    ['clone', LEGACY_NAMES, 2, 40],
    ['clone', LEGACY_NAMES, 3, 15],
    ['unshare', UNSHARE_NAMES, 2, 35],
    ['unshare', UNSHARE_NAMES, 3, 10],
  ];
  for (const [syscall, names, width, count] of rounds) {
    const group = width === 2 ? 'pair' : 'triple';
    for (let i = 0; i < count; i++) {
      const flags = pick(rand, names, width).sort((x, y) => (FLAG_BITS[x] < FLAG_BITS[y] ? -1 : 1));
      b[syscall](group, flags.join('+'), flags);
    }
  }
}

function knownConflicts(b: Builder): void {
  const conflicts: string[][] = [
    ['CLONE_NEWNS', 'CLONE_FS'],
    ['CLONE_NEWUSER', 'CLONE_FS'],
    ['CLONE_THREAD'],
    ['CLONE_THREAD', 'CLONE_SIGHAND'],
    ['CLONE_SIGHAND'],
    ['CLONE_THREAD', 'CLONE_SIGHAND', 'CLONE_VM'],
    ['CLONE_THREAD', 'CLONE_SIGHAND', 'CLONE_VM', 'CLONE_NEWPID'],
    ['CLONE_THREAD', 'CLONE_SIGHAND', 'CLONE_VM', 'CLONE_NEWUSER'],
    ['CLONE_THREAD', 'CLONE_SIGHAND', 'CLONE_VM', 'CLONE_PIDFD'],
    ['CLONE_PIDFD', 'CLONE_DETACHED'],
    ['CLONE_PIDFD', 'CLONE_PARENT_SETTID'],
    ['CLONE_NEWIPC', 'CLONE_SYSVSEM'],
    ['CLONE_NEWPID', 'CLONE_PARENT'],
    ['CLONE_NEWUSER', 'CLONE_PARENT'],
    ['CLONE_VFORK', 'CLONE_VM'],
    ['CLONE_SIGHAND', 'CLONE_VM', 'CLONE_CLEAR_SIGHAND'],
    ['CLONE_CLEAR_SIGHAND'],
    ['CLONE_NEWUSER', 'CLONE_NEWNS', 'CLONE_NEWPID', 'CLONE_NEWNET', 'CLONE_NEWUTS', 'CLONE_NEWIPC', 'CLONE_NEWCGROUP'],
    ['CLONE_NEWTIME', 'CLONE_VM'],
    ['CLONE_NEWTIME', 'CLONE_THREAD', 'CLONE_SIGHAND', 'CLONE_VM'],
  ];
  for (const flags of conflicts) {
    const names = flags.filter((n) => FLAG_BITS[n] <= 0xffffffffn);
    b.clone3('conflict', flags.join('+'), flags);
    if (names.length === flags.length) b.clone('conflict', flags.join('+'), flags);
    b.unshare('conflict', flags.join('+'), flags);
  }
  // clone3: pidfd and parent_tid are separate fields; equal pointers are what kernel_clone() rejects
  b.clone3('conflict', 'PIDFD+PARENT_SETTID-same-pointer', ['CLONE_PIDFD', 'CLONE_PARENT_SETTID'], {
    fields: { pidfd: 4096, parent_tid: 4096, exit_signal: 17 },
  });
  b.clone3('conflict', 'THREAD-with-exit_signal', ['CLONE_THREAD', 'CLONE_SIGHAND', 'CLONE_VM'], {
    fields: { exit_signal: 17 },
  });
  b.clone3('conflict', 'PARENT-with-exit_signal', ['CLONE_PARENT'], { fields: { exit_signal: 17 } });
  b.clone3('conflict', 'INTO_CGROUP-size80', ['CLONE_INTO_CGROUP'], { size: 80, fields: { cgroup: CGROUP_FD, exit_signal: 17 } });
  b.clone3('conflict', 'INTO_CGROUP-cgroup>INT_MAX', ['CLONE_INTO_CGROUP'], { fields: { cgroup: 2147483648, exit_signal: 17 } });
  b.clone3('conflict', 'INTO_CGROUP-cgroup=INT_MAX', ['CLONE_INTO_CGROUP'], { fields: { cgroup: 2147483647, exit_signal: 17 } });
  b.clone3('conflict', 'DETACHED+CSIGNAL-bits', hex(FLAG_BITS.CLONE_DETACHED | 0x11n));
  b.clone3('conflict', 'INTO_CGROUP-fd-not-open', ['CLONE_INTO_CGROUP'], { fields: { cgroup: 'bad', exit_signal: 17 } });
  b.clone3('conflict', 'INTO_CGROUP-unprivileged', ['CLONE_INTO_CGROUP'], { fields: { cgroup: CGROUP_FD, exit_signal: 17 }, context: { privileged: false } });
  b.clone3('conflict', 'INTO_CGROUP+THREAD', ['CLONE_INTO_CGROUP', 'CLONE_THREAD', 'CLONE_SIGHAND', 'CLONE_VM'], { fields: { cgroup: CGROUP_FD } });
  b.clone3('conflict', 'INTO_CGROUP-fd-not-open+NEWUSER-unprivileged', ['CLONE_INTO_CGROUP', 'CLONE_NEWUSER'], {
    fields: { cgroup: 'bad', exit_signal: 17 },
    context: { privileged: false },
  });
  b.clone3('conflict', 'cgroup-fd-not-open-without-flag', [], { fields: { cgroup: 'bad', exit_signal: 17 } });
}

/** clone3 sizes around every published version and PAGE_SIZE, each with a zero and a non-zero tail. */
function clone3Sizes(b: Builder): void {
  const sizes = [0, 1, 8, 32, 56, 63, 64, 65, 72, 79, 80, 87, 88, 89, 96, 104, 128, 256, 4095, 4096, 4097, 8192, 65536];
  for (const size of sizes) {
    b.clone3('size', `size${size}-zero`, [], { size, tail: 'zero' });
    if (size > 88) b.clone3('size', `size${size}-nonzero`, [], { size, tail: 'nonzero' });
  }
  b.clone3('size', 'size4097-nonzero-flags', ['CLONE_NEWPID'], { size: 4097, tail: 'nonzero' });
  b.clone3('size', 'size63-with-bad-flags', hex(1n << 40n), { size: 63 });
  b.clone3('size', 'size96-nonzero-with-bad-flags', hex(1n << 40n), { size: 96, tail: 'nonzero' });
  b.clone3('size', 'size64-pidfd', ['CLONE_PIDFD'], { size: 64 });
  b.clone3('size', 'size72-settid', ['CLONE_PARENT_SETTID', 'CLONE_CHILD_SETTID'], { size: 72 });
}

function exitSignals(b: Builder): void {
  for (const sig of [0, 1, 17, 31, 32, 63, 64, 65, 127, 128, 255, 256, 4294967313]) {
    b.clone3('exit-signal', `sig${sig}`, [], { fields: { exit_signal: sig } });
  }
  b.clone3('exit-signal', 'sig64-thread', ['CLONE_THREAD', 'CLONE_SIGHAND', 'CLONE_VM'], { fields: { exit_signal: 64 } });
  b.clone3('exit-signal', 'sig65-parent', ['CLONE_PARENT'], { fields: { exit_signal: 65 } });
  // legacy clone: the raw first argument's low byte, never validated (65..255 are accepted)
  for (const sig of [0, 1, 17, 64, 65, 127, 128, 129, 255]) {
    b.clone('exit-signal', `raw-sig${sig}`, hex(BigInt(sig)));
    b.clone('exit-signal', `named-sig${sig}`, ['CLONE_FILES'], { fields: { exit_signal: sig } });
  }
  b.clone('exit-signal', 'raw-sig17+thread', hex(FLAG_BITS.CLONE_THREAD | FLAG_BITS.CLONE_SIGHAND | FLAG_BITS.CLONE_VM | 17n));
  b.clone('exit-signal', 'raw-NEWTIME-is-signal-128', hex(0x80n));
}

/** set_tid / set_tid_size: the size rules, the value rules, the capability rule, per pid namespace level. */
function setTid(b: Builder): void {
  const root: CallerContext = { privileged: true };
  const user: CallerContext = { privileged: false };
  const variants: [string, Fields, string[], CallerContext][] = [
    ['size1-no-array', { set_tid_size: 1 }, [], root],
    ['array-size0', { set_tid: [5000], set_tid_size: 0 }, [], root],
    ['size33', { set_tid: [1], set_tid_size: 33 }, ['CLONE_NEWPID'], root],
    ['size32', { set_tid: [1], set_tid_size: 32 }, ['CLONE_NEWPID'], root],
    ['newpid-1', { set_tid: [1], set_tid_size: 1 }, ['CLONE_NEWPID'], root],
    ['newpid-2', { set_tid: [2], set_tid_size: 1 }, ['CLONE_NEWPID'], root],
    ['newpid-size3', { set_tid: [1, 5000, 5001], set_tid_size: 3 }, ['CLONE_NEWPID'], root],
    ['newpid-0', { set_tid: [0], set_tid_size: 1 }, ['CLONE_NEWPID'], root],
    ['newpid-negative', { set_tid: [-1], set_tid_size: 1 }, ['CLONE_NEWPID'], root],
    ['newpid-pid_max_limit', { set_tid: [4194304], set_tid_size: 1 }, ['CLONE_NEWPID'], root],
    ['host-1-in-use', { set_tid: [1], set_tid_size: 1 }, [], root],
    ['host-0', { set_tid: [0], set_tid_size: 1 }, [], root],
    ['host-pid_max_limit', { set_tid: [4194304], set_tid_size: 1 }, [], root],
    ['host-size2', { set_tid: [5000, 5001], set_tid_size: 2 }, [], root],
    ['user-newpid-1', { set_tid: [1], set_tid_size: 1 }, ['CLONE_NEWPID'], user],
    ['user-host-0', { set_tid: [0], set_tid_size: 1 }, [], user],
    ['user-newuser-newpid-1', { set_tid: [1], set_tid_size: 1 }, ['CLONE_NEWUSER', 'CLONE_NEWPID'], user],
    ['root-newuser-newpid-1', { set_tid: [1], set_tid_size: 1 }, ['CLONE_NEWUSER', 'CLONE_NEWPID'], root],
    ['bad-array', { set_tid: 'bad', set_tid_size: 1 }, ['CLONE_NEWPID'], root],
    ['ptr-zeroes', { set_tid: 'ptr', set_tid_size: 1 }, ['CLONE_NEWPID'], root],
    ['bad-array-size0', { set_tid: 'bad', set_tid_size: 0 }, [], root],
  ];
  for (const [id, fields, flags, context] of variants) {
    b.clone3('set-tid', id, flags, { fields: { exit_signal: 17, ...fields }, context });
  }
  // inside a fresh pid namespace (level 1, caller is not its init): pids there are free, the host level is not ours
  const nested: CallerContext = { privileged: true, pidNamespaceLevel: 1 };
  b.clone3('set-tid', 'level1-size1-free', [], { fields: { exit_signal: 17, set_tid: [5000], set_tid_size: 1 }, context: nested });
  b.clone3('set-tid', 'level1-size1-pid1-in-use', [], { fields: { exit_signal: 17, set_tid: [1], set_tid_size: 1 }, context: nested });
  b.clone3('set-tid', 'level1-size3-newpid', ['CLONE_NEWPID'], { fields: { exit_signal: 17, set_tid: [1, 5000, 4194304], set_tid_size: 3 }, context: nested });
  b.clone3('set-tid', 'level1-size4-newpid', ['CLONE_NEWPID'], { fields: { exit_signal: 17, set_tid: [1, 5000, 5001, 5002], set_tid_size: 4 }, context: nested });
  const inUserNs: CallerContext = { privileged: true, pidNamespaceLevel: 1, userNamespaceLevel: 1 };
  b.clone3('set-tid', 'userns1-level1-size1', [], { fields: { exit_signal: 17, set_tid: [5000], set_tid_size: 1 }, context: inUserNs });
  b.clone3('set-tid', 'userns1-level1-size2-host-level', ['CLONE_NEWPID'], {
    fields: { exit_signal: 17, set_tid: [1, 5000, 4194304], set_tid_size: 3 },
    context: inUserNs,
  });
  b.clone3('set-tid', 'userns1-host-pidns', [], {
    fields: { exit_signal: 17, set_tid: [5000], set_tid_size: 1 },
    context: { privileged: true, userNamespaceLevel: 1 },
  });
}

function badPointers(b: Builder): void {
  const cases: [string, string[], Fields][] = [
    ['pidfd-bad', ['CLONE_PIDFD'], { pidfd: 'bad' }],
    ['pidfd-null', ['CLONE_PIDFD'], { pidfd: 0 }],
    ['parent_tid-bad', ['CLONE_PARENT_SETTID'], { parent_tid: 'bad' }],
    ['child_tid-bad', ['CLONE_CHILD_SETTID'], { child_tid: 'bad' }],
    ['child_tid-bad-clear', ['CLONE_CHILD_CLEARTID'], { child_tid: 'bad' }],
    ['stack-ptr-size0', [], { stack: 'ptr', stack_size: 0 }],
    ['stack-0-size', [], { stack: 0, stack_size: 4096 }],
    ['stack-ptr-size', [], { stack: 'ptr', stack_size: 65536 }],
    ['stack-bad-size', [], { stack: 'bad', stack_size: 4096 }],
    ['stack-kernel-half', [], { stack: '0xffff800000000000', stack_size: 4096 }],
    ['stack-ptr-huge-size', [], { stack: 'ptr', stack_size: '0x800000000000' }],
    ['tls-bad', ['CLONE_SETTLS'], { tls: 'bad' }],
    ['tls-kernel-half', ['CLONE_SETTLS'], { tls: '0xffff800000000000' }],
    ['tls-null', ['CLONE_SETTLS'], { tls: 0 }],
  ];
  for (const [id, flags, fields] of cases) {
    b.clone3('pointer', id, flags, { fields: { exit_signal: 17, ...fields } });
  }
  const legacy: [string, string[], Fields][] = [
    ['pidfd-via-parent_tid-null', ['CLONE_PIDFD'], {}],
    ['pidfd-via-parent_tid-bad', ['CLONE_PIDFD'], { parent_tid: 'bad' }],
    ['parent_tid-bad', ['CLONE_PARENT_SETTID'], { parent_tid: 'bad' }],
    ['tls-kernel-half', ['CLONE_SETTLS'], { tls: '0xffff800000000000' }],
    ['stack-bad', [], { stack: 'bad' }],
  ];
  for (const [id, flags, fields] of legacy) {
    b.add('pointer', id, { syscall: 'clone', flags, fields: { exit_signal: 17, ...fields } });
  }
}

/** The caller context: unprivileged, threaded, nested pid/user namespaces, pid-namespace init. */
function contexts(b: Builder, rand: () => number): void {
  const user: CallerContext = { privileged: false };
  const nsFlags = ['CLONE_NEWNS', 'CLONE_NEWUTS', 'CLONE_NEWIPC', 'CLONE_NEWNET', 'CLONE_NEWPID', 'CLONE_NEWCGROUP', 'CLONE_NEWTIME', 'CLONE_NEWUSER'];
  for (const ns of nsFlags) {
    b.clone3('unprivileged', ns, [ns], { context: user });
    b.unshare('unprivileged', ns, [ns], { context: user });
    if (ns !== 'CLONE_NEWUSER') {
      b.clone3('unprivileged', `NEWUSER+${ns}`, ['CLONE_NEWUSER', ns], { context: user });
      b.unshare('unprivileged', `NEWUSER+${ns}`, ['CLONE_NEWUSER', ns], { context: user });
    }
    if (ns !== 'CLONE_NEWTIME') b.clone('unprivileged', ns, [ns], { context: user });
  }
  for (const flags of [
    ['CLONE_NEWIPC', 'CLONE_SYSVSEM'], ['CLONE_NEWUSER', 'CLONE_NEWIPC', 'CLONE_SYSVSEM'], ['CLONE_PARENT'],
    ['CLONE_THREAD', 'CLONE_SIGHAND', 'CLONE_VM'], ['CLONE_PIDFD'], ['CLONE_NEWNS', 'CLONE_FS'], ['CLONE_NEWUSER', 'CLONE_FS'],
  ]) {
    b.clone3('unprivileged', flags.join('+'), flags, { context: user });
    b.clone('unprivileged', flags.join('+'), flags, { context: user });
  }
  b.clone3('unprivileged', 'random-unknown-bit', hex(1n << 34n), { context: user });
  for (const flags of pick(rand, UNSHARE_NAMES, 8).map((n) => [n])) b.unshare('unprivileged', flags.join('+'), flags, { context: user });

  const threaded: CallerContext = { threads: 3 };
  for (const flags of [
    [], ['CLONE_VM'], ['CLONE_SIGHAND'], ['CLONE_THREAD'], ['CLONE_NEWUSER'], ['CLONE_NEWNS'], ['CLONE_FS'], ['CLONE_FILES'],
    ['CLONE_NEWPID'], ['CLONE_SYSVSEM'],
  ]) {
    b.unshare('threads', flags.join('+') || 'none', flags, { context: threaded });
  }
  b.unshare('threads', 'NEWUSER-unprivileged', ['CLONE_NEWUSER'], { context: { threads: 2, privileged: false } });
  b.clone('threads', 'THREAD+SIGHAND+VM', ['CLONE_THREAD', 'CLONE_SIGHAND', 'CLONE_VM'], { context: threaded });
  b.clone3('threads', 'NEWUSER', ['CLONE_NEWUSER'], { context: threaded });
  b.clone3('threads', 'VFORK+VM', ['CLONE_VFORK', 'CLONE_VM'], { context: threaded });

  const nested: CallerContext = { pidNamespaceLevel: 1 };
  const init: CallerContext = { pidNamespaceLevel: 1, isInit: true };
  const deep: CallerContext = { pidNamespaceLevel: 3 };
  for (const [name, context] of [['pidns1', nested], ['pidns1-init', init], ['pidns3', deep]] as const) {
    b.clone3(name, 'PARENT', ['CLONE_PARENT'], { context });
    b.clone(name, 'PARENT', ['CLONE_PARENT'], { context });
    b.clone3(name, 'NEWPID', ['CLONE_NEWPID'], { context });
    b.clone3(name, 'THREAD+SIGHAND+VM', ['CLONE_THREAD', 'CLONE_SIGHAND', 'CLONE_VM'], { context });
    b.unshare(name, 'NEWPID', ['CLONE_NEWPID'], { context });
    b.clone3(name, 'none', [], { context });
  }
  b.clone3('pidns1-init', 'PARENT-unprivileged', ['CLONE_PARENT'], { context: { ...init, privileged: false } });

  const userns: CallerContext = { userNamespaceLevel: 1 };
  const userns2: CallerContext = { userNamespaceLevel: 2 };
  const usernsUser: CallerContext = { userNamespaceLevel: 1, privileged: false };
  for (const [name, context] of [['userns1', userns], ['userns2', userns2], ['userns1-unprivileged', usernsUser]] as const) {
    for (const flags of [['CLONE_NEWNET'], ['CLONE_NEWPID'], ['CLONE_NEWUSER'], ['CLONE_NEWUSER', 'CLONE_NEWNS'], ['CLONE_NEWNS']]) {
      b.clone3(name, flags.join('+'), flags, { context });
      b.unshare(name, flags.join('+'), flags, { context });
    }
  }
  b.clone3('userns1+pidns1-init', 'PARENT', ['CLONE_PARENT'], { context: { userNamespaceLevel: 1, pidNamespaceLevel: 1, isInit: true } });
  b.clone3('userns1+pidns2', 'NEWPID', ['CLONE_NEWPID'], { context: { userNamespaceLevel: 1, pidNamespaceLevel: 2 } });
}

/** Caller state beyond privileges: pending time/pid namespaces, shared mm and handlers, chroot, pids in use. */
function callerState(b: Builder): void {
  const timens: CallerContext = { timeNamespaceForChildren: true };
  for (const flags of [[], ['CLONE_VM'], ['CLONE_THREAD', 'CLONE_SIGHAND', 'CLONE_VM'], ['CLONE_VFORK', 'CLONE_VM'], ['CLONE_NEWTIME']]) {
    const id = flags.join('+') || 'none';
    b.clone3('timens-pending', id, flags, { context: timens });
    if (!flags.includes('CLONE_NEWTIME')) b.clone('timens-pending', id, flags, { context: timens });
  }
  b.unshare('timens-pending', 'NEWTIME', ['CLONE_NEWTIME'], { context: timens });
  const pidns: CallerContext = { pidNamespaceForChildren: true };
  for (const flags of [[], ['CLONE_NEWPID'], ['CLONE_THREAD', 'CLONE_SIGHAND', 'CLONE_VM'], ['CLONE_PARENT'], ['CLONE_NEWUSER']]) {
    const id = flags.join('+') || 'none';
    b.clone3('pidns-pending', id, flags, { context: pidns });
    b.clone('pidns-pending', id, flags, { context: pidns });
  }
  b.unshare('pidns-pending', 'NEWPID', ['CLONE_NEWPID'], { context: pidns });
  b.clone3('pidns-pending', 'set_tid-2', [], { fields: { exit_signal: 17, set_tid: [2], set_tid_size: 1 }, context: pidns });
  b.clone3('pidns-pending', 'set_tid-1', [], { fields: { exit_signal: 17, set_tid: [1], set_tid_size: 1 }, context: pidns });
  b.clone3('pidns-pending', 'set_tid-1-size2', [], { fields: { exit_signal: 17, set_tid: [1, 5000], set_tid_size: 2 }, context: pidns });

  const shared: [string, CallerContext][] = [
    ['shared-vm', { sharedVm: true }],
    ['shared-sighand', { sharedVm: true, sharedSighand: true }],
  ];
  for (const [group, context] of shared) {
    for (const flags of [['CLONE_VM'], ['CLONE_SIGHAND'], ['CLONE_THREAD'], ['CLONE_FS'], ['CLONE_NEWUSER'], ['CLONE_NEWNS']]) {
      b.unshare(group, flags.join('+'), flags, { context });
    }
    b.clone3(group, 'THREAD+SIGHAND+VM', ['CLONE_THREAD', 'CLONE_SIGHAND', 'CLONE_VM'], { context });
    b.clone(group, 'none', [], { context });
  }
  b.unshare('shared-vm', 'VM-threads', ['CLONE_VM'], { context: { sharedVm: true, threads: 2 } });
  b.unshare('shared-vm', 'SIGHAND-unprivileged', ['CLONE_SIGHAND'], { context: { sharedVm: true, sharedSighand: true, privileged: false } });
  b.clone3('shared-vm', 'VM-unprivileged-pidns-pending', ['CLONE_VM'], { context: { sharedVm: true, privileged: false, pidNamespaceForChildren: true } });

  for (const context of [{ chrooted: true }, { chrooted: true, privileged: false }] as CallerContext[]) {
    const group = context.privileged === false ? 'chroot-unprivileged' : 'chroot';
    b.clone3(group, 'NEWUSER', ['CLONE_NEWUSER'], { context });
    b.clone(group, 'NEWUSER', ['CLONE_NEWUSER'], { context });
    b.unshare(group, 'NEWUSER', ['CLONE_NEWUSER'], { context });
    b.clone3(group, 'NEWNS', ['CLONE_NEWNS'], { context });
  }

  const taken: CallerContext = { pidNamespaceLevel: 1, pidsInUse: [300, 301] };
  b.clone3('pids-in-use', 'taken', [], { fields: { exit_signal: 17, set_tid: [300], set_tid_size: 1 }, context: taken });
  b.clone3('pids-in-use', 'free', [], { fields: { exit_signal: 17, set_tid: [302], set_tid_size: 1 }, context: taken });
  b.clone3('pids-in-use', 'taken-unprivileged', [], {
    fields: { exit_signal: 17, set_tid: [301], set_tid_size: 1 },
    context: { ...taken, privileged: false },
  });
  b.clone3('pids-in-use', 'init-pid-1', [], {
    fields: { exit_signal: 17, set_tid: [1], set_tid_size: 1 },
    context: { pidNamespaceLevel: 2, isInit: true, pidsInUse: [7] },
  });
}

/** The deepest namespaces the kernel allows: 32 pid levels, 33 user levels (ENOSPC one further). */
function nestingLimits(b: Builder): void {
  b.clone3('nesting', 'pidns31+NEWPID', ['CLONE_NEWPID'], { context: { pidNamespaceLevel: 31 } });
  b.clone3('nesting', 'pidns32+NEWPID', ['CLONE_NEWPID'], { context: { pidNamespaceLevel: 32 } });
  b.unshare('nesting', 'pidns32+NEWPID', ['CLONE_NEWPID'], { context: { pidNamespaceLevel: 32 } });
  b.clone3('nesting', 'userns32+NEWUSER', ['CLONE_NEWUSER'], { context: { userNamespaceLevel: 32 } });
  b.clone3('nesting', 'userns33+NEWUSER', ['CLONE_NEWUSER'], { context: { userNamespaceLevel: 33 } });
  b.unshare('nesting', 'userns33+NEWUSER', ['CLONE_NEWUSER'], { context: { userNamespaceLevel: 33 } });
  b.clone3('nesting', 'userns33+NEWNET', ['CLONE_NEWNET'], { context: { userNamespaceLevel: 33 } });
}

/** clone3's struct pointer itself, and bit 31 with a long argument (the RFC's CLONE_LONGARG) on a real kernel. */
function argumentPointers(b: Builder): void {
  for (const size of [88, 64, 63, 4096, 4097]) b.clone3('args-pointer', `bad-size${size}`, [], { size, argsPointer: 'bad' });
  b.clone3('args-pointer', 'bad-size96-nonzero', [], { size: 96, tail: 'nonzero', argsPointer: 'bad' });
  for (const [size, tail] of [[4, 'zero'], [8, 'zero'], [8, 'nonzero']] as const) {
    b.add('longarg', `clone-bit31-size${size}-${tail}`, { syscall: 'clone', flags: hex(0x80000000n | 17n), size, tail });
    b.add('longarg', `unshare-bit31-size${size}-${tail}`, { syscall: 'unshare', flags: hex(0x80000000n), size, tail });
  }
  b.add('longarg', 'clone-bit31-bad-pointer', { syscall: 'clone', flags: hex(0x80000000n | 17n), size: 4, argsPointer: 'bad' });
  b.add('longarg', 'clone-bit31-child-settid', { syscall: 'clone', flags: hex(0x80000000n | FLAG_BITS.CLONE_CHILD_SETTID | 17n), size: 4 });
}

/** Random calls in random caller contexts: where rules meet (namespaces x privileges x threads x pending state). */
function randomMix(b: Builder, rand: () => number): void {
  const chance = (p: number): boolean => rand() < p;
  const one = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  for (let i = 0; i < 200; i++) {
    const syscall = one(['clone', 'clone3', 'unshare'] as const);
    const names = syscall === 'clone' ? LEGACY_NAMES : CLONE3_NAMES;
    const flags = pick(rand, names, 1 + Math.floor(rand() * 4)).sort((x, y) => (FLAG_BITS[x] < FLAG_BITS[y] ? -1 : 1));
    const pidNamespaceLevel = chance(0.3) ? 1 + Math.floor(rand() * 2) : 0;
    const context: CallerContext = {
      privileged: chance(0.6),
      threads: chance(0.2) ? 2 : 1,
      pidNamespaceLevel,
      userNamespaceLevel: chance(0.3) ? 1 + Math.floor(rand() * 2) : 0,
      isInit: pidNamespaceLevel > 0 && chance(0.4),
      timeNamespaceForChildren: chance(0.1),
      pidNamespaceForChildren: chance(0.1),
      chrooted: chance(0.1),
    };
    if (chance(0.1)) Object.assign(context, { sharedVm: true, sharedSighand: chance(0.5) });
    const id = `${flags.join('+')}@${i}`;
    if (syscall === 'unshare') {
      b.unshare('mix', id, flags, { context });
      continue;
    }
    if (syscall === 'clone') {
      b.clone('mix', id, flags, { context, fields: { ...legacyFields(flags), exit_signal: one([0, 17, 17, 64, 65]) } });
      continue;
    }
    const fields: Fields = { ...clone3Fields(flags) };
    if (chance(0.2)) fields.exit_signal = one([0, 17, 64, 65]);
    if (chance(0.15)) Object.assign(fields, { set_tid: [1, 5000].slice(0, 1 + Math.floor(rand() * 2)), set_tid_size: 1 + Math.floor(rand() * 2) });
    const size = chance(0.2) ? one([64, 72, 80, 96, 4096]) : 88;
    b.clone3('mix', id, flags, { context, fields, size, tail: size > 88 && chance(0.5) ? 'nonzero' : 'zero' });
  }
}
