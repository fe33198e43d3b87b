// What a successful call gives the child (or the unsharing caller), and the warnings for traps that succeed silently.
import type { NamespaceKind, ProcessOutcome } from './types';
import { F, SIGCHLD, writable } from './bits';
import type { Run } from './simulate';

const NAMESPACE_BITS: [NamespaceKind, number][] = [
  ['mnt', F.NEWNS],
  ['uts', F.NEWUTS],
  ['ipc', F.NEWIPC],
  ['net', F.NEWNET],
  ['pid', F.NEWPID],
  ['user', F.NEWUSER],
  ['cgroup', F.BIT25],
  ['time', F.NEWTIME],
];

const V5_3 = 5_003_000;
const V6_3 = 6_003_000;

/** Warnings about how the kernel reads the input, whatever the outcome. */
export function collectEntryWarnings(r: Run): void {
  const c = r.c;
  const m = r.m;
  if (c.syscall === 'clone') {
    const upper = c.flags >> 32n;
    if (upper !== 0n) {
      r.warnings.push(
        `bits 32-63 of the flags (0x${(upper << 32n).toString(16)}) are ${m.version >= V5_3 ? 'dropped: legacy clone() keeps lower_32_bits(flags)' : 'ignored by legacy clone()'}; CLONE_CLEAR_SIGHAND and CLONE_INTO_CGROUP need clone3()`,
      );
    }
    const sig = Number(c.flags & 0xffn);
    if ((sig & 0x80) !== 0) {
      r.warnings.push(`bit 7 (CLONE_NEWTIME's value) is part of the exit-signal byte in legacy clone(): no time namespace is created and the exit signal is ${sig}; use clone3() or unshare() for CLONE_NEWTIME`);
    } else if (sig > 64) {
      r.warnings.push(`exit signal ${sig} is above _NSIG (64): legacy clone() does not check it and it is never delivered`);
    }
    const unknown = Number(c.flags & 0xffffff00n) & ~r.masks.known;
    if (unknown !== 0) {
      r.warnings.push(`flag bits 0x${(unknown >>> 0).toString(16)} mean nothing to ${m.name}: legacy clone() ignores unknown flags silently`);
    }
  }
  if (c.syscall !== 'clone3' && c.size !== null && !m.rfc) {
    r.warnings.push(`the long_clone_arg is never read: ${m.name} has no CLONE_LONGARG${m.version >= 2_006_025 ? ' (bit 31 is CLONE_IO there)' : ''}`);
  }
  if (c.syscall === 'clone3' && m.cloneArgs) {
    const usize = c.size ?? m.cloneArgs.size;
    if (c.tail === 'nonzero' && usize <= m.cloneArgs.size) {
      r.warnings.push(`tail "nonzero" has no effect: size ${usize} does not reach past the kernel's struct clone_args (${m.cloneArgs.size} bytes)`);
    }
    const layout = r.layout;
    if (layout) {
      const unread = layout.members.filter((mb) => mb.offset + mb.size > usize && c.fields[mb.name] !== undefined && c.fields[mb.name] !== 0n);
      if (unread.length > 0) r.warnings.push(`${unread.map((mb) => mb.name).join(', ')} lie past size ${usize}: the kernel never reads them`);
    }
  }
}

/** The child (clone, clone3) or the caller (unshare) after a successful call. */
export function buildOutcome(r: Run): ProcessOutcome {
  return r.c.syscall === 'unshare' ? callerOutcome(r) : childOutcome(r);
}

