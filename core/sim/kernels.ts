// The kernel models: one rule table gated by version ranges, resolved into a model per release (+ the RFC, + the author's patch).
import type { AuthorModel } from './types';
import { CLONE_FLAGS, cloneFlagByName, inRange, type CloneFlag } from './clone-flags';
import { seriesOf, seriesOfRelease, versionCode, type VersionRange } from './versions';

const v = versionCode;

/** Every behaviour that changed between 2.6.24 and 6.18, with the releases that have it. */
export const RULES = {
  clone3: { since: v('5.3'), what: 'clone3() exists (syscall 435)' },
  'clone3-set-tid': { since: v('5.5'), what: 'clone_args grows set_tid/set_tid_size (CLONE_ARGS_SIZE_VER1 = 80)' },
  'clone3-stack-valid': { since: v('5.5'), what: 'clone3_stack_valid(): stack and stack_size must agree and pass access_ok()' },
  'clone3-cgroup': { since: v('5.7'), what: 'clone_args grows cgroup (CLONE_ARGS_SIZE_VER2 = 88), CLONE_INTO_CGROUP' },
  'clear-sighand': { since: v('5.5'), what: 'CLONE_CLEAR_SIGHAND (clone3 bit 32)' },
  newtime: { since: v('5.6'), what: 'CLONE_NEWTIME (bit 7, clone3 and unshare only)' },
  pidfd: { since: v('5.2'), what: 'CLONE_PIDFD (bit 12)' },
  'pidfd-no-thread': { since: v('5.2'), until: v('6.9'), what: 'CLONE_PIDFD|CLONE_THREAD is EINVAL (allowed from 6.9, 83b290c9e3b5)' },
  'newuser-fs': { since: v('3.9'), what: 'CLONE_NEWUSER|CLONE_FS is EINVAL' },
  'parent-from-init': { since: v('2.6.32'), what: 'CLONE_PARENT from a global or container init is EINVAL' },
  'parent-exit-signal': { since: v('2.6.32'), what: "CLONE_PARENT children get the caller's group leader's exit signal" },
  'thread-ns-3.12': { since: v('3.12'), what: 'CLONE_THREAD with CLONE_NEWUSER/CLONE_NEWPID or a pending pid namespace is EINVAL' },
  'thread-ns-3.8': { since: v('3.8'), until: v('3.12'), what: 'CLONE_NEWUSER/CLONE_NEWPID with CLONE_THREAD or CLONE_PARENT is EINVAL' },
  'pidns-thread-in-copy-pid-ns': { since: v('2.6.24'), until: v('3.8'), what: 'copy_pid_ns(): CLONE_NEWPID with CLONE_THREAD is EINVAL' },
  'timens-vm': { since: v('5.6'), until: v('6.3'), what: 'after unshare(CLONE_NEWTIME), CLONE_VM/CLONE_THREAD is EINVAL (exec switches timens from 6.3)' },
  'newipc-sysvsem': { since: v('2.6.30'), what: 'copy_namespaces(): CLONE_NEWIPC|CLONE_SYSVSEM is EINVAL' },
  'pidns-max-level': { since: v('3.7'), what: 'pid namespaces nest at most 32 levels (ENOSPC)' },
  'userns-max-level': { since: v('3.11'), what: 'user namespaces nest at most 33 levels (ENOSPC)' },
  'userns-unprivileged': { since: v('3.8'), what: 'copy_creds() creates the user namespace; other namespaces are checked in it' },
  'userns-chroot': { since: v('3.9'), what: 'a chrooted caller cannot create a user namespace (EPERM)' },
  newcgroup: { since: v('4.6'), what: 'CLONE_NEWCGROUP (bit 25)' },
  'unshare-newpid': { since: v('3.8'), what: 'unshare(CLONE_NEWPID)' },
  'unshare-newuser-implies': { since: v('3.8'), what: 'unshare(CLONE_NEWUSER) implies CLONE_THREAD|CLONE_FS' },
  'unshare-newpid-implies-thread': { since: v('3.8'), until: v('3.12'), what: 'unshare(CLONE_NEWPID) implies CLONE_THREAD' },
  'unshare-sysvsem': { since: v('2.6.26'), what: 'unshare(CLONE_SYSVSEM) detaches the undo list (EINVAL before)' },
  'unshare-mm-check': { since: v('2.6.36'), until: v('4.3'), what: 'check_unshare_flags(): THREAD/SIGHAND/VM only if the mm is not shared' },
  'unshare-check-flags': { since: v('4.3'), what: 'check_unshare_flags() as in 6.1 (thread group, sighand count, single-threaded mm)' },
} satisfies Record<string, VersionRange & { what: string }>;

