// The simulator: walks every check a kernel model makes for a clone, clone3 or unshare call, in source order; the first failing one decides.
import type { CheckRef, NormalizedCall, NormalizedField, SimStep, SimulateOptions, SimulateOutput, StructView } from './types';
import { C, makeCheck, note, type Check } from './checks';
import { memberEnd, resolveKernel, type KernelModel, type StructModel } from './kernels';
import { normalizeInput } from './input';
import { buildOutcome, collectEntryWarnings } from './outcome';
import { F, H, PAGE_SIZE, TASK_SIZE_MAX, hi32, lo32, writable } from './bits';

const MAX_PID_NS_LEVEL = 32;
const INT_MAX = 0x7fffffffn;

/** The caller context with every default filled in (normalizeInput fills it). */
export type Ctx = NormalizedCall['context'];

/** Masks of a model as 32-bit halves, computed once per model. */
interface Masks {
  c3Lo: number;
  c3Hi: number;
  unLo: number;
  unHi: number;
  nsLo: number;
  nsHi: number;
  known: number;
}

const maskCache = new WeakMap<KernelModel, Masks>();

function masksOf(m: KernelModel): Masks {
  let masks = maskCache.get(m);
  if (!masks) {
    let ns = 0n;
    for (const f of m.nsproxyFlags) ns |= f.value;
    masks = {
      c3Lo: lo32(m.clone3Accepted),
      c3Hi: hi32(m.clone3Accepted),
      unLo: lo32(m.unshareAccepted),
      unHi: hi32(m.unshareAccepted),
      nsLo: lo32(ns),
      nsHi: hi32(ns),
      known: lo32(m.knownLegacyBits),
    };
    maskCache.set(m, masks);
  }
  return masks;
}

/** One simulation in progress. */
export class Run {
  readonly steps: SimStep[] = [];
  readonly warnings: string[] = [];
  errno: string | null = null;
  decidedBy: CheckRef | null = null;
  /** The flags word as the kernel sees it after the entry point (legacy: low 32 bits without CSIGNAL). */
  lo = 0;
  hi = 0;
  exitSignal = 0;
  /** Flags unshare added on its own (for the outcome). */
  implied = 0;
  struct: StructView | null = null;
  /** The arguments kernel_clone() used, kept for the outcome. */
  args: CloneArgs | null = null;
  readonly masks: Masks;

  constructor(
    readonly m: KernelModel,
    readonly c: NormalizedCall,
    readonly ctx: Ctx,
    /** Userspace's view of the argument struct (the newest layout, the author's included). */
    readonly layout: StructModel | null,
  ) {
    this.masks = masksOf(m);
  }

  /** Records a check; returns true when it failed (and so decided the call). */
  check(ch: Check, failed: boolean): boolean {
    if (failed) {
      this.steps.push(ch.fail);
      this.errno = ch.errno;
      this.decidedBy = ch.ref;
      return true;
    }
    this.steps.push(ch.pass);
    return false;
  }
}

export function simulate(input: unknown, options: SimulateOptions = {}): SimulateOutput {
  return simulateCall(normalizeInput(input, options), options);
}

/** The hot path: a call already validated by normalizeInput (or built by code that knows the rules). */
export function simulateCall(call: NormalizedCall, options: SimulateOptions = {}): SimulateOutput {
  const model = resolveKernel(call.kernel, options.hostRelease, options.author);
  const run = new Run(model, call, call.context, userLayout(model, call, options));
  collectEntryWarnings(run);
  if (call.syscall === 'clone3') runClone3(run);
  else if (call.syscall === 'clone') runClone(run);
  else runUnshare(run);
  const ok = run.errno === null;
  const outcome = ok ? buildOutcome(run) : null;
  const out: SimulateOutput = {
    version: 1,
    kernel: model.name,
    syscall: call.syscall,
    outcome: ok ? 'success' : 'error',
    errno: run.errno,
    decidedBy: run.decidedBy,
    steps: run.steps,
    child: call.syscall === 'unshare' ? null : outcome,
  };
  if (call.syscall === 'unshare') out.caller = outcome;
  out.warnings = run.warnings;
  if (run.struct) out.struct = run.struct;
  return out;
}

