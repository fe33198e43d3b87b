// Writes a simulated clone/clone3/unshare call as a standalone C program that makes the real call and prints its errno.
import type { NormalizedCall, NormalizedField } from './types';

/**
 * Exit codes of the exported program, also read by the oracle harness: the call was made (0), the call cannot be
 * expressed (3), the caller context cannot be recreated on this host (4, e.g. not root), or setup failed, the program
 * timed out or one of its processes was killed (5).
 */
export const EXPORT_EXIT = { made: 0, unsupported: 3, cannot: 4, failed: 5 } as const;

export interface ExportOptions {
  /**
   * Members of the model's struct beyond those of 6.1's struct clone_args (an author's patch), so their values can be
   * placed at their offsets; without them such a field makes the program "unsupported".
   */
  members?: readonly { name: string; offset: number; size: number }[];
}

const MAX_PID_LEVEL = 32; // MAX_PID_NS_LEVEL
const MAX_USER_LEVEL = 33; // create_user_ns() refuses a parent at level > 32
const MAX_THREADS = 1024;
const MAX_SET_TID = 32;
const BUFFER_CAP = 65536; // clone3 rejects size > PAGE_SIZE before reading a byte, so a bigger buffer is never read
const STACK_BYTES = 65536;
const U64 = (1n << 64n) - 1n;
const CLONE_VM = 0x100n;
const CLONE_PIDFD = 0x1000n;
const CLONE_THREAD = 0x10000n;
const CLONE_PARENT = 0x8000n;
const CLONE_NEWUSER = 0x10000000n;
const CLONE_INTO_CGROUP = 0x200000000n;
const INT_MAX = 0x7fffffffn;
/** Exit signals the caller cannot block: SIGKILL and SIGSTOP would kill or stop it before it reports. */
const UNBLOCKABLE = [9n, 19n];

/** struct clone_args on x86_64 (every member an __aligned_u64), by member name. */
const CLONE_ARGS_MEMBERS = [
  'flags', 'pidfd', 'child_tid', 'parent_tid', 'exit_signal', 'stack', 'stack_size', 'tls', 'set_tid', 'set_tid_size', 'cgroup',
];
const CLONE_ARGS_SIZE = 88;

/** Legacy clone(flags, newsp, parent_tidptr, child_tidptr, tls) on x86_64: which argument a field name fills. */
const LEGACY_ARGS: Record<string, 'newsp' | 'ptid' | 'ctid' | 'tls'> = {
  stack: 'newsp',
  newsp: 'newsp',
  parent_tid: 'ptid',
  parent_tidptr: 'ptid',
  pidfd: 'ptid', // legacy CLONE_PIDFD writes the pidfd through parent_tidptr
  child_tid: 'ctid',
  child_tidptr: 'ctid',
  tls: 'tls',
};

/** Names for the comment that spells out the flags word (values as in include/uapi/linux/sched.h). */
const FLAG_NAMES: [bigint, string][] = [
  [0x80n, 'CLONE_NEWTIME'], [0x100n, 'CLONE_VM'], [0x200n, 'CLONE_FS'], [0x400n, 'CLONE_FILES'],
  [0x800n, 'CLONE_SIGHAND'], [0x1000n, 'CLONE_PIDFD'], [0x2000n, 'CLONE_PTRACE'], [0x4000n, 'CLONE_VFORK'],
  [0x8000n, 'CLONE_PARENT'], [0x10000n, 'CLONE_THREAD'], [0x20000n, 'CLONE_NEWNS'], [0x40000n, 'CLONE_SYSVSEM'],
  [0x80000n, 'CLONE_SETTLS'], [0x100000n, 'CLONE_PARENT_SETTID'], [0x200000n, 'CLONE_CHILD_CLEARTID'],
  [0x400000n, 'CLONE_DETACHED'], [0x800000n, 'CLONE_UNTRACED'], [0x1000000n, 'CLONE_CHILD_SETTID'],
  [0x2000000n, 'CLONE_NEWCGROUP'], [0x4000000n, 'CLONE_NEWUTS'], [0x8000000n, 'CLONE_NEWIPC'],
  [0x10000000n, 'CLONE_NEWUSER'], [0x20000000n, 'CLONE_NEWPID'], [0x40000000n, 'CLONE_NEWNET'],
  [0x80000000n, 'CLONE_IO'], [0x100000000n, 'CLONE_CLEAR_SIGHAND'], [0x200000000n, 'CLONE_INTO_CGROUP'],
];

type Context = NormalizedCall['context'];

/** The caller's context; pid 1 is never "taken" by another process, so it is not recreated. */
function contextOf(call: NormalizedCall): Context {
  return { ...call.context, pidsInUse: call.context.pidsInUse.filter((pid) => pid !== 1) };
}

/** How each argument is written, and which parts of the program that needs. */
interface Plan {
  ctx: Context;
  /** C expressions by clone_args member (clone3), legacy argument (clone) or 'flagptr' (unshare). */
  values: Map<string, string>;
  /** Members of an author's struct: written into the buffer at their offsets. */
  extra: { name: string; offset: number; size: number; value: string }[];
  notes: string[];
  bufferSize: number;
  slots: Set<string>;
  usesBad: boolean;
  usesStack: boolean;
  setTid: bigint[] | null;
  usesSetTidArray: boolean;
  /** CLONE_INTO_CGROUP's fd: a real cgroup2 directory ("open"), or a number that is surely not open ("closed"). */
  cgroupFd: 'open' | 'closed' | null;
}