export type RuleId = keyof typeof RULES;

/** A struct the kernel copies from userspace, as this kernel knows it. */
export interface StructModel {
  name: 'clone_args' | 'long_clone_arg';
  /** sizeof in this kernel: copy_struct_from_user()'s ksize, or the RFC's sizeof(struct long_clone_arg). */
  size: number;
  /** The smallest size the kernel accepts (CLONE_ARGS_SIZE_VER0); 0 for the RFC, which has none. */
  minSize: number;
  /** Every member userspace may fill, at its userspace offset (the newest layout known, author's included). */
  members: readonly { name: string; offset: number; size: number }[];
  /** The published sizes (the *_SIZE_VER<n> values, or sizeof for a struct without them), oldest first. */
  versions: readonly { name: string; value: number }[];
}

export interface KernelModel {
  /** The resolved name: "6.1", "2.6.24+longarg-rfc", "6.18", "6.1+patch". */
  name: string;
  series: string;
  version: number;
  rfc: boolean;
  author: AuthorModel | null;
  rules: Readonly<Record<RuleId, boolean>>;
  /** struct clone_args as this kernel copies it (null before 5.3). */
  cloneArgs: StructModel | null;
  /** The RFC's struct long_clone_arg (null without the RFC). */
  longArg: StructModel | null;
  /** Flags this kernel defines, for describing words; names accepted in input are in `flagNames`. */
  defined: readonly CloneFlag[];
  flagNames: ReadonlyMap<string, bigint>;
  /** Legacy low-word bits that mean something to this kernel (others are ignored by clone). */
  knownLegacyBits: bigint;
  /** clone3_args_valid()'s first mask (CLONE_LEGACY_FLAGS | the clone3-only bits this kernel knows). */
  clone3Accepted: bigint;
  /** clone3_args_valid()'s second check: bits refused although in the first mask (CLONE_DETACHED, CSIGNAL but NEWTIME). */
  clone3Refused: bigint;
  unshareAccepted: bigint;
  /** CLONE_NEW* flags whose namespaces copy_namespaces() creates (and checks CAP_SYS_ADMIN for). */
  nsproxyFlags: readonly { value: bigint; ns: string }[];
  /** Author flags that are new to the base model. */
  authorFlags: readonly { name: string; value: bigint }[];
}

/** struct clone_args members (include/uapi/linux/sched.h, 6.1): every member is an __aligned_u64. */
export const CLONE_ARGS_MEMBERS = [
  'flags', 'pidfd', 'child_tid', 'parent_tid', 'exit_signal', 'stack', 'stack_size', 'tls', 'set_tid', 'set_tid_size', 'cgroup',
].map((name, i) => ({ name, offset: i * 8, size: 8 }));

export const CLONE_ARGS_VERSIONS = [
  { name: 'CLONE_ARGS_SIZE_VER0', value: 64 },
  { name: 'CLONE_ARGS_SIZE_VER1', value: 80 },
  { name: 'CLONE_ARGS_SIZE_VER2', value: 88 },
];

/** The RFC's struct long_clone_arg { int size; } (seed patch, include/linux/sched.h). */
export const LONG_CLONE_ARG_MEMBERS = [{ name: 'size', offset: 0, size: 4 }];

export const RFC_SUFFIX = '+longarg-rfc';
export const PATCH_SUFFIX = '+patch';

export class UnknownKernelError extends Error {}

const cache = new Map<string, KernelModel>();

/**
 * Resolves a kernel name from the input ("6.1", "2.6.24+longarg-rfc", "6.9", "host", "6.1+patch") to its model.
 * Throws UnknownKernelError with a one-line reason.
 */