/** Userspace builds its struct from the newest header it has: 6.1's clone_args, or the author's struct when one is open. */
function userLayout(model: KernelModel, call: NormalizedCall, options: SimulateOptions): StructModel | null {
  if (call.syscall === 'clone3') {
    if (model.cloneArgs && (model.author || options.author?.structName !== 'clone_args')) return model.cloneArgs;
    if (options.author?.structName === 'clone_args') return resolveKernel('6.1+patch', undefined, options.author).cloneArgs;
    return model.cloneArgs ?? resolveKernel('6.1').cloneArgs;
  }
  if (model.longArg) return model.longArg;
  return null;
}

// ---- field helpers ------------------------------------------------------------------------------------------------

function nonZero(f: NormalizedField | undefined): boolean {
  return f !== undefined && f !== 0n;
}

/** Two pointer fields that name the same address ("bad" is one fixed inaccessible page; each "ptr" is its own slot). */
function samePointer(a: NormalizedField | undefined, b: NormalizedField | undefined): boolean {
  const x = a ?? 0n;
  const y = b ?? 0n;
  if (x === 'ptr' || y === 'ptr' || Array.isArray(x) || Array.isArray(y)) return false;
  return x === y;
}

function u64(f: NormalizedField | undefined): bigint {
  return typeof f === 'bigint' ? f : 0n;
}

// ---- clone3 -------------------------------------------------------------------------------------------------------

function runClone3(r: Run): void {
  const m = r.m;
  const st = m.cloneArgs;
  if (!st) {
    r.check(C.noClone3, true);
    return;
  }
  const ksize = st.size;
  const usize = r.c.size ?? ksize;
  if (r.check(C.c3PageSize, usize > PAGE_SIZE)) return;
  if (r.check(C.c3MinSize, usize < st.minSize)) return;
  if (!copyStruct(r, st, usize)) return;
  const visible = Math.min(usize, ksize);
  const fields = r.c.fields;
  const get = (name: string): NormalizedField | undefined => {
    const end = memberEnd(r.layout ?? st, name);
    return end !== undefined && end <= visible ? fields[name] : undefined;
  };
  r.lo = lo32(r.c.flags);
  r.hi = hi32(r.c.flags);
  const setTid = get('set_tid');
  const setTidSize = u64(get('set_tid_size'));
  if (m.rules['clone3-set-tid']) {
    if (r.check(C.c3TidSize, setTidSize > BigInt(MAX_PID_NS_LEVEL))) return;
    if (r.check(C.c3TidNull, !nonZero(setTid) && setTidSize > 0n)) return;
    if (r.check(C.c3TidZero, nonZero(setTid) && setTidSize === 0n)) return;
  }
  const es = u64(get('exit_signal'));
  if (r.check(C.c3ExitSignal, (es & ~0xffn) !== 0n || es > 64n)) return;
  r.exitSignal = Number(es);
  const cgroup = get('cgroup');
  if (m.rules['clone3-cgroup']) {
    const hasCgroup = usize >= (memberEnd(st, 'cgroup') ?? 88);
    if (r.check(C.c3Cgroup, (r.hi & H.INTO_CGROUP) !== 0 && (u64(cgroup) > INT_MAX || !hasCgroup))) return;
  }
  if (m.rules['clone3-set-tid'] && nonZero(setTid)) {
    if (r.check(C.c3TidCopy, !writable(setTid))) return;
  }
  if (!clone3ArgsValid(r, get)) return;
  kernelClone(r, {
    legacy: false,
    pidfd: get('pidfd'),
    parentTid: get('parent_tid'),
    childTid: get('child_tid'),
    tls: get('tls'),
    stack: get('stack'),
    setTid,
    setTidSize: Number(setTidSize),
    cgroup,
  });
}

/** copy_struct_from_user(): tail first (fault, then non-zero), then the body. */
function copyStruct(r: Run, st: StructModel, usize: number): boolean {
  const bad = r.c.argsPointer === 'bad';
  const ksize = st.size;
  if (usize > ksize) {
    if (r.check(C.tailFault, bad)) return false;
    if (r.check(C.tailNonZero, tailNonZero(r, ksize, usize))) return false;
  }
  if (r.check(C.structFault, bad)) return false;
  const zeroFilled = st.members.filter((mb) => mb.offset + mb.size <= ksize && mb.offset + mb.size > usize).map((mb) => mb.name);
  r.struct = { name: st.name, userSize: usize, kernelSize: ksize, zeroFilled, tailBytes: Math.max(0, usize - ksize) };
  return true;
}

