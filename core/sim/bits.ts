// Flag bits as 32-bit halves, x86_64 constants, and pointer helpers shared by the simulator's modules.
import type { NormalizedField } from './types';

// Flag bits of the low 32-bit word (numbers, not bigints: the hot path stays in small integers).
export const F = {
  NEWTIME: 0x80,
  VM: 0x100,
  FS: 0x200,
  FILES: 0x400,
  SIGHAND: 0x800,
  PIDFD: 0x1000,
  VFORK: 0x4000,
  PARENT: 0x8000,
  THREAD: 0x10000,
  NEWNS: 0x20000,
  SYSVSEM: 0x40000,
  SETTLS: 0x80000,
  PARENT_SETTID: 0x100000,
  CHILD_CLEARTID: 0x200000,
  DETACHED: 0x400000,
  CHILD_SETTID: 0x1000000,
  BIT25: 0x2000000,
  NEWUTS: 0x4000000,
  NEWIPC: 0x8000000,
  NEWUSER: 0x10000000,
  NEWPID: 0x20000000,
  NEWNET: 0x40000000,
  BIT31: 0x80000000 | 0,
} as const;
/** Bits of the high word (flag bit n ≥ 32 is 1 << (n - 32) here). */
export const H = { CLEAR_SIGHAND: 1, INTO_CGROUP: 2 } as const;

export const PAGE_SIZE = 4096;
export const SIGCHLD = 17;
/** x86_64 with 4-level paging: (1 << 47) - PAGE_SIZE. */
export const TASK_SIZE_MAX = 0x7ffffffff000n;

export function lo32(value: bigint): number {
  return Number(value & 0xffffffffn) | 0;
}

export function hi32(value: bigint): number {
  return Number((value >> 32n) & 0xffffffffn) | 0;
}

/** A user pointer the kernel can write through: "ptr", or a non-zero address below TASK_SIZE_MAX (assumed mapped). */
export function writable(f: NormalizedField | undefined): boolean {
  if (f === 'ptr' || Array.isArray(f)) return true;
  return typeof f === 'bigint' && f !== 0n && f < TASK_SIZE_MAX;
}