export function exportC(call: NormalizedCall, options: ExportOptions = {}): string {
  const plan = planCall(call, options);
  if (typeof plan === 'string') return `${header(call, null)}\n${unsupportedProgram(plan)}`;
  const ctx = plan.ctx;
  const clones = call.syscall !== 'unshare';
  const nested = ctx.pidNamespaceLevel > 0 || ctx.userNamespaceLevel > 0;
  const partner = ctx.sharedVm || ctx.sharedSighand;
  const parts = [header(call, plan), includes(ctx.threads > 1), compatDefines(call, ctx)];
  if (call.syscall === 'clone3' || ctx.pidsInUse.length > 0) parts.push(CLONE_ARGS_STRUCT);
  parts.push(RESULTS, CANNOT, BLOCK_SIGNALS, CAPABILITIES);
  if (ctx.privileged) parts.push(CAPABILITY_CHECKS);
  if (checksUsernsSysctl(call, ctx) || usesSetTidValues(call)) parts.push(READ_SYSCTL);
  if (checksUsernsSysctl(call, ctx)) parts.push(USERNS_SYSCTL);
  if (usesSetTidValues(call)) parts.push(PID_MAX);
  if (plan.usesBad) parts.push(BAD_PAGE);
  if (plan.cgroupFd === 'open') parts.push(OWN_CGROUP);
  if (plan.cgroupFd === 'closed') parts.push(CLOSED_FD);
  if (plan.usesStack || partner) parts.push(STACK);
  if (clones) parts.push(RAW_CLONE, REPORT_CLONE);
  parts.push(SUPERVISOR);
  if (nested) parts.push(WAIT_ALL);
  if (ctx.userNamespaceLevel > 0) parts.push(USER_NS);
  if (ctx.pidNamespaceLevel > 0) parts.push(PID_NS);
  if (ctx.pidNamespaceLevel > 0 && !ctx.isInit) parts.push(BELOW_INIT);
  if (ctx.pidsInUse.length > 0) parts.push(TAKEN_PIDS);
  if (ctx.chrooted) parts.push(CHROOT);
  if (partner) parts.push(SHARING_PARTNER);
  if (!ctx.privileged) parts.push(DROP_PRIVILEGES);
  if (ctx.threads > 1) parts.push(THREADS);
  parts.push(makeCall(call, plan), callerAndMain(call, plan));
  return parts.join('\n');
}

function planCall(call: NormalizedCall, options: ExportOptions): Plan | string {
  const ctx = contextOf(call);
  const why = unsupportedContext(ctx) ?? unsupportedExitSignal(call);
  if (why) return why;
  if (call.size !== null && (call.size < 0 || !Number.isSafeInteger(call.size))) return `size ${call.size} cannot be passed`;
  const plan: Plan = {
    ctx, values: new Map(), extra: [], notes: [], bufferSize: 0, slots: new Set(),
    usesBad: false, usesStack: false, setTid: null, usesSetTidArray: false, cgroupFd: null,
  };
  const known = call.syscall === 'clone3' ? CLONE_ARGS_MEMBERS : call.syscall === 'clone' ? Object.keys(LEGACY_ARGS) : [];
  const longArg = call.syscall !== 'clone3' && call.size !== null;
  for (const [name, value] of Object.entries(call.fields)) {
    if (name === 'flags' || known.includes(name) || isZero(value)) continue;
    const member = options.members?.find((m) => m.name === name);
    const fits = member && (call.syscall === 'clone3' || longArg) && member.size <= 8 && typeof value === 'bigint';
    if (!fits) {
      return call.syscall === 'clone3' || longArg
        ? `field ${name} is not in struct clone_args and its offset was not given to the export`
        : `field ${name} has no place in the ${call.syscall}() arguments`;
    }
    plan.extra.push({ name, offset: member.offset, size: member.size, value: u64(value as bigint) });
  }
  if (call.syscall === 'clone3') return planClone3(call, plan);
  if (call.syscall === 'clone') return planLegacy(call, plan);
  return longArg ? planLongArg(call, plan, 'flagptr') : plan;
}

function unsupportedContext(ctx: Context): string | null {
  if (ctx.isInit && ctx.pidNamespaceLevel < 1) {
    return 'isInit with pidNamespaceLevel 0: a program cannot become PID 1 of the initial pid namespace';
  }
  if (ctx.pidNamespaceLevel > MAX_PID_LEVEL) return `pid namespaces nest at most ${MAX_PID_LEVEL} levels`;
  if (ctx.userNamespaceLevel > MAX_USER_LEVEL) return `user namespaces nest at most ${MAX_USER_LEVEL} levels`;
  if (ctx.threads > MAX_THREADS) return `the export starts at most ${MAX_THREADS} threads`;
  if (ctx.sharedSighand && !ctx.sharedVm) {
    return 'sharedSighand without sharedVm: signal handlers can only be shared together with the memory (CLONE_SIGHAND needs CLONE_VM)';
  }
  if (ctx.pidsInUse.length > 0 && ctx.pidNamespaceLevel < 1) {
    return 'pidsInUse needs pidNamespaceLevel >= 1: which pids are taken in the initial pid namespace is not the program\'s to choose';
  }
  if (ctx.pidsInUse.length > MAX_THREADS) return `the export takes at most ${MAX_THREADS} pids`;
  return null;
}

function unsupportedExitSignal(call: NormalizedCall): string | null {
  const signal = call.syscall === 'clone' ? call.flags & 0xffn : call.fields.exit_signal;
  if (typeof signal !== 'bigint' || !UNBLOCKABLE.includes(signal)) return null;
  if (call.syscall === 'clone3' && (call.flags & (CLONE_THREAD | CLONE_PARENT)) !== 0n) return null; // refused before any child
  return `exit signal ${signal} cannot be blocked: the child's exit would ${signal === 9n ? 'kill' : 'stop'} the caller before it reports`;
}

function planClone3(call: NormalizedCall, plan: Plan): Plan {
  const size = call.size ?? CLONE_ARGS_SIZE;
  const end = Math.max(CLONE_ARGS_SIZE, ...plan.extra.map((m) => m.offset + m.size));
  plan.bufferSize = Math.max(end, Math.min(size, BUFFER_CAP));
  const f = call.fields;
  for (const name of CLONE_ARGS_MEMBERS) {
    const value = f[name];
    if (name === 'flags' || value === undefined) continue;
    if (name === 'set_tid') plan.values.set(name, setTidValue(value, plan));
    else if (name !== 'cgroup') plan.values.set(name, pointerValue(value, plan, name));
  }
  planCgroup(call, plan);
  if ((call.flags & CLONE_VM) !== 0n && f.stack === undefined && f.stack_size === undefined) {
    plan.usesStack = true;
    plan.values.set('stack', '(uint64_t)(uintptr_t)stack_area');
    plan.values.set('stack_size', `${STACK_BYTES}`);
    plan.notes.push('CLONE_VM and no stack given: the program gives the child its own (clone3_stack_valid() accepts it).');
  }
  if (size > end) {
    plan.notes.push(`Bytes ${end}..${size - 1} are the tail: ${call.tail === 'nonzero' ? 'the last one is 0xff, the rest zero' : 'all zero'}.`);
  } else if (call.tail === 'nonzero') {
    plan.notes.push('tail "nonzero" sets nothing: size does not reach past the struct.');
  }
  if (call.argsPointer === 'bad') {
    plan.usesBad = true;
    plan.notes.push('argsPointer "bad": clone3 gets a pointer to a page that is never accessible.');
  }
  return plan;
}