/** Non-zero bytes in [ksize, usize): the explicit tail, or a field userspace's struct has past the kernel's. */
function tailNonZero(r: Run, ksize: number, usize: number): boolean {
  if (r.c.tail === 'nonzero') return true;
  const layout = r.layout;
  if (!layout) return false;
  for (const mb of layout.members) {
    if (mb.offset >= ksize && mb.offset < usize && nonZero(r.c.fields[mb.name])) return true;
  }
  return false;
}

function clone3ArgsValid(r: Run, get: (name: string) => NormalizedField | undefined): boolean {
  const m = r.m;
  const k = r.masks;
  const unknown = m.authorFlags.length > 0 ? C.vUnknownPatch : m.rules['clone3-cgroup'] ? C.vUnknown57 : m.rules['clear-sighand'] ? C.vUnknown55 : C.vUnknown53;
  if (r.check(unknown, (r.lo & ~k.c3Lo) !== 0 || (r.hi & ~k.c3Hi) !== 0)) return false;
  const csignal = m.rules.newtime ? C.vCsignal56 : C.vCsignal53;
  if (r.check(csignal, (r.lo & (F.DETACHED | (m.rules.newtime ? 0x7f : 0xff))) !== 0)) return false;
  if (m.rules['clear-sighand'] && r.check(C.vSighand, (r.lo & F.SIGHAND) !== 0 && (r.hi & H.CLEAR_SIGHAND) !== 0)) return false;
  if (r.check(C.vExitSignal, (r.lo & (F.THREAD | F.PARENT)) !== 0 && r.exitSignal !== 0)) return false;
  if (m.rules['clone3-stack-valid']) {
    const stack = get('stack');
    const size = u64(get('stack_size'));
    if (r.check(C.vStack, !stackValid(stack, size))) return false;
  }
  return true;
}

/** clone3_stack_valid(): "ptr"/"bad" are user addresses (access_ok passes for any sane size). */
function stackValid(stack: NormalizedField | undefined, size: bigint): boolean {
  if (!nonZero(stack)) return size === 0n;
  if (size === 0n) return false;
  const base = typeof stack === 'bigint' ? stack : 0x7f0000000000n;
  const end = base + size;
  return end <= TASK_SIZE_MAX;
}

// ---- legacy clone -------------------------------------------------------------------------------------------------

function runClone(r: Run): void {
  const raw = r.c.flags;
  r.lo = lo32(raw) & ~0xff;
  r.hi = 0;
  r.exitSignal = Number(raw & 0xffn);
  const entry = r.m.version >= 5_003_000 ? 'sys_clone' : 'do_fork';
  r.steps.push(
    note(
      entry,
      'kernel/fork.c',
      r.m.version >= 5_003_000
        ? `flags = lower_32_bits(clone_flags) & ~CSIGNAL; exit_signal = lower_32_bits(clone_flags) & CSIGNAL = ${r.exitSignal} (no flag or signal is validated)`
        : `copy_process(clone_flags, ...): exit_signal = clone_flags & CSIGNAL = ${r.exitSignal}; unknown bits are ignored (no flag or signal is validated)`,
    ),
  );
  const f = r.c.fields;
  kernelClone(r, {
    legacy: true,
    pidfd: f.parent_tid,
    parentTid: f.parent_tid,
    childTid: f.child_tid,
    tls: f.tls,
    stack: f.stack,
    setTid: undefined,
    setTidSize: 0,
    cgroup: undefined,
  });
}

// ---- kernel_clone() and copy_process() ----------------------------------------------------------------------------

export interface CloneArgs {
  legacy: boolean;
  pidfd: NormalizedField | undefined;
  parentTid: NormalizedField | undefined;
  childTid: NormalizedField | undefined;
  tls: NormalizedField | undefined;
  stack: NormalizedField | undefined;
  setTid: NormalizedField | undefined;
  setTidSize: number;
  cgroup: NormalizedField | undefined;
}

