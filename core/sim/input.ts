// Validates a simulate input (CONTRACTS.md `sysarg simulate`) into a NormalizedCall, or throws SimInputError with one line.
import type { AuthorModel, NormalizedCall, NormalizedField, PointerValue, SimulateOptions, SyscallName } from './types';
import { CLONE_ARGS_MEMBERS, LONG_CLONE_ARG_MEMBERS, resolveKernel, UnknownKernelError, type KernelModel } from './kernels';

export class SimInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimInputError';
  }
}

const U64_MAX = (1n << 64n) - 1n;
const INT_MAX = 2 ** 31 - 1;
const LONGARG_BIT = 0x80000000n;
const TOP_KEYS = new Set(['kernel', 'syscall', 'flags', 'size', 'tail', 'fields', 'context', 'argsPointer', 'uri']);

/** Fields that hold user pointers (may be "ptr"/"bad"); the rest are plain numbers. */
const POINTER_FIELDS = new Set(['pidfd', 'child_tid', 'parent_tid', 'stack', 'tls', 'set_tid']);
const LEGACY_ALIASES: Record<string, string> = {
  stack: 'stack',
  newsp: 'stack',
  parent_tid: 'parent_tid',
  parent_tidptr: 'parent_tid',
  pidfd: 'parent_tid',
  child_tid: 'child_tid',
  child_tidptr: 'child_tid',
  tls: 'tls',
  exit_signal: 'exit_signal',
};

type Obj = Record<string, unknown>;

export function normalizeInput(input: unknown, options: SimulateOptions = {}): NormalizedCall {
  const obj = asObject(input, 'input');
  for (const key of Object.keys(obj)) {
    if (!TOP_KEYS.has(key)) throw new SimInputError(`unknown input key '${key}' (expected kernel, syscall, flags, size, tail, fields, context, argsPointer)`);
  }
  const syscall = obj.syscall;
  if (syscall !== 'clone' && syscall !== 'clone3' && syscall !== 'unshare') {
    throw new SimInputError(`syscall must be "clone", "clone3" or "unshare", not ${show(syscall)}`);
  }
  const kernelName = obj.kernel === undefined ? 'host' : obj.kernel;
  if (typeof kernelName !== 'string') throw new SimInputError(`kernel must be a string, not ${show(kernelName)}`);
  let model: KernelModel;
  try {
    model = resolveKernel(kernelName, options.hostRelease, options.author);
  } catch (error) {
    if (error instanceof UnknownKernelError) throw new SimInputError(error.message);
    throw error;
  }
  let flags = parseFlags(obj.flags, model, options.author);
  const longArg = syscall !== 'clone3' && (flags & LONGARG_BIT) !== 0n;
  const size = parseSize(obj.size, syscall, longArg, model);
  const tail = obj.tail === undefined ? 'zero' : obj.tail;
  if (tail !== 'zero' && tail !== 'nonzero') throw new SimInputError(`tail must be "zero" or "nonzero", not ${show(tail)}`);
  const argsPointer = obj.argsPointer === undefined ? undefined : obj.argsPointer;
  if (argsPointer !== undefined && argsPointer !== 'ptr' && argsPointer !== 'bad') throw new SimInputError(`argsPointer must be "ptr" or "bad", not ${show(argsPointer)}`);
  const fields = parseFields(obj.fields, syscall, longArg, model, options.author);
  if (syscall === 'clone' && fields.exit_signal !== undefined) {
    if (!Array.isArray(obj.flags)) {
      if (typeof obj.flags === 'number' || (typeof obj.flags === 'string' && isNumberText(obj.flags))) {
        throw new SimInputError('fields.exit_signal cannot be combined with a numeric flags word: for legacy clone the exit signal is its low byte');
      }
    }
    const sig = fields.exit_signal as bigint;
    if (sig > 0xffn) throw new SimInputError(`legacy clone's exit_signal is the low byte of flags (0-255), not ${sig}`);
    flags |= sig;
    delete fields.exit_signal;
  }
  const call: NormalizedCall = { kernel: model.name, syscall, flags, size, tail, fields, context: parseContext(obj.context) };
  if (argsPointer !== undefined) call.argsPointer = argsPointer;
  return call;
}