/**
 * The model reads a cgroup number (up to INT_MAX) as an open cgroup2 directory and "bad" as an fd that is not open.
 * The program makes both true: it opens the caller's own cgroup2 directory, or picks a number no file is open on.
 */
function planCgroup(call: NormalizedCall, plan: Plan): void {
  const value = call.fields.cgroup;
  if (value === 'bad') {
    plan.cgroupFd = 'closed';
    plan.values.set('cgroup', '(uint64_t)closed_fd()');
    plan.notes.push('cgroup "bad": the program passes an fd number that no file is open on.');
    return;
  }
  const number = typeof value === 'bigint' ? value : 0n;
  if ((call.flags & CLONE_INTO_CGROUP) === 0n || number > INT_MAX) {
    if (value !== undefined) plan.values.set('cgroup', pointerValue(value, plan, 'cgroup'));
    return;
  }
  plan.cgroupFd = 'open';
  plan.values.set('cgroup', '(uint64_t)cgroup_fd');
  plan.notes.push(`CLONE_INTO_CGROUP with cgroup ${number}: the program opens its own cgroup2 directory and passes that fd instead.`);
}

function planLegacy(call: NormalizedCall, plan: Plan): Plan | string {
  for (const [name, value] of Object.entries(call.fields)) {
    const arg = LEGACY_ARGS[name];
    if (!arg) continue;
    const expr = arg === 'newsp' && value === 'ptr' ? stackTop(plan) : pointerValue(value, plan, arg);
    const existing = plan.values.get(arg);
    if (existing !== undefined && existing !== expr) return `two fields give clone()'s ${arg} argument different values`;
    plan.values.set(arg, expr);
  }
  if ((call.flags & CLONE_VM) !== 0n && !plan.values.has('newsp')) {
    plan.values.set('newsp', stackTop(plan));
    plan.notes.push('CLONE_VM and no stack given: the program passes its own child stack (legacy clone does not check it).');
  }
  return call.size !== null ? planLongArg(call, plan, 'ctid') : plan;
}

function stackTop(plan: Plan): string {
  plan.usesStack = true;
  return '(uint64_t)(uintptr_t)stack_top';
}

/** The 2008 RFC's struct long_clone_arg { int size; ... }: passed in child_tidptr (clone) or as unshare's 2nd argument. */
function planLongArg(call: NormalizedCall, plan: Plan, arg: string): Plan {
  const size = call.size ?? 4;
  const end = Math.max(8, ...plan.extra.map((m) => m.offset + m.size));
  plan.bufferSize = Math.max(end, Math.min(size, BUFFER_CAP));
  if (call.argsPointer === 'bad') {
    plan.usesBad = true;
    plan.values.set(arg, '(uint64_t)(uintptr_t)bad_address');
  } else {
    plan.values.set(arg, '(uint64_t)(uintptr_t)long_arg');
  }
  plan.notes.push(
    `The RFC's long argument (int size = ${size}, then the tail) is passed as ${arg}. The RFC was never merged: ` +
      'a real kernel reads bit 31 as CLONE_IO and never looks at this buffer.',
  );
  return plan;
}

function isZero(value: NormalizedField): boolean {
  return typeof value === 'bigint' ? value === 0n : Array.isArray(value) ? value.length === 0 : false;
}

/** "ptr" → memory the program owns, "bad" → a reserved page that is never accessible, a number → itself. */
function pointerValue(value: NormalizedField, plan: Plan, slot: string): string {
  if (value === 'ptr') {
    if (slot === 'stack') {
      plan.usesStack = true;
      return '(uint64_t)(uintptr_t)stack_area';
    }
    plan.slots.add(slot);
    return `(uint64_t)(uintptr_t)&slot_${slot}`;
  }
  if (value === 'bad') {
    plan.usesBad = true;
    return '(uint64_t)(uintptr_t)bad_address';
  }
  if (Array.isArray(value)) return '0';
  return u64(value);
}

function setTidValue(value: NormalizedField, plan: Plan): string {
  if (Array.isArray(value)) {
    plan.setTid = value.slice(0, MAX_SET_TID);
    plan.usesSetTidArray = true;
    return '(uint64_t)(uintptr_t)set_tid_array';
  }
  if (value === 'ptr') {
    plan.usesSetTidArray = true;
    return '(uint64_t)(uintptr_t)set_tid_array';
  }
  return pointerValue(value, plan, 'set_tid');
}

/** Debian's kernel.unprivileged_userns_clone decides CLONE_NEWUSER: a host fact the program checks, never sets. */
function checksUsernsSysctl(call: NormalizedCall, ctx: Context): boolean {
  return ctx.debianUsernsRestricted || (call.flags & CLONE_NEWUSER) !== 0n;
}

/** set_tid values are checked against pid_max: another host fact. */
function usesSetTidValues(call: NormalizedCall): boolean {
  return call.syscall === 'clone3' && Array.isArray(call.fields.set_tid) && call.fields.set_tid.length > 0;
}

function pidLiteral(value: bigint): string {
  const low = BigInt.asIntN(32, value);
  return low === value ? low.toString() : `(pid_t)${u64(value)}`;
}

function u64(value: bigint): string {
  return `0x${(value & U64).toString(16)}ULL`;
}

function flagComment(call: NormalizedCall): string {
  const names: string[] = [];
  let rest = call.flags & U64;
  if (call.syscall === 'clone') {
    const signal = rest & 0xffn;
    rest &= ~0xffn;
    if (signal !== 0n) names.push(`exit signal ${signal}`);
  }
  for (const [bit, name] of FLAG_NAMES) {
    if ((rest & bit) !== 0n) {
      names.push(call.syscall !== 'clone3' && bit === 0x80000000n && call.size !== null ? 'CLONE_LONGARG' : name);
      rest &= ~bit;
    }
  }
  if (rest !== 0n) names.push(`unnamed bits ${u64(rest)}`);
  return names.length > 0 ? names.join(' | ') : 'no flags';
}