export function resolveKernel(name: string, hostRelease?: string, author?: AuthorModel): KernelModel {
  const known = cache.get(name);
  if (known) return known;
  let base = name;
  const patched = base.endsWith(PATCH_SUFFIX);
  if (patched) base = base.slice(0, -PATCH_SUFFIX.length);
  const rfc = base.endsWith(RFC_SUFFIX);
  if (rfc) base = base.slice(0, -RFC_SUFFIX.length);
  let series: string | undefined;
  if (base === 'host') {
    if (rfc) throw new UnknownKernelError(`kernel '${name}': the RFC model is 2.6.24${RFC_SUFFIX}`);
    if (hostRelease === undefined) throw new UnknownKernelError("kernel 'host' needs the running kernel's release, which was not given");
    series = seriesOfRelease(hostRelease);
    if (series === undefined) throw new UnknownKernelError(`the running kernel '${hostRelease}' is older than 2.6.24 or not a Linux release: no model applies`);
  } else {
    series = seriesOf(base);
    if (series === undefined) throw new UnknownKernelError(`unknown kernel '${name}' (use 2.6.24, 2.6.24${RFC_SUFFIX}, a release from 2.6.24 to 6.18 such as 6.1 or 6.9, host, or <kernel>${PATCH_SUFFIX})`);
    if (rfc && series !== '2.6.24') throw new UnknownKernelError(`kernel '${name}': the RFC model is 2.6.24${RFC_SUFFIX}`);
  }
  if (patched && !author) throw new UnknownKernelError(`kernel '${name}' is the author's patch: it needs the struct and flags of an open buffer`);
  const resolved = `${series}${rfc ? RFC_SUFFIX : ''}${patched ? PATCH_SUFFIX : ''}`;
  if (!patched) {
    let model = cache.get(resolved);
    if (!model) cache.set(resolved, (model = buildModel(resolved, series, rfc, null)));
    return model;
  }
  return buildModel(resolved, series, rfc, author as AuthorModel);
}

function buildModel(name: string, series: string, rfc: boolean, author: AuthorModel | null): KernelModel {
  const version = versionCode(series);
  const rules = {} as Record<RuleId, boolean>;
  for (const id of Object.keys(RULES) as RuleId[]) rules[id] = inRange(version, RULES[id]);
  if (author) checkAuthorBase(author, rules.clone3, rfc);
  const defined = CLONE_FLAGS.filter((f) => (f.rfcOnly ? rfc : inRange(version, f.defined) && !(rfc && f.value === 0x80000000n)));
  const authorFlags = author ? author.flags.filter((f) => !defined.some((d) => d.name === f.name)) : [];
  const flagNames = new Map<string, bigint>();
  for (const f of CLONE_FLAGS) if (acceptsName(f, version, rfc)) flagNames.set(f.name, f.value);
  for (const f of authorFlags) flagNames.set(f.name, f.value);
  let knownLegacyBits = 0n;
  for (const f of defined) if (f.value <= 0xffffffffn && f.name !== 'CLONE_NEWTIME') knownLegacyBits |= f.value;
  const isNs = (n: string) => /^CLONE_NEW[A-Z0-9_]+$/.test(n);
  let clone3Accepted = 0n;
  if (rules.clone3) {
    clone3Accepted = 0xffffffffn; // CLONE_LEGACY_FLAGS: the CSIGNAL and CLONE_DETACHED bits are refused by the next check
    if (rules['clear-sighand']) clone3Accepted |= 0x100000000n;
    if (rules['clone3-cgroup']) clone3Accepted |= 0x200000000n;
    for (const f of authorFlags) clone3Accepted |= f.value;
  }
  let unshareAccepted = 0x40000f00n | 0x10000n | 0x20000n | 0x40000n | 0x4000000n | 0x8000000n | 0x10000000n;
  if (rules['unshare-newpid']) unshareAccepted |= 0x20000000n;
  if (rules.newcgroup) unshareAccepted |= 0x2000000n;
  if (rules.newtime) unshareAccepted |= 0x80n;
  if (rfc) unshareAccepted |= 0x80000000n;
  for (const f of authorFlags) if (isNs(f.name)) unshareAccepted |= f.value;
  const nsproxyFlags = [
    { value: 0x20000n, ns: 'mnt' },
    { value: 0x4000000n, ns: 'uts' },
    { value: 0x8000000n, ns: 'ipc' },
    { value: 0x20000000n, ns: 'pid' },
    { value: 0x40000000n, ns: 'net' },
    ...(rules.newcgroup ? [{ value: 0x2000000n, ns: 'cgroup' }] : []),
    ...(rules.newtime ? [{ value: 0x80n, ns: 'time' }] : []),
    ...authorFlags.filter((f) => isNs(f.name)).map((f) => ({ value: f.value, ns: f.name.slice('CLONE_NEW'.length).toLowerCase() })),
  ];
  return {
    name,
    series,
    version,
    rfc,
    author,
    rules,
    cloneArgs: rules.clone3 ? cloneArgsModel(version, rfc ? null : author) : null,
    longArg: rfc ? longArgModel(author) : null,
    defined,
    flagNames,
    knownLegacyBits,
    clone3Accepted,
    clone3Refused: rules.clone3 ? 0x400000n | (rules.newtime ? 0x7fn : 0xffn) : 0n,
    unshareAccepted,
    nsproxyFlags,
    authorFlags,
  };
}