function asObject(value: unknown, what: string): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SimInputError(`${what} must be a JSON object, not ${show(value)}`);
  return value as Obj;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = preview(value, 41);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/**
 * The JSON text of `value`, stopped once it is longer than `budget`: the input may be megabytes, or arrays nested
 * 100,000 deep, which JSON.stringify walks by recursion until the stack overflows.
 */
function preview(value: unknown, budget: number): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, budget));
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? String(value);
  const list = Array.isArray(value);
  const keys = list ? undefined : Object.keys(value);
  const count = keys ? keys.length : (value as unknown[]).length;
  let out = list ? '[' : '{';
  for (let i = 0; i < count && out.length <= budget; i++) {
    const item = keys ? (value as Record<string, unknown>)[keys[i]] : (value as unknown[])[i];
    out += `${i > 0 ? ',' : ''}${keys ? `${JSON.stringify(keys[i])}:` : ''}${preview(item, budget - out.length)}`;
  }
  return out.length > budget ? out : out + (list ? ']' : '}');
}

function isNumberText(text: string): boolean {
  return /^(0[xX][0-9a-fA-F]+|\d+)$/.test(text.trim());
}

function parseFlags(value: unknown, model: KernelModel, author: AuthorModel | undefined): bigint {
  if (value === undefined) return 0n;
  if (typeof value === 'number') return u64FromNumber(value, 'flags');
  if (typeof value === 'string') {
    if (isNumberText(value)) return u64FromText(value, 'flags');
    return value.split('|').reduce((acc, name) => acc | flagByName(name.trim(), model, author), 0n);
  }
  if (Array.isArray(value)) {
    let flags = 0n;
    for (const name of value) {
      if (typeof name !== 'string') throw new SimInputError(`flags must be names (strings) or one number, not ${show(name)}`);
      flags |= flagByName(name, model, author);
    }
    return flags;
  }
  throw new SimInputError(`flags must be a list of names or one number, not ${show(value)}`);
}

/** Userspace may use the author's header on any kernel: its new names are known whatever the model. */
function flagByName(name: string, model: KernelModel, author: AuthorModel | undefined): bigint {
  const value = model.flagNames.get(name) ?? author?.flags.find((f) => f.name === name)?.value;
  if (value !== undefined) return value;
  if (name === 'CLONE_STOPPED') throw new SimInputError(`flag CLONE_STOPPED exists only in 2.6.0-2.6.37 (bit 25 is CLONE_NEWCGROUP from 4.6); give 0x2000000 to set the bit on ${model.name}`);
  if (name === 'CLONE_LONGARG') throw new SimInputError(`flag CLONE_LONGARG exists only in the RFC model 2.6.24+longarg-rfc; give 0x80000000 to set bit 31 on ${model.name}`);
  if (name === 'CLONE_IO' && model.rfc) throw new SimInputError('flag CLONE_IO: bit 31 is CLONE_LONGARG in the RFC model');
  if (name === 'CLONE_NEWCGROUP') throw new SimInputError(`flag CLONE_NEWCGROUP: bit 25 is CLONE_STOPPED in ${model.name}`);
  throw new SimInputError(`unknown flag name ${show(name)}`);
}

function u64FromNumber(value: number, what: string): bigint {
  if (!Number.isInteger(value)) throw new SimInputError(`${what} must be an integer, not ${value}`);
  if (value < 0) throw new SimInputError(`${what} must not be negative (${value}); write a 64-bit value as a hex string`);
  if (!Number.isSafeInteger(value)) throw new SimInputError(`${what} ${value} is too large for an exact JSON number; write it as a hex string`);
  return BigInt(value);
}

function u64FromText(text: string, what: string): bigint {
  const value = BigInt(text.trim());
  if (value > U64_MAX) throw new SimInputError(`${what} ${text} does not fit in 64 bits`);
  return value;
}