function describeValue(value: NormalizedField): string {
  if (Array.isArray(value)) return `[${value.join(', ')}]`;
  return typeof value === 'bigint' ? value.toString() : `"${value}"`;
}

function describeContext(ctx: Context): string[] {
  const lines = [
    `${ctx.privileged ? 'root with full capabilities' : 'uid/gid 65534 with no capabilities'}, ${ctx.threads} thread(s), ` +
      `pid ns level ${ctx.pidNamespaceLevel}${ctx.isInit ? ' as its PID 1' : ''}, user ns level ${ctx.userNamespaceLevel}`,
  ];
  const extras: string[] = [];
  if (ctx.timeNamespaceForChildren) extras.push('did unshare(CLONE_NEWTIME)');
  if (ctx.pidNamespaceForChildren) extras.push('did unshare(CLONE_NEWPID)');
  if (ctx.sharedSighand) extras.push('shares its memory and signal handlers with another process');
  else if (ctx.sharedVm) extras.push('shares its memory with another process');
  if (ctx.chrooted) extras.push('is chrooted');
  if (ctx.pidsInUse.length > 0) extras.push(`pids ${ctx.pidsInUse.join(', ')} are taken`);
  if (ctx.debianUsernsRestricted) extras.push('kernel.unprivileged_userns_clone = 0');
  if (extras.length > 0) lines.push(extras.join(', '));
  return lines;
}

function header(call: NormalizedCall, plan: Plan | null): string {
  const fields = Object.entries(call.fields).map(([k, v]) => `${k}=${describeValue(v)}`);
  const lines = [
    `/* sysarg export-c: ${call.syscall}() as simulated for kernel model "${call.kernel}".`,
    ' *',
    ` * flags: ${u64(call.flags)} (${flagComment(call)})`,
  ];
  if (call.size !== null) lines.push(` * size: ${call.size}, tail: ${call.tail}`);
  if (fields.length > 0) lines.push(` * fields: ${fields.join(', ')}`);
  const [first, ...more] = describeContext(contextOf(call));
  lines.push(` * caller: ${first}`, ...more.map((m) => ` *         ${m}`));
  for (const note of plan?.notes ?? []) lines.push(` * ${note}`);
  lines.push(
    ' *',
    ' * Makes the real call (x86_64, raw syscall; a child exits at once) and prints one line:',
    ' *   sysarg-result: success ...  |  sysarg-result: EINVAL  |  sysarg-result: unsupported <why>',
    ' * Build and run: gcc -O2 -Wall -pthread -o call call.c && sudo ./call',
    ' * Exit status: 0 call made, 3 unsupported, 4 cannot recreate the caller here, 5 setup failed or timed out.',
    ' */',
  );
  return lines.join('\n');
}

function unsupportedProgram(why: string): string {
  return `#include <stdio.h>

int main(void)
{
	printf("sysarg-result: unsupported %s\\n", ${cString(why)});
	return 3;
}
`;
}

function cString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function includes(threads: boolean): string {
  const headers = [
    'errno.h', 'fcntl.h', ...(threads ? ['pthread.h'] : []), 'signal.h', 'stdarg.h', 'stdint.h', 'stdio.h',
    'stdlib.h', 'string.h', 'sys/mman.h', 'sys/prctl.h', 'sys/syscall.h', 'sys/types.h', 'sys/wait.h', 'time.h', 'unistd.h',
  ];
  return `#define _GNU_SOURCE
${headers.map((h) => `#include <${h}>`).join('\n')}
#if defined(__has_include)
#if __has_include(<linux/sched.h>)
#include <linux/sched.h>
#endif
#endif

#if !defined(__x86_64__)
#error "this program makes raw x86_64 system calls"
#endif`;
}

function compatDefines(call: NormalizedCall, ctx: Context): string {
  const defines: [string, string][] = [['__WALL', '0x40000000'], ['PR_SET_CHILD_SUBREAPER', '36']];
  if (call.syscall === 'clone3' || ctx.pidsInUse.length > 0) defines.push(['SYS_clone3', '435']);
  if (ctx.userNamespaceLevel > 0) defines.push(['CLONE_NEWUSER', '0x10000000']);
  if (ctx.pidNamespaceLevel > 0 || ctx.pidNamespaceForChildren) defines.push(['CLONE_NEWPID', '0x20000000']);
  if (ctx.timeNamespaceForChildren) defines.push(['CLONE_NEWTIME', '0x80']);
  if (ctx.sharedVm) defines.push(['CLONE_VM', '0x100'], ['CLONE_SIGHAND', '0x800']);
  return defines.map(([name, value]) => `#ifndef ${name}\n#define ${name} ${value}\n#endif`).join('\n') + '\n';
}

function makeCall(call: NormalizedCall, plan: Plan): string {
  const decls: string[] = [];
  if (plan.slots.size > 0) decls.push(`/* memory for pointer fields given as "ptr" */\nstatic uint64_t ${[...plan.slots].map((s) => `slot_${s}`).join(', ')};`);
  if (plan.usesSetTidArray) {
    const init = plan.setTid && plan.setTid.length > 0 ? ` = { ${plan.setTid.map(pidLiteral).join(', ')} }` : '';
    decls.push(`/* set_tid: innermost pid namespace first; the kernel reads set_tid_size entries */\nstatic pid_t set_tid_array[${MAX_SET_TID}]${init};`);
  }
  const locals: string[] = [];
  if (plan.usesStack) {
    locals.push('\tvoid *stack_area = map_stack();');
    if (call.syscall === 'clone') locals.push(`\tvoid *stack_top = (char *)stack_area + ${STACK_BYTES}; /* legacy clone takes the initial stack pointer */`);
  }
  if (plan.usesBad) locals.push('\tvoid *bad_address = reserve_unmapped_page();');
  const top = decls.length > 0 ? `${decls.join('\n')}\n` : '';
  if (call.syscall === 'clone3') return top + clone3Call(call, plan, locals);
  if (call.syscall === 'clone') return top + longArgDecl(call, plan) + legacyCall(call, plan, locals);
  return top + longArgDecl(call, plan) + unshareCall(call, plan, locals);
}