function kernelClone(r: Run, a: CloneArgs): void {
  const m = r.m;
  const ctx = r.ctx;
  const lo = r.lo;
  const has = (bits: number): boolean => (lo & bits) !== 0;
  if (m.rules.pidfd) {
    const both = has(F.PIDFD) && has(F.PARENT_SETTID);
    const k1 = m.version >= 5_003_000 ? C.k1Pidfd : C.k1PidfdDoFork;
    if (r.check(k1, both && (a.legacy || samePointer(a.pidfd, a.parentTid)))) return;
  }
  if (r.check(C.p1, (lo & (F.NEWNS | F.FS)) === (F.NEWNS | F.FS))) return;
  if (m.rules['newuser-fs'] && r.check(C.p2, (lo & (F.NEWUSER | F.FS)) === (F.NEWUSER | F.FS))) return;
  if (ctx.debianUsernsRestricted && m.rules['userns-unprivileged'] && r.check(C.pDebian, has(F.NEWUSER) && !(ctx.privileged && ctx.userNamespaceLevel === 0))) return;
  if (r.check(C.p3, has(F.THREAD) && !has(F.SIGHAND))) return;
  if (r.check(C.p4, has(F.SIGHAND) && !has(F.VM))) return;
  if (m.rfc && a.legacy && r.check(C.pRfc, has(F.BIT31) && has(F.CHILD_SETTID | F.CHILD_CLEARTID))) return;
  if (m.rules['parent-from-init'] && r.check(C.p5, has(F.PARENT) && ctx.isInit)) return;
  if (m.rules['thread-ns-3.12']) {
    if (r.check(C.p6, has(F.THREAD) && (has(F.NEWUSER | F.NEWPID) || ctx.pidNamespaceForChildren))) return;
  } else if (m.rules['thread-ns-3.8']) {
    if (r.check(C.p6v38, has(F.NEWUSER | F.NEWPID) && has(F.THREAD | F.PARENT))) return;
  }
  if (m.rules['timens-vm'] && r.check(C.p7, has(F.THREAD | F.VM) && ctx.timeNamespaceForChildren)) return;
  if (m.rules.pidfd) {
    const p8 = m.rules['pidfd-no-thread'] ? C.p8 : C.p8v69;
    if (r.check(p8, has(F.PIDFD) && has(m.rules['pidfd-no-thread'] ? F.DETACHED | F.THREAD : F.DETACHED))) return;
  }
  if (m.rfc && a.legacy && has(F.BIT31) && !longArg(r, 'clone')) return;
  if (m.rules['userns-unprivileged'] && has(F.NEWUSER) && !createUserNs(r)) return;
  if (!copyNamespaces(r, C.nsCap, C.nsCapOld, true)) return;
  if (has(F.SETTLS) && r.check(C.tls, typeof a.tls === 'bigint' && a.tls >= TASK_SIZE_MAX)) return;
  if (m.rules['clone3-set-tid'] && a.setTidSize > 0 && !allocPid(r, a.setTid, a.setTidSize)) return;
  if (m.rules.pidfd && has(F.PIDFD) && r.check(C.pidfdPut, !writable(a.pidfd))) return;
  if (m.rules['clone3-cgroup'] && (r.hi & H.INTO_CGROUP) !== 0) {
    if (r.check(C.cgroupFd, a.cgroup === 'bad')) return;
    // cgroup_may_write(): the target's cgroup.procs belongs to root unless the cgroup was delegated to the caller.
    if (r.check(C.cgroupWrite, !(ctx.cgroupDelegated || (ctx.privileged && ctx.userNamespaceLevel === 0)))) return;
  }
  r.args = a;
}

/** create_user_ns() via copy_creds() (clone) or unshare_userns() (unshare). */
function createUserNs(r: Run): boolean {
  if (r.m.rules['userns-max-level'] && r.check(C.usernsLevel, r.ctx.userNamespaceLevel > 32)) return false;
  if (r.m.rules['userns-chroot'] && r.check(C.usernsChroot, r.ctx.chrooted)) return false;
  return true;
}

/**
 * copy_namespaces() (clone) or unshare_nsproxy_namespaces() (unshare): the CAP_SYS_ADMIN check, then the namespaces
 * in create_new_namespaces() order. Before 3.8 CLONE_NEWUSER is one of them and the check is capable() itself.
 */
function copyNamespaces(r: Run, capCheck: Check, oldCapCheck: Check, forClone: boolean): boolean {
  const m = r.m;
  const ctx = r.ctx;
  const modern = m.rules['userns-unprivileged'];
  const nsLo = r.masks.nsLo | (modern ? 0 : F.NEWUSER);
  if ((r.lo & nsLo) === 0 && (r.hi & r.masks.nsHi) === 0) return true;
  if (modern) {
    if (r.check(capCheck, !(ctx.privileged || (r.lo & F.NEWUSER) !== 0))) return false;
  } else if (r.check(oldCapCheck, !ctx.privileged)) return false;
  if (forClone && m.rules['newipc-sysvsem'] && r.check(C.nsIpcSem, (r.lo & (F.NEWIPC | F.SYSVSEM)) === (F.NEWIPC | F.SYSVSEM))) return false;
  if ((r.lo & F.NEWPID) !== 0) {
    if (m.rules['unshare-newpid']) {
      if (r.check(C.pidnsActive, ctx.pidNamespaceForChildren)) return false;
    } else if (m.rules['pidns-thread-in-copy-pid-ns'] && forClone) {
      if (r.check(C.pidnsThread, (r.lo & F.THREAD) !== 0)) return false;
    }
    if (m.rules['pidns-max-level'] && r.check(C.pidnsLevel, ctx.pidNamespaceLevel + 1 > MAX_PID_NS_LEVEL)) return false;
  }
  return true;
}