/** A flag name is accepted unless this kernel gives its bit another name (CLONE_STOPPED vs CLONE_NEWCGROUP, LONGARG vs IO). */
function acceptsName(f: CloneFlag, version: number, rfc: boolean): boolean {
  if (f.rfcOnly) return rfc;
  if (f.name === 'CLONE_STOPPED') return inRange(version, f.defined);
  if (f.name === 'CLONE_NEWCGROUP' && version < versionCode('2.6.38')) return false;
  if (f.name === 'CLONE_IO' && rfc) return false;
  return true;
}

function checkAuthorBase(author: AuthorModel, hasClone3: boolean, rfc: boolean): void {
  if (author.structName === 'long_clone_arg') {
    if (!rfc) throw new UnknownKernelError(`the author's struct long_clone_arg extends the RFC model: use 2.6.24${RFC_SUFFIX}${PATCH_SUFFIX}`);
  } else if (author.structName === 'clone_args') {
    if (rfc || !hasClone3) throw new UnknownKernelError("the author's struct clone_args extends a kernel with clone3 (5.3 or later)");
  } else {
    throw new UnknownKernelError(`the author's struct ${author.structName} is neither clone_args nor long_clone_arg: the simulator models only those`);
  }
}

function cloneArgsModel(version: number, author: AuthorModel | null): StructModel {
  const ksize = version >= versionCode('5.7') ? 88 : version >= versionCode('5.5') ? 80 : 64;
  if (!author) return { name: 'clone_args', size: ksize, minSize: 64, members: CLONE_ARGS_MEMBERS, versions: CLONE_ARGS_VERSIONS };
  const members = mergeMembers(CLONE_ARGS_MEMBERS, author.members);
  const versions = author.sizeVersions.length > 0 ? author.sizeVersions : CLONE_ARGS_VERSIONS;
  return { name: 'clone_args', size: author.size, minSize: versions[0].value, members, versions };
}

function longArgModel(author: AuthorModel | null): StructModel {
  if (!author) return { name: 'long_clone_arg', size: 4, minSize: 0, members: LONG_CLONE_ARG_MEMBERS, versions: [{ name: 'sizeof(struct long_clone_arg)', value: 4 }] };
  const members = mergeMembers(LONG_CLONE_ARG_MEMBERS, author.members);
  const versions = author.sizeVersions.length > 0 ? author.sizeVersions : [{ name: 'RFC', value: 4 }, { name: `sizeof(struct long_clone_arg)`, value: author.size }];
  return { name: 'long_clone_arg', size: author.size, minSize: 0, members, versions };
}

/** The author's members win where they name a member; the base's others stay (a struct read from a half-typed buffer). */
function mergeMembers(base: StructModel['members'], extra: StructModel['members']): StructModel['members'] {
  const byName = new Map(base.map((m) => [m.name, m]));
  for (const m of extra) byName.set(m.name, m);
  return [...byName.values()].sort((a, b) => a.offset - b.offset);
}

/** The end of a member in a struct model (offsetofend), or undefined. */
export function memberEnd(model: StructModel, name: string): number | undefined {
  const m = model.members.find((x) => x.name === name);
  return m ? m.offset + m.size : undefined;
}

/** Which namespace a CLONE_NEW* flag creates, by flag value (for author flags as well). */
export function cloneFlagNamespace(name: string): string | undefined {
  return cloneFlagByName(name)?.namespace;
}