function extraMembers(plan: Plan, buffer: string): string[] {
  return plan.extra.map(
    (m) => `\t{ /* ${m.name}: the author's member at offset ${m.offset} */\n\t\tuint64_t value = ${m.value};\n\n\t\tmemcpy(${buffer} + ${m.offset}, &value, ${m.size});\n\t}`,
  );
}

function clone3Call(call: NormalizedCall, plan: Plan, locals: string[]): string {
  const size = call.size ?? CLONE_ARGS_SIZE;
  const assigns = [...plan.values].map(([name, expr]) => `\targs.${name} = ${expr};`);
  const after = extraMembers(plan, 'call_buffer');
  const end = Math.max(CLONE_ARGS_SIZE, ...plan.extra.map((m) => m.offset + m.size));
  if (call.tail === 'nonzero' && size > end && size <= plan.bufferSize) {
    after.push(`\tcall_buffer[${size - 1}] = 0xff; /* a non-zero byte past the struct */`);
  }
  const pidfd = (call.flags & CLONE_PIDFD) !== 0n && plan.slots.has('pidfd') ? '(int)slot_pidfd' : '-1';
  const pointer = call.argsPointer === 'bad' ? 'bad_address' : 'call_buffer';
  return `/* the bytes userspace passes: struct clone_args, then the tail (zero unless set below) */
static unsigned char call_buffer[${plan.bufferSize}] __attribute__((aligned(8)));

static long make_call(void)
{
	struct sysarg_clone_args args;
${locals.join('\n')}${locals.length > 0 ? '\n' : ''}
	memset(&args, 0, sizeof(args));
	args.flags = ${u64(call.flags)}; /* ${flagComment(call)} */
${assigns.join('\n')}${assigns.length > 0 ? '\n' : ''}	memcpy(call_buffer, &args, sizeof(args));
${after.join('\n')}${after.length > 0 ? '\n' : ''}	return raw_clone(SYS_clone3, (long)${pointer}, ${size}L, 0, 0, 0);
}

static void report(long ret)
{
	report_clone(ret, ${pidfd});
}
`;
}

function legacyCall(call: NormalizedCall, plan: Plan, locals: string[]): string {
  const arg = (name: string): string => plan.values.get(name) ?? '0';
  const pidfd = (call.flags & CLONE_PIDFD) !== 0n && plan.slots.has('ptid') ? '(int)slot_ptid' : '-1';
  return `static long make_call(void)
{
${locals.join('\n')}${locals.length > 0 ? '\n\n' : ''}${longArgFill(call, plan)}	/* clone(flags with the exit signal in the low byte, newsp, parent_tidptr, child_tidptr, tls) */
	return raw_clone(SYS_clone, (long)${u64(call.flags)} /* ${flagComment(call)} */,
			 (long)${arg('newsp')}, (long)${arg('ptid')},
			 (long)${arg('ctid')}, (long)${arg('tls')});
}

static void report(long ret)
{
	/* legacy CLONE_PIDFD returns the pidfd through parent_tidptr */
	report_clone(ret, ${pidfd});
}
`;
}

function unshareCall(call: NormalizedCall, plan: Plan, locals: string[]): string {
  const flagptr = plan.values.get('flagptr');
  const extra = flagptr ? `, ${flagptr.replace('(uint64_t)(uintptr_t)', '')}` : '';
  return `static long make_call(void)
{
${locals.join('\n')}${locals.length > 0 ? '\n\n' : ''}${longArgFill(call, plan)}	if (syscall(SYS_unshare, (unsigned long)${u64(call.flags)} /* ${flagComment(call)} */${extra}))
		return -errno;
	return 0;
}

static void report(long ret)
{
	if (ret < 0)
		result("%s", errno_name((int)-ret));
	else
		result("success");
}
`;
}

function longArgDecl(call: NormalizedCall, plan: Plan): string {
  if (call.size === null) return '';
  return `/* the RFC's struct long_clone_arg: int size, then members added at the tail */\nstatic unsigned char long_arg[${plan.bufferSize}] __attribute__((aligned(8)));\n\n`;
}

function longArgFill(call: NormalizedCall, plan: Plan): string {
  if (call.size === null) return '';
  const size = call.size;
  const end = Math.max(4, ...plan.extra.map((m) => m.offset + m.size));
  const lines = [`\t{\n\t\tint size = ${size};\n\n\t\tmemcpy(long_arg, &size, sizeof(size));\n\t}`, ...extraMembers(plan, 'long_arg')];
  if (call.tail === 'nonzero' && size > end && size <= plan.bufferSize) lines.push(`\tlong_arg[${size - 1}] = 0xff; /* a non-zero tail */`);
  return `${lines.join('\n')}\n`;
}

