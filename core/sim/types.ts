// Input and output of the clone/clone3/unshare simulator, exactly as CONTRACTS.md (`sysarg simulate`) spells them.

export type SyscallName = 'clone' | 'clone3' | 'unshare';

/** A pointer-valued field: a valid user pointer, or one that faults. */
export type PointerValue = 'ptr' | 'bad';

export type FieldValue = number | string | PointerValue | number[];

export interface CallerContext {
  /** uid 0 with full capabilities (true) or an ordinary user with none (false). Default true. */
  privileged?: boolean;
  /** Threads in the caller's thread group. Default 1. */
  threads?: number;
  /** Kernel `level` of the caller's pid namespace (0 = initial). Default 0. */
  pidNamespaceLevel?: number;
  /** Kernel `level` of the caller's user namespace (0 = initial). Default 0. */
  userNamespaceLevel?: number;
  /** The caller is PID 1 of its pid namespace. Default false. */
  isInit?: boolean;
  /** The caller did unshare(CLONE_NEWTIME) and has not entered that namespace (no setns, no exec on 6.3+). Default false. */
  timeNamespaceForChildren?: boolean;
  /** The caller did unshare(CLONE_NEWPID) (or setns to a pid ns) and that namespace has no init yet. Default false. */
  pidNamespaceForChildren?: boolean;
  /** The caller's mm is shared with another process (a CLONE_VM child, a vfork parent). Default false. */
  sharedVm?: boolean;
  /** The caller's signal handler table is shared with another process (CLONE_SIGHAND without CLONE_THREAD). Default false. */
  sharedSighand?: boolean;
  /** The caller is chrooted (create_user_ns() refuses: EPERM). Default false. */
  chrooted?: boolean;
  /** /proc/sys/kernel/pid_max (set_tid values must be below it). Default 32768, the kernel's default. */
  pidMax?: number;
  /** Pids taken in the caller's own pid namespace besides 1 (set_tid asking for one → EEXIST). Default []. */
  pidsInUse?: number[];
  /** Debian's kernel.unprivileged_userns_clone = 0 (CLONE_NEWUSER needs CAP_SYS_ADMIN). Default false. */
  debianUsernsRestricted?: boolean;
  /** The CLONE_INTO_CGROUP target is delegated to the caller (its cgroup.procs is writable without privileges). Default false. */
  cgroupDelegated?: boolean;
  /** Further keys may be added by later versions; unknown keys are input errors. */
  [key: string]: unknown;
}

export interface SimulateInput {
  kernel: string;
  syscall: SyscallName;
  /** Flag names, or one number given as a string ("0x20001000") or a JSON number. */
  flags: string[] | string | number;
  /** Bytes userspace passes (clone3, and the RFC's long arg). */
  size?: number;
  /** Whether bytes past the kernel's struct are zero or not. Default "zero". */
  tail?: 'zero' | 'nonzero';
  /** Struct field values by name; omitted fields are zero. */
  fields?: Record<string, FieldValue>;
  context?: CallerContext;
  /**
   * The pointer to the argument struct: clone3's `uargs`, or the RFC's long_clone_arg (clone's child_tidptr, unshare's
   * second argument). Default "ptr"; "bad" faults (EFAULT).
   */
  argsPointer?: PointerValue;
}

/** Host facts and the author's model, passed in by the caller of the simulator (cli/ or server/). */
export interface SimulateOptions {
  /** The running kernel's release (os.release(), e.g. "6.18.44-fc-v782"): what kernel "host" means. */
  hostRelease?: string;
  /** The author's patch, for kernels named "<base>+patch". */
  author?: AuthorModel;
}

export type Errno = string; // "EINVAL", "E2BIG", ...

export interface CheckRef {
  function: string;
  file?: string;
  check: string;
}

export interface SimStep extends CheckRef {
  result: 'pass' | 'fail' | 'note';
  /** On a failing step: the errno it returns. */
  errno?: Errno;
}

export type NamespaceKind = 'mnt' | 'uts' | 'ipc' | 'net' | 'pid' | 'user' | 'cgroup' | 'time';
export type ShareKind = 'vm' | 'fs' | 'files' | 'sighand' | 'sysvsem';

export interface ProcessOutcome {
  namespaces: Record<NamespaceKind, 'new' | 'shared'>;
  shares: Record<ShareKind, boolean>;
  exitSignal: number | null;
  [key: string]: unknown;
}