function parseSize(value: unknown, syscall: SyscallName, longArg: boolean, model: KernelModel): number | null {
  if (syscall !== 'clone3' && !longArg) {
    if (value !== undefined) throw new SimInputError('size applies to clone3 and to the RFC long argument (CLONE_LONGARG, bit 31) only');
    return null;
  }
  if (value === undefined) return syscall === 'clone3' ? model.cloneArgs?.size ?? 88 : model.longArg ? model.longArg.size : null;
  if (typeof value !== 'number') throw new SimInputError(`size must be a number, not ${show(value)}`);
  if (!Number.isInteger(value)) throw new SimInputError(`size must be a whole number of bytes, not ${value}`);
  if (value < 0) throw new SimInputError(`size must not be negative (${value})`);
  const max = syscall === 'clone3' ? Number.MAX_SAFE_INTEGER : INT_MAX;
  if (value > max) throw new SimInputError(`size ${value} is too large (at most ${max}${syscall === 'clone3' ? '' : ': the RFC size is an int'})`);
  return value;
}

/** Userspace may be built from the author's header even when the kernel is not patched: its members are fields too. */
const allowedCache = new Map<string, Map<string, string>>();

function allowedFields(syscall: SyscallName, longArg: boolean, model: KernelModel, author: AuthorModel | undefined): Map<string, string> {
  if (author || model.author) return collectAllowed(syscall, longArg, model, author);
  const key = `${model.name}/${syscall}/${longArg}`;
  let allowed = allowedCache.get(key);
  if (!allowed) allowedCache.set(key, (allowed = collectAllowed(syscall, longArg, model, author)));
  return allowed;
}

function collectAllowed(syscall: SyscallName, longArg: boolean, model: KernelModel, author: AuthorModel | undefined): Map<string, string> {
  const allowed = new Map<string, string>();
  const add = (members: readonly { name: string }[]) => {
    for (const m of members) if (m.name !== 'flags' && m.name !== 'size') allowed.set(m.name, m.name);
  };
  if (syscall === 'clone3') {
    add(model.cloneArgs?.members ?? CLONE_ARGS_MEMBERS);
    if (author?.structName === 'clone_args') add(author.members);
    return allowed;
  }
  if (syscall === 'clone') for (const [alias, name] of Object.entries(LEGACY_ALIASES)) allowed.set(alias, name);
  if (longArg) {
    add(model.longArg?.members ?? LONG_CLONE_ARG_MEMBERS);
    if (author?.structName === 'long_clone_arg') add(author.members);
  }
  return allowed;
}

function parseFields(value: unknown, syscall: SyscallName, longArg: boolean, model: KernelModel, author: AuthorModel | undefined): Record<string, NormalizedField> {
  const fields: Record<string, NormalizedField> = {};
  if (value === undefined) return fields;
  const obj = asObject(value, 'fields');
  const allowed = allowedFields(syscall, longArg, model, author);
  for (const [key, raw] of Object.entries(obj)) {
    const name = allowed.get(key);
    if (name === undefined) {
      if (key === 'flags') throw new SimInputError('give flags at the top level, not in fields');
      if (key === 'size' && longArg) throw new SimInputError("give the long_clone_arg's size as the top-level size");
      const list = [...allowed.keys()].join(', ') || 'none';
      throw new SimInputError(`unknown field ${show(key)} for ${syscall} on ${model.name} (fields: ${list})`);
    }
    const parsed = parseField(name, key, raw);
    const previous = fields[name];
    if (previous !== undefined && !sameField(previous, parsed)) throw new SimInputError(`fields ${key} and another name for ${name} disagree (legacy clone passes them in one argument)`);
    fields[name] = parsed;
  }
  return fields;
}

function sameField(a: NormalizedField, b: NormalizedField): boolean {
  return Array.isArray(a) || Array.isArray(b) ? JSON.stringify(a, big) === JSON.stringify(b, big) : a === b;
}