function callerAndMain(call: NormalizedCall, plan: Plan): string {
  const ctx = plan.ctx;
  const needsRoot = !ctx.privileged || ctx.pidNamespaceLevel > 0 || ctx.userNamespaceLevel > 0 || ctx.chrooted ||
    ctx.pidsInUse.length > 0 || ctx.timeNamespaceForChildren || ctx.pidNamespaceForChildren;
  const steps: string[] = [];
  if (needsRoot) steps.push('\tif (geteuid() != 0)\n\t\tcannot("recreating this caller (namespaces, chroot, dropping to uid 65534) needs root");');
  if (ctx.privileged) {
    steps.push('\tif (!has_capability(21 /* CAP_SYS_ADMIN */))\n\t\tcannot("a privileged caller needs CAP_SYS_ADMIN: run as root");');
    steps.push('\tnote_missing_capabilities();');
  }
  if (plan.cgroupFd === 'open') steps.push('\tcgroup_fd = open_own_cgroup2(); /* before namespaces and chroot change what the caller sees */');
  if (checksUsernsSysctl(call, ctx)) steps.push(`\tcheck_userns_sysctl(${ctx.debianUsernsRestricted ? 0 : 1});`);
  if (usesSetTidValues(call)) steps.push(`\tcheck_pid_max(${ctx.pidMax});`);
  for (let i = 0; i < ctx.userNamespaceLevel; i++) steps.push(`\tenter_user_namespace(); /* level ${i + 1} */`);
  for (let i = 0; i < ctx.pidNamespaceLevel; i++) steps.push(`\tenter_pid_namespace(); /* level ${i + 1} */`);
  if (ctx.pidNamespaceLevel > 0 && !ctx.isInit) steps.push('\tstay_below_init();');
  if (ctx.pidsInUse.length > 0) steps.push(`\t{\n\t\tstatic const pid_t taken[] = { ${ctx.pidsInUse.join(', ')} };\n\n\t\ttake_pids(taken, ${ctx.pidsInUse.length});\n\t}`);
  if (ctx.chrooted) steps.push('\tenter_chroot();');
  if (ctx.sharedVm) steps.push(`\tstart_sharing_partner(CLONE_VM${ctx.sharedSighand ? ' | CLONE_SIGHAND' : ''});`);
  // threads and the sharing partner come first: after unshare(CLONE_NEWPID/NEWTIME) they could not be created
  if (ctx.threads > 1) steps.push(`\tstart_threads(${ctx.threads - 1});`);
  if (ctx.timeNamespaceForChildren) steps.push('\tif (syscall(SYS_unshare, CLONE_NEWTIME))\n\t\tsetup_failed("unshare(CLONE_NEWTIME)");');
  if (ctx.pidNamespaceForChildren) steps.push('\tif (syscall(SYS_unshare, CLONE_NEWPID))\n\t\tsetup_failed("unshare(CLONE_NEWPID)");');
  if (!ctx.privileged) steps.push('\tdrop_privileges();');
  steps.push('\tret = make_call();');
  const locals = ['\tlong ret;'];
  return `/* Recreates the caller, makes the call and prints the result; runs in a child of the supervisor. */
static int caller(void)
{
${locals.join('\n')}

${steps.join('\n')}
	report(ret);
	return 0;
}

int main(void)
{
	block_all_signals();
	return supervise(caller);
}
`;
}

const CLONE_ARGS_STRUCT = String.raw`/* struct clone_args as in include/uapi/linux/sched.h (CLONE_ARGS_SIZE_VER2 = 88), whatever header is installed */
struct sysarg_clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal;
	uint64_t stack, stack_size, tls, set_tid, set_tid_size, cgroup;
};
#ifdef CLONE_ARGS_SIZE_VER2
_Static_assert(sizeof(struct sysarg_clone_args) == CLONE_ARGS_SIZE_VER2, "struct clone_args layout");
#endif
`;

const RESULTS = String.raw`static const char *errno_name(int e)
{
	static char other[24];

	switch (e) {
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case ESRCH: return "ESRCH";
	case EINTR: return "EINTR";
	case EIO: return "EIO";
	case E2BIG: return "E2BIG";
	case EBADF: return "EBADF";
	case ECHILD: return "ECHILD";
	case EAGAIN: return "EAGAIN";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	case EEXIST: return "EEXIST";
	case ENODEV: return "ENODEV";
	case ENOTDIR: return "ENOTDIR";
	case EINVAL: return "EINVAL";
	case ENFILE: return "ENFILE";
	case EMFILE: return "EMFILE";
	case ENOSPC: return "ENOSPC";
	case ENOSYS: return "ENOSYS";
	case EUSERS: return "EUSERS";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	default:
		snprintf(other, sizeof(other), "errno%d", e);
		return other;
	}
}

/* The one line a reader (or the oracle harness) looks for. */
static void result(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("sysarg-result: ", stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	fflush(stdout);
	va_end(ap);
}

static void setup_failed(const char *what)
{
	result("unsupported setup failed: %s: %s", what, errno_name(errno));
	exit(5);
}
`;

const CANNOT = String.raw`static void cannot(const char *why)
{
	result("cannot %s", why);
	exit(4);
}
`;

const BLOCK_SIGNALS = String.raw`/*
 * Blocks every signal with the raw syscall (glibc's internal ones too) in every process of the program: an exit
 * signal such as 64 must not kill the parent that receives it, and children inherit the mask.
 */
static void block_all_signals(void)
{
	uint64_t all = ~(uint64_t)0;

	syscall(SYS_rt_sigprocmask, SIG_BLOCK, &all, NULL, sizeof(all));
}
`;

const CAPABILITIES = String.raw`struct sysarg_cap_header { uint32_t version; int pid; };
struct sysarg_cap_data { uint32_t effective, permitted, inheritable; };
#define SYSARG_CAP_VERSION_3 0x20080522

static uint64_t effective_capabilities(void)
{
	struct sysarg_cap_header h = { SYSARG_CAP_VERSION_3, 0 };
	struct sysarg_cap_data d[2];

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &h, d))
		return 0;
	return (uint64_t)d[1].effective << 32 | d[0].effective;
}
`;

const CAPABILITY_CHECKS = String.raw`static int has_capability(int cap)
{
	return (effective_capabilities() >> cap) & 1;
}

/* "privileged" means every capability; say so when this root has fewer (a container, a restricted VM). */
static void note_missing_capabilities(void)
{
	uint64_t missing = ~effective_capabilities() & ((1ULL << 41) - 1); /* CAP_LAST_CAP is 40 */

	if (missing)
		fprintf(stderr, "sysarg-note: capabilities missing from the effective set: 0x%llx\n",
			(unsigned long long)missing);
}
`;

const BAD_PAGE = String.raw`/* A page that stays reserved and never accessible: pointer fields given as "bad" point here, so uses fault. */
static void *reserve_unmapped_page(void)
{
	void *p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		setup_failed("mmap");
	return p;
}
`;

const STACK = String.raw`static void *map_stack(void)
{
	void *p = mmap(NULL, ${STACK_BYTES}, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);

	if (p == MAP_FAILED)
		setup_failed("mmap");
	return p;
}
`;

const RAW_CLONE = String.raw`/*
 * clone/clone3 as one raw syscall. The child (return value 0) exits at once with SYS_exit (this thread only) and
 * touches no memory, so a CLONE_VM child never runs libc code on the parent's stack.
 */
static long raw_clone(long nr, long a1, long a2, long a3, long a4, long a5)
{
	long ret;
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;

	__asm__ volatile(
		"syscall\n\t"
		"test %%rax, %%rax\n\t"
		"jnz 1f\n\t"
		"mov $60, %%eax\n\t" /* SYS_exit */
		"xor %%edi, %%edi\n\t"
		"syscall\n\t"
		"hlt\n"
		"1:"
		: "=a"(ret)
		: "0"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8)
		: "rcx", "r11", "memory");
	return ret;
}
`;