function namespacesOf(r: Run, isNew: (kind: NamespaceKind, bit: number) => boolean): ProcessOutcome['namespaces'] {
  const out = {} as ProcessOutcome['namespaces'];
  for (const [kind, bit] of NAMESPACE_BITS) out[kind] = isNew(kind, bit) ? 'new' : 'shared';
  const extra = out as Record<string, 'new' | 'shared'>;
  for (const f of r.m.authorFlags) {
    if (!/^CLONE_NEW/.test(f.name)) continue;
    const bits = Number(f.value & 0xffffffffn) | 0;
    const hi = Number(f.value >> 32n) | 0;
    extra[f.name.slice('CLONE_NEW'.length).toLowerCase()] = (r.lo & bits) !== 0 || (r.hi & hi) !== 0 ? 'new' : 'shared';
  }
  return out;
}

function childOutcome(r: Run): ProcessOutcome {
  const m = r.m;
  const lo = r.lo;
  const has = (bits: number): boolean => (lo & bits) !== 0;
  const a = r.args;
  const vmStaysInTime = has(F.VM) && m.version >= V6_3;
  const namespaces = namespacesOf(r, (kind, bit) => {
    if (kind === 'cgroup') return has(bit) && m.rules.newcgroup;
    if (kind === 'pid') return has(bit) || r.ctx.pidNamespaceForChildren;
    if (kind === 'time') return (has(bit) || r.ctx.timeNamespaceForChildren) && !vmStaysInTime;
    return has(bit);
  });
  const thread = has(F.THREAD);
  const parentSignal = has(F.PARENT) && m.rules['parent-exit-signal'];
  const exitSignal = thread || parentSignal ? null : r.exitSignal;
  const warnings = r.warnings;
  if (a?.legacy && thread && r.exitSignal !== 0) warnings.push(`CLONE_THREAD: the exit signal ${r.exitSignal} is ignored (a thread sends none)`);
  else if (a?.legacy && parentSignal && r.exitSignal !== 0) warnings.push(`CLONE_PARENT: the child gets the caller's own exit signal, not ${r.exitSignal}`);
  if (exitSignal === 0) warnings.push('exit signal 0: the parent is not signalled when the child exits; waitpid() needs __WALL or __WCLONE to see it');
  else if (exitSignal !== null && exitSignal !== SIGCHLD && exitSignal <= 64) warnings.push(`exit signal ${exitSignal} is not SIGCHLD: the child is a "clone" child, waitpid() needs __WCLONE or __WALL`);
  if (a?.legacy && has(F.DETACHED)) warnings.push('CLONE_DETACHED is ignored (no effect since 2.6.0)');
  const parentTidOk = has(F.PARENT_SETTID) && writable(a?.parentTid);
  if (has(F.PARENT_SETTID) && !parentTidOk) warnings.push('CLONE_PARENT_SETTID: parent_tid is not writable; the put_user() fault is ignored and nothing is stored');
  const childTidOk = writable(a?.childTid);
  if (has(F.CHILD_SETTID | F.CHILD_CLEARTID) && !childTidOk) warnings.push('CLONE_CHILD_SETTID/CLEARTID: child_tid is not writable; the store (and the futex wake at exit) fail silently');
  if (has(F.VM) && !has(F.VFORK) && (a?.stack === undefined || a.stack === 0n)) warnings.push("CLONE_VM without a stack: the child runs on the caller's stack");
  if (a?.stack === 'bad') warnings.push("the child's stack is not accessible: the child dies with SIGSEGV at its first push (the call itself succeeds)");
  if (has(F.SETTLS) && a?.tls === 'bad') warnings.push('the TLS base is not accessible: the child faults at its first TLS access (the call itself succeeds)');
  if (vmStaysInTime && (has(F.NEWTIME) || r.ctx.timeNamespaceForChildren)) warnings.push("CLONE_VM: the child stays in the caller's time namespace; the new one is entered by its children, or by the child after exec");
  const child: ProcessOutcome = {
    namespaces,
    shares: { vm: has(F.VM), fs: has(F.FS), files: has(F.FILES), sighand: has(F.SIGHAND), sysvsem: has(F.SYSVSEM) },
    exitSignal,
    thread,
    parent: has(F.PARENT | F.THREAD) ? "caller's parent" : 'caller',
    pid1: namespaces.pid === 'new',
    writeBack: {
      parentTid: parentTidOk,
      childTid: has(F.CHILD_SETTID) && childTidOk,
      clearChildTidOnExit: has(F.CHILD_CLEARTID) && childTidOk,
      pidfd: m.rules.pidfd && has(F.PIDFD) ? (a?.legacy ? 'parent_tid' : 'pidfd') : null,
      tls: has(F.SETTLS),
    },
    vfork: has(F.VFORK),
    clearSighand: (r.hi & 1) !== 0,
  };
  if (m.version < 2_006_038 && has(F.BIT25)) child.stopped = true;
  if ((r.hi & 2) !== 0 && typeof a?.cgroup === 'bigint') child.cgroup = Number(a.cgroup);
  if (a && a.setTidSize > 0 && Array.isArray(a.setTid)) child.setTid = a.setTid.slice(0, a.setTidSize).map(Number);
  return child;
}