export interface SimulateOutput {
  version: 1;
  kernel: string;
  syscall: SyscallName;
  outcome: 'success' | 'error';
  errno: Errno | null;
  decidedBy: CheckRef | null;
  steps: SimStep[];
  child: ProcessOutcome | null;
  caller?: ProcessOutcome | null;
  warnings?: string[];
  /** clone3 and the RFC's long arg: how the kernel read the struct. */
  struct?: StructView;
  [key: string]: unknown;
}

/** What the kernel made of the argument struct userspace passed (copy_struct_from_user() or the RFC's copy). */
export interface StructView {
  name: 'clone_args' | 'long_clone_arg';
  /** Bytes userspace passed. */
  userSize: number;
  /** The kernel's sizeof. */
  kernelSize: number;
  /** Members the kernel zero-filled because userspace's struct ends before them. */
  zeroFilled: string[];
  /** Bytes past the kernel's struct that the kernel checked for zero (clone3) or refused (the RFC). */
  tailBytes: number;
}

/** What the matrix is built from (`sysarg matrix`, LSP `sysarg/matrix`). */
export interface MatrixParams {
  /** Which struct's versions make the rows; default both clone_args and long_clone_arg. */
  struct?: 'clone_args' | 'long_clone_arg';
  /** clone3 → clone_args; clone/unshare → long_clone_arg (the RFC's long arg rides on them). Ignored when struct is given. */
  syscall?: SyscallName;
  /** Kernel models for the columns (names as in SimulateInput.kernel); default a fixed list (see docs/simulator.md). */
  kernels?: string[];
}

export interface MatrixCell {
  kernel: string;
  outcome: 'success' | 'error';
  errno: Errno | null;
  /** The check that failed, or null on success. */
  decidedBy: CheckRef | null;
  /** Short notes for a success that is not what userspace meant (flag ignored, struct not read). */
  warnings: string[];
}

export interface MatrixRow {
  struct: 'clone_args' | 'long_clone_arg';
  syscall: SyscallName;
  /** "CLONE_ARGS_SIZE_VER0 (64)", "newer, zero tail (96)", ... */
  label: string;
  size: number;
  tail: 'zero' | 'nonzero';
  cells: MatrixCell[];
}

export interface MatrixResult {
  version: 1;
  /** Resolved column names, in order. */
  kernels: string[];
  rows: MatrixRow[];
}

/**
 * The author's own patch as a kernel model: what the C front end extracted from the open buffer.
 * A new member at the tail grows the kernel's struct; new flags join the accepted masks.
 */
export interface AuthorModel {
  /** The model the patch extends, e.g. "6.1" for clone_args, "2.6.24+longarg-rfc" for long_clone_arg. */
  base: string;
  /** Tag of the extensible struct in the buffer, e.g. "clone_args". */
  structName: string;
  /** sizeof the struct in the buffer on x86_64. */
  size: number;
  members: { name: string; offset: number; size: number }[];
  /** The struct's `*_SIZE_VER<n>` macros in order of n. */
  sizeVersions: { name: string; value: number }[];
  /** Flags defined in the buffer (all of the family, new or not), value as a bigint. */
  flags: { name: string; value: bigint }[];
}

/** A pointer or integer field value after validation. Arrays hold set_tid entries. */
export type NormalizedField = bigint | PointerValue | bigint[];

/**
 * A validated, resolved call: what the simulator evaluates and what the C export writes out.
 * Produced from a SimulateInput by `normalizeInput` (core/sim/input.ts).
 */
export interface NormalizedCall {
  /** The resolved model name, e.g. "6.1", "6.18", "2.6.24+longarg-rfc" ("host" is already resolved). */
  kernel: string;
  syscall: SyscallName;
  /**
   * The flags word exactly as the syscall receives it: for legacy clone the raw first argument including the
   * CSIGNAL low byte (exit signal); for clone3 the `flags` field; for unshare the argument.
   */
  flags: bigint;
  /** clone3 `size` / the RFC long arg's size; null when the syscall takes none. */
  size: number | null;
  tail: 'zero' | 'nonzero';
  /** Field values by name, omitted fields absent (= zero). */
  fields: Record<string, NormalizedField>;
  context: {
    privileged: boolean;
    threads: number;
    pidNamespaceLevel: number;
    userNamespaceLevel: number;
    isInit: boolean;
    /** The added keys of CallerContext (see docs/simulator.md); normalizeInput fills every one. */
    timeNamespaceForChildren: boolean;
    pidNamespaceForChildren: boolean;
    sharedVm: boolean;
    sharedSighand: boolean;
    chrooted: boolean;
    pidMax: number;
    pidsInUse: number[];
    debianUsernsRestricted: boolean;
    cgroupDelegated: boolean;
  };
  /** See SimulateInput.argsPointer; absent means "ptr". */
  argsPointer?: PointerValue;
}