function big(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

function parseField(name: string, key: string, raw: unknown): NormalizedField {
  const pointerish = POINTER_FIELDS.has(name) || name === 'cgroup' || !CLONE_ARGS_MEMBERS.some((m) => m.name === name);
  if (raw === 'ptr' || raw === 'bad') {
    if (!pointerish) throw new SimInputError(`field ${key} is a number, not a pointer (${show(raw)})`);
    if (name === 'cgroup' && raw === 'ptr') throw new SimInputError('field cgroup is a file descriptor: a number, or "bad" for one that is not open');
    return raw as PointerValue;
  }
  if (Array.isArray(raw)) {
    if (name !== 'set_tid') throw new SimInputError(`field ${key} takes one value, not a list`);
    if (raw.length > 4096) throw new SimInputError(`field set_tid has ${raw.length} entries (at most 4096)`);
    return raw.map((entry) => {
      if (typeof entry !== 'number' || !Number.isInteger(entry) || entry < -INT_MAX - 1 || entry > INT_MAX) {
        throw new SimInputError(`set_tid entries are pid_t (32-bit integers), not ${show(entry)}`);
      }
      return BigInt(entry);
    });
  }
  if (typeof raw === 'number') return u64FromNumber(raw, `field ${key}`);
  if (typeof raw === 'string' && isNumberText(raw)) return u64FromText(raw, `field ${key}`);
  throw new SimInputError(`field ${key} must be a number${pointerish ? ', "ptr" or "bad"' : ''}${name === 'set_tid' ? ' or a list of pids' : ''}, not ${show(raw)}`);
}

const CONTEXT_BOOL = ['privileged', 'isInit', 'timeNamespaceForChildren', 'pidNamespaceForChildren', 'sharedVm', 'sharedSighand', 'chrooted', 'debianUsernsRestricted', 'cgroupDelegated'] as const;
const CONTEXT_KEYS = new Set<string>([...CONTEXT_BOOL, 'threads', 'pidNamespaceLevel', 'userNamespaceLevel', 'pidMax', 'pidsInUse']);

/** The caller CONTRACTS.md describes when `context` is omitted: root in the initial namespaces, one thread. */
export const DEFAULT_CONTEXT: Readonly<NormalizedCall['context']> = parseContext(undefined);

function parseContext(value: unknown): NormalizedCall['context'] {
  const obj = value === undefined ? {} : asObject(value, 'context');
  for (const key of Object.keys(obj)) if (!CONTEXT_KEYS.has(key)) throw new SimInputError(`unknown context key ${show(key)} (known: ${[...CONTEXT_KEYS].join(', ')})`);
  for (const key of CONTEXT_BOOL) if (obj[key] !== undefined && typeof obj[key] !== 'boolean') throw new SimInputError(`context.${key} must be true or false, not ${show(obj[key])}`);
  const int = (key: string, def: number, min: number, max: number): number => {
    const v = obj[key];
    if (v === undefined) return def;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new SimInputError(`context.${key} must be an integer from ${min} to ${max}, not ${show(v)}`);
    return v;
  };
  const pidMax = int('pidMax', 32768, 301, 4194304);
  const pidsInUse = obj.pidsInUse === undefined ? [] : obj.pidsInUse;
  if (!Array.isArray(pidsInUse) || pidsInUse.some((p) => typeof p !== 'number' || !Number.isInteger(p) || p < 1 || p >= pidMax)) {
    throw new SimInputError(`context.pidsInUse must be a list of pids from 1 to pidMax-1, not ${show(pidsInUse)}`);
  }
  const bool = (key: (typeof CONTEXT_BOOL)[number], def: boolean): boolean => (obj[key] === undefined ? def : (obj[key] as boolean));
  if (bool('pidNamespaceForChildren', false) && int('pidNamespaceLevel', 0, 0, 32) >= 32) {
    throw new SimInputError('context.pidNamespaceForChildren cannot hold at pidNamespaceLevel 32: no pid namespace nests deeper');
  }
  return {
    privileged: bool('privileged', true),
    threads: int('threads', 1, 1, 4194304),
    pidNamespaceLevel: int('pidNamespaceLevel', 0, 0, 32),
    userNamespaceLevel: int('userNamespaceLevel', 0, 0, 33),
    isInit: bool('isInit', false),
    timeNamespaceForChildren: bool('timeNamespaceForChildren', false),
    pidNamespaceForChildren: bool('pidNamespaceForChildren', false),
    sharedVm: bool('sharedVm', false),
    sharedSighand: bool('sharedSighand', false),
    chrooted: bool('chrooted', false),
    pidMax,
    pidsInUse: pidsInUse as number[],
    debianUsernsRestricted: bool('debianUsernsRestricted', false),
    cgroupDelegated: bool('cgroupDelegated', false),
  };
}