function callerOutcome(r: Run): ProcessOutcome {
  const lo = r.lo;
  const has = (bits: number): boolean => (lo & bits) !== 0;
  const namespaces = namespacesOf(r, (kind, bit) => kind !== 'pid' && kind !== 'time' && has(bit));
  const forChildren: Record<string, 'new'> = {};
  if (has(F.NEWPID)) {
    forChildren.pid = 'new';
    r.warnings.push('CLONE_NEWPID: the caller stays in its pid namespace; its next child becomes PID 1 of the new one');
  }
  if (has(F.NEWTIME)) {
    forChildren.time = 'new';
    r.warnings.push(`CLONE_NEWTIME: the caller stays in its time namespace; its children enter the new one${r.m.version >= V6_3 ? ', and so does the caller at its next exec' : ''}`);
  }
  const asked = lo & ~r.implied;
  const noops = ([[F.THREAD, 'CLONE_THREAD'], [F.SIGHAND, 'CLONE_SIGHAND'], [F.VM, 'CLONE_VM']] as const).filter(([bit]) => (asked & bit) !== 0).map(([, name]) => name);
  if (noops.length > 0 && r.m.rules['unshare-check-flags']) {
    r.warnings.push(`${noops.join(', ')} ${noops.length > 1 ? 'are' : 'is'} accepted only because the caller shares nothing of the kind: nothing is unshared`);
  }
  const unshared = UNSHARE_NAMES.filter(([bit]) => has(bit)).map(([, name]) => name);
  const sysvsem = has(F.SYSVSEM | F.NEWIPC);
  return {
    namespaces,
    shares: { vm: !has(F.VM), fs: !has(F.FS), files: !has(F.FILES), sighand: !has(F.SIGHAND), sysvsem: !sysvsem },
    exitSignal: null,
    unshared,
    implied: UNSHARE_NAMES.filter(([bit]) => (r.implied & bit) !== 0).map(([, name]) => name),
    forChildren,
  };
}

const UNSHARE_NAMES: [number, string][] = [
  [F.NEWTIME, 'CLONE_NEWTIME'],
  [F.VM, 'CLONE_VM'],
  [F.FS, 'CLONE_FS'],
  [F.FILES, 'CLONE_FILES'],
  [F.SIGHAND, 'CLONE_SIGHAND'],
  [F.THREAD, 'CLONE_THREAD'],
  [F.NEWNS, 'CLONE_NEWNS'],
  [F.SYSVSEM, 'CLONE_SYSVSEM'],
  [F.BIT25, 'CLONE_NEWCGROUP'],
  [F.NEWUTS, 'CLONE_NEWUTS'],
  [F.NEWIPC, 'CLONE_NEWIPC'],
  [F.NEWUSER, 'CLONE_NEWUSER'],
  [F.NEWPID, 'CLONE_NEWPID'],
  [F.NEWNET, 'CLONE_NEWNET'],
  [F.BIT31, 'CLONE_LONGARG'],
];