/** alloc_pid() with set_tid: innermost namespace first; value, init, capability, then "already taken". */
function allocPid(r: Run, setTid: NormalizedField | undefined, size: number): boolean {
  const ctx = r.ctx;
  const newNs = (r.lo & F.NEWPID) !== 0;
  const fresh = newNs || ctx.pidNamespaceForChildren;
  const nsLevel = fresh ? ctx.pidNamespaceLevel + 1 : ctx.pidNamespaceLevel;
  if (r.check(C.pidSetTidSize, size > nsLevel + 1)) return false;
  const tids = Array.isArray(setTid) ? setTid : [];
  for (let i = 0; i < size; i++) {
    const level = nsLevel - i;
    const tid = i < tids.length ? Number(tids[i]) : 0;
    const isFresh = fresh && level === nsLevel;
    const at = `set_tid[${i}] = ${tid} (pid namespace level ${level})`;
    if (r.check(makeCheck('alloc_pid', 'kernel/pid.c', `${at}: tid < 1 || tid >= pid_max (${ctx.pidMax})`, 'EINVAL'), tid < 1 || tid >= ctx.pidMax)) return false;
    if (r.check(makeCheck('alloc_pid', 'kernel/pid.c', `${at}: tid != 1 && !ns->child_reaper`, 'EINVAL'), tid !== 1 && isFresh)) return false;
    if (r.check(makeCheck('alloc_pid', 'kernel/pid.c', `${at}: !checkpoint_restore_ns_capable(ns->user_ns)`, 'EPERM'), !capOverPidNs(r, level, isFresh))) return false;
    const taken = !isFresh && (tid === 1 || (level === ctx.pidNamespaceLevel && ctx.pidsInUse.includes(tid)));
    if (r.check(makeCheck('alloc_pid', 'kernel/pid.c', `${at}: idr_alloc() finds the pid taken`, 'EEXIST'), taken)) return false;
  }
  return true;
}

/**
 * CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE over the user namespace owning a pid namespace. The new one belongs to the
 * child's user namespace (whose owner, the caller, has every capability in it); existing ones below the caller's user
 * namespace level belong to ancestors, where a caller in a nested user namespace has none.
 */
function capOverPidNs(r: Run, level: number, fresh: boolean): boolean {
  const ctx = r.ctx;
  if (fresh) return ctx.privileged || ((r.lo & F.NEWUSER) !== 0 && !ctx.pidNamespaceForChildren);
  if (!ctx.privileged) return false;
  return ctx.userNamespaceLevel === 0 || (level === ctx.pidNamespaceLevel && ctx.pidNamespaceLevel > 0);
}

// ---- the RFC's long argument --------------------------------------------------------------------------------------

function longArg(r: Run, via: 'clone' | 'unshare'): boolean {
  const st = r.m.longArg as StructModel;
  const size = r.c.size ?? st.size;
  const bad = r.c.argsPointer === 'bad' || (via === 'clone' && r.c.fields.child_tid === 'bad');
  if (r.check(via === 'clone' ? C.rfcGetSize : C.rfcGetSizeUnshare, bad)) return false;
  if (r.check(C.rfcTooBig, size > st.size)) return false;
  if (r.check(C.rfcCopy, false)) return false;
  const zeroFilled = st.members.filter((mb) => mb.offset + mb.size > size).map((mb) => mb.name);
  r.struct = { name: 'long_clone_arg', userSize: size, kernelSize: st.size, zeroFilled, tailBytes: 0 };
  return true;
}

// ---- unshare ------------------------------------------------------------------------------------------------------