const REPORT_CLONE = String.raw`/* Prints the errno, or success with what became of the child; reaps it and closes a pidfd. */
static void report_clone(long ret, int pidfd)
{
	const char *with_pidfd = pidfd >= 0 ? " pidfd=yes" : "";
	int status;
	pid_t got;

	if (ret < 0 && ret > -4096) {
		result("%s", errno_name((int)-ret));
		return;
	}
	/* a CLONE_THREAD or CLONE_PARENT child is not ours to wait for (ECHILD) */
	do
		got = waitpid((pid_t)ret, &status, __WALL);
	while (got < 0 && errno == EINTR);
	if (pidfd >= 0)
		close(pidfd);
	if (got < 0)
		result("success pid=%ld reaped=no-%s%s", ret, errno_name(errno), with_pidfd);
	else if (WIFEXITED(status))
		result("success pid=%ld reaped=exit-%d%s", ret, WEXITSTATUS(status), with_pidfd);
	else
		result("success pid=%ld reaped=signal-%d%s", ret, WTERMSIG(status), with_pidfd);
}
`;

const SUPERVISOR = String.raw`#ifndef SYSARG_TIMEOUT_SECONDS
#define SYSARG_TIMEOUT_SECONDS 10
#endif

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/*
 * Runs fn in a child, in its own process group, and waits with a timeout. As a subreaper it also reaps orphans
 * (a CLONE_PARENT child whose parent is gone); once the child is done, or if anything hangs, the group is killed.
 */
static int supervise(int (*fn)(void))
{
	double deadline = now() + SYSARG_TIMEOUT_SECONDS;
	struct timespec tick = { 0, 1000000 };
	int status, code = -1;
	pid_t child, got;

	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	child = fork();
	if (child < 0)
		setup_failed("fork");
	if (child == 0) {
		setpgid(0, 0);
		exit(fn());
	}
	setpgid(child, child);
	while (now() < deadline) {
		got = waitpid(-1, &status, __WALL | WNOHANG);
		if (got < 0 && errno == ECHILD)
			return code < 0 ? 5 : code;
		if (got == child && WIFEXITED(status))
			code = WEXITSTATUS(status);
		else if (got == child) {
			result("unsupported setup failed: killed by signal %d", WTERMSIG(status));
			code = 5;
		}
		if (got == child) /* the caller is done: whatever it left behind (sleepers, a sharing partner) goes */
			kill(-child, SIGKILL);
		if (got <= 0)
			nanosleep(&tick, NULL);
	}
	kill(-child, SIGKILL);
	if (code < 0)
		result("timeout after %d seconds", SYSARG_TIMEOUT_SECONDS);
	while (waitpid(-1, &status, __WALL) > 0 || errno == EINTR)
		;
	return code < 0 ? 5 : code;
}
`;

const WAIT_ALL = String.raw`/*
 * Used by each level that only waits: reaps children until the next level exits, then exits with its status. What is
 * left (a pid namespace dies with its init) goes to the supervisor, which kills and reaps it.
 */
static void wait_all_and_exit(pid_t first)
{
	int status;
	pid_t got;

	for (;;) {
		got = waitpid(-1, &status, __WALL);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			exit(5);
		if (got != first)
			continue;
		if (WIFEXITED(status))
			exit(WEXITSTATUS(status));
		result("unsupported setup failed: killed by signal %d", WTERMSIG(status));
		exit(5);
	}
}
`;

const USER_NS = String.raw`static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/*
 * One more user namespace level: a child unshares CLONE_NEWUSER; this process, privileged in the parent namespace,
 * maps every uid and gid 1:1 into it and then only waits. The child goes on as root of the new namespace.
 */
static void enter_user_namespace(void)
{
	int ready[2], go[2];
	char c = 'n', path[64];
	pid_t child;

	if (pipe(ready) || pipe(go))
		setup_failed("pipe");
	child = fork();
	if (child < 0)
		setup_failed("fork");
	if (child == 0) {
		close(ready[0]);
		close(go[1]);
		if (syscall(SYS_unshare, CLONE_NEWUSER))
			setup_failed("unshare(CLONE_NEWUSER)");
		if (write(ready[1], "y", 1) != 1 || read(go[0], &c, 1) != 1 || c != 'y')
			exit(5);
		close(ready[1]);
		close(go[0]);
		return;
	}
	close(ready[1]);
	close(go[0]);
	if (read(ready[0], &c, 1) == 1) {
		snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)child);
		if (write_file(path, "0 0 4294967295\n"))
			setup_failed("write uid_map");
		snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)child);
		if (write_file(path, "0 0 4294967295\n"))
			setup_failed("write gid_map");
		if (write(go[1], "y", 1) != 1)
			setup_failed("pipe");
	}
	wait_all_and_exit(child);
}
`;

const PID_NS = String.raw`/* One more pid namespace level: unshare CLONE_NEWPID and fork; the child is PID 1 there, this process only waits. */
static void enter_pid_namespace(void)
{
	pid_t child;

	if (syscall(SYS_unshare, CLONE_NEWPID))
		setup_failed("unshare(CLONE_NEWPID)");
	child = fork();
	if (child < 0)
		setup_failed("fork");
	if (child == 0)
		return;
	wait_all_and_exit(child);
}
`;

const BELOW_INIT = String.raw`/* The caller is an ordinary process of the innermost pid namespace: PID 1 forks it and reaps. */
static void stay_below_init(void)
{
	pid_t child = fork();

	if (child < 0)
		setup_failed("fork");
	if (child == 0)
		return;
	wait_all_and_exit(child);
}
`;

const THREADS = String.raw`static void *idle_thread(void *unused)
{
	(void)unused;
	for (;;)
		pause();
	return NULL;
}

/* n more threads in the caller's thread group; they only sleep (with every signal blocked, inherited). */
static void start_threads(int n)
{
	pthread_attr_t attr;
	pthread_t t;
	int i;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 65536);
	for (i = 0; i < n; i++) {
		errno = pthread_create(&t, &attr, idle_thread, NULL);
		if (errno)
			setup_failed("pthread_create");
	}
}
`;

