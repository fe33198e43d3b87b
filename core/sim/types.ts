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
}

export type Errno = string; // "EINVAL", "E2BIG", ...

export interface CheckRef {
  function: string;
  file?: string;
  check: string;
}

export interface SimStep extends CheckRef {
  result: 'pass' | 'fail' | 'note';
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
  [key: string]: unknown;
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
  };
}