function runUnshare(r: Run): void {
  const m = r.m;
  const ctx = r.ctx;
  r.lo = lo32(r.c.flags);
  r.hi = hi32(r.c.flags);
  const modernCheck = m.rules['unshare-check-flags'];
  const mmCheck = m.rules['unshare-mm-check'];
  addImplied(r, !modernCheck && !mmCheck);
  const fn = m.version >= 4_017_000 ? 'ksys_unshare' : 'sys_unshare';
  if (ctx.debianUsernsRestricted && m.rules['userns-unprivileged'] && r.check(C.unshareDebian, (r.lo & F.NEWUSER) !== 0 && !(ctx.privileged && ctx.userNamespaceLevel === 0))) return;
  const badBits = (r.lo & ~r.masks.unLo) !== 0 || (r.hi & ~r.masks.unHi) !== 0;
  const has = (bits: number): boolean => (r.lo & bits) !== 0;
  if (!modernCheck && !mmCheck) {
    // 2.6.24 .. 2.6.35: sys_unshare() itself, then one helper per resource.
    if (r.check(m.rfc ? C.unshareMaskRfc : C.unshareMask2624, badBits)) return;
    if (m.rfc && has(F.BIT31) && !longArg(r, 'unshare')) return;
    if (r.check(C.unshareThread2624, has(F.THREAD))) return;
    if (r.check(C.unshareSighand2624, has(F.SIGHAND) && (ctx.threads > 1 || ctx.sharedSighand))) return;
    if (r.check(C.unshareVm2624, has(F.VM) && (ctx.threads > 1 || ctx.sharedVm))) return;
    if (!m.rules['unshare-sysvsem'] && r.check(C.unshareSemundo2624, has(F.SYSVSEM))) return;
  } else {
    const mask = m.authorFlags.length > 0 ? C.unshareMaskPatch : m.rules.newtime ? C.unshareMask : C.unshareMaskOld;
    if (r.check(mask, badBits)) return;
    if (modernCheck) {
      if (r.check(C.unshareThreadGroup, has(F.THREAD | F.SIGHAND | F.VM) && ctx.threads > 1)) return;
      if (r.check(C.unshareSighandCount, has(F.SIGHAND | F.VM) && (ctx.threads > 1 || ctx.sharedSighand))) return;
      if (r.check(C.unshareSingle, has(F.VM) && (ctx.threads > 1 || ctx.sharedVm))) return;
    } else if (r.check(C.unshareMmUsers, has(F.THREAD | F.SIGHAND | F.VM) && (ctx.threads > 1 || ctx.sharedVm))) return;
    if (m.rules['userns-unprivileged'] && has(F.NEWUSER) && !createUserNs(r)) return;
  }
  if (!copyNamespaces(r, C.unshareNsCap, C.unshareNsCapOld, false)) return;
  r.steps.push(note(fn, 'kernel/fork.c', 'switch_task_namespaces(), install the new fs/files, commit_creds(): the caller now has what it unshared'));
}

/** The flags unshare adds by itself, in the order of the kernel's code for this release. */
function addImplied(r: Run, era2624: boolean): void {
  const m = r.m;
  const before = r.lo;
  let lo = r.lo;
  if (era2624) {
    if (lo & F.THREAD) lo |= F.VM;
    if (lo & F.VM) lo |= F.SIGHAND;
    if (lo & F.SIGHAND && r.ctx.threads > 1) lo |= F.THREAD;
    if (lo & F.NEWNS) lo |= F.FS;
  } else {
    if (m.rules['unshare-newuser-implies'] && lo & F.NEWUSER) lo |= F.THREAD | F.FS;
    if (m.rules['unshare-newpid-implies-thread'] && lo & F.NEWPID) lo |= F.THREAD;
    if (m.rules['unshare-check-flags']) {
      if (lo & F.VM) lo |= F.SIGHAND;
      if (lo & F.SIGHAND) lo |= F.THREAD;
    }
    if (lo & F.NEWNS) lo |= F.FS;
  }
  r.lo = lo;
  r.implied = lo & ~before;
  if (r.implied !== 0) {
    const names = IMPLIED_NAMES.filter(([bit]) => (r.implied & bit) !== 0).map(([, n]) => n);
    r.steps.push(note(era2624 ? 'check_unshare_flags' : m.version >= 4_017_000 ? 'ksys_unshare' : 'sys_unshare', 'kernel/fork.c', `implied flags added: ${names.join('|')}`));
  }
}

const IMPLIED_NAMES: [number, string][] = [
  [F.VM, 'CLONE_VM'],
  [F.FS, 'CLONE_FS'],
  [F.SIGHAND, 'CLONE_SIGHAND'],
  [F.THREAD, 'CLONE_THREAD'],
];