const OWN_CGROUP = String.raw`static int cgroup_fd = -1;

/* The caller's own cgroup2 directory ("0::PATH" in /proc/self/cgroup, below the cgroup2 mount), opened as a directory. */
static int open_own_cgroup2(void)
{
	char line[4096], mount[2048] = "", path[4096] = "", full[8192];
	FILE *f = fopen("/proc/self/mountinfo", "r");
	int fd;

	while (f && fgets(line, sizeof(line), f)) {
		/* mountinfo: ID PARENT MAJ:MIN ROOT MOUNTPOINT ... - FSTYPE ... */
		if (strstr(line, " - cgroup2 ") && sscanf(line, "%*s %*s %*s %*s %2047s", mount) == 1)
			break;
		mount[0] = 0;
	}
	if (f)
		fclose(f);
	f = fopen("/proc/self/cgroup", "r");
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, "0::", 3) == 0 && sscanf(line + 3, "%4095s", path) == 1)
			break;
	if (f)
		fclose(f);
	if (!mount[0] || !path[0])
		cannot("CLONE_INTO_CGROUP needs a cgroup2 hierarchy, and none is mounted here");
	snprintf(full, sizeof(full), "%s%s", mount, strcmp(path, "/") ? path : "");
	fd = open(full, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		setup_failed("open the caller's cgroup2 directory");
	return fd;
}
`;

const CLOSED_FD = String.raw`/* A file descriptor number that no file is open on right now. */
static int closed_fd(void)
{
	int fd = open("/dev/null", O_RDONLY);

	if (fd < 0)
		return 1 << 20;
	close(fd);
	return fd;
}
`;

const READ_SYSCTL = String.raw`/* A number from /proc/sys, or missing when the file does not exist. */
static long read_sysctl(const char *path, long missing)
{
	FILE *f = fopen(path, "r");
	long value = missing;

	if (!f)
		return missing;
	if (fscanf(f, "%ld", &value) != 1)
		value = missing;
	fclose(f);
	return value;
}
`;

const USERNS_SYSCTL = String.raw`/* Debian's kernel.unprivileged_userns_clone (upstream kernels lack it, which acts like 1): a host fact, never set here. */
static void check_userns_sysctl(long wanted)
{
	long value = read_sysctl("/proc/sys/kernel/unprivileged_userns_clone", 1);

	if (value == wanted)
		return;
	result("cannot kernel.unprivileged_userns_clone is %ld here (or absent = 1); the call assumes %ld", value, wanted);
	exit(4);
}
`;

const PID_MAX = String.raw`/* set_tid values are checked against pid_max, which this program does not change. */
static void check_pid_max(long wanted)
{
	long value = read_sysctl("/proc/sys/kernel/pid_max", -1);

	if (value == wanted)
		return;
	result("cannot pid_max is %ld here; the call assumes %ld", value, wanted);
	exit(4);
}
`;

const TAKEN_PIDS = String.raw`/*
 * Takes the given pids of the caller's pid namespace with sleeping children (clone3 with set_tid, as root). They
 * live until the supervisor kills the process group after the caller is done.
 */
static void take_pids(const pid_t *pids, int n)
{
	struct sysarg_clone_args args;
	pid_t want;
	long ret;
	int i;

	for (i = 0; i < n; i++) {
		if (pids[i] == getpid())
			continue;
		want = pids[i];
		memset(&args, 0, sizeof(args));
		args.exit_signal = SIGCHLD;
		args.set_tid = (uint64_t)(uintptr_t)&want;
		args.set_tid_size = 1;
		ret = syscall(SYS_clone3, &args, sizeof(args)); /* no CLONE_VM: the child is a copy and may run libc */
		if (ret < 0)
			setup_failed("clone3 with set_tid (taking a pid)");
		if (ret == 0)
			for (;;)
				pause();
	}
}
`;

const CHROOT = String.raw`/* A chrooted caller: its root is no longer the mount namespace's root (create_user_ns() refuses those). */
static void enter_chroot(void)
{
	if (chroot("/tmp") && chroot("/usr"))
		setup_failed("chroot");
	if (chdir("/"))
		setup_failed("chdir");
}
`;

const SHARING_PARTNER = String.raw`/*
 * Another process that shares the caller's memory (and, with CLONE_SIGHAND, its signal handlers) and only sleeps:
 * a raw clone whose child loops on pause() without touching memory. The supervisor kills it when the caller is done.
 */
static pid_t start_sharing_partner(long flags)
{
	char *stack_top = (char *)map_stack() + ${STACK_BYTES};
	register long r10 __asm__("r10") = 0;
	register long r8 __asm__("r8") = 0;
	long ret;

	__asm__ volatile(
		"syscall\n\t"
		"test %%rax, %%rax\n\t"
		"jnz 2f\n"
		"1:\n\t"
		"mov $34, %%eax\n\t" /* SYS_pause */
		"syscall\n\t"
		"jmp 1b\n"
		"2:"
		: "=a"(ret)
		: "0"((long)SYS_clone), "D"(flags | SIGCHLD), "S"(stack_top), "d"(0L), "r"(r10), "r"(r8)
		: "rcx", "r11", "memory");
	if (ret < 0) {
		errno = (int)-ret;
		setup_failed("clone (a process sharing the caller's memory)");
	}
	return (pid_t)ret;
}
`;

const DROP_PRIVILEGES = String.raw`/*
 * uid/gid 65534, no supplementary groups, no capabilities at all (checked). Raw system calls change the calling
 * thread only, without glibc's signal to every thread (all signals are blocked); the idle threads never make a call.
 */
static void drop_privileges(void)
{
	struct sysarg_cap_header h = { SYSARG_CAP_VERSION_3, 0 };
	struct sysarg_cap_data none[2];

	if (syscall(SYS_setgroups, 0, NULL))
		setup_failed("setgroups");
	if (syscall(SYS_setresgid, 65534, 65534, 65534))
		setup_failed("setresgid");
	if (syscall(SYS_setresuid, 65534, 65534, 65534))
		setup_failed("setresuid");
	memset(none, 0, sizeof(none));
	if (syscall(SYS_capset, &h, none))
		setup_failed("capset");
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	if (effective_capabilities() != 0)
		setup_failed("capabilities left after dropping them");
}
`;
