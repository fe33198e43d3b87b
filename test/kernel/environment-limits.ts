// Documented, understood ways this machine cannot show what the model predicts: excluded from the figure, always listed.
import type { OracleCase } from './oracle-cases';
import { FLAG_BITS } from './oracle-cases';

/** What the harness knows about the machine it runs on. */
export interface HostFacts {
  release: string;
  /** A cgroup2 hierarchy is mounted (CLONE_INTO_CGROUP can only ever succeed then). */
  cgroup2: boolean;
  /** The effective capability set of the harness (root may still lack some). */
  effectiveCaps: bigint;
}

export interface Verdict {
  predicted: string;
  /** An errno name or "success" when the call was made; "cannot" when the program could not recreate the caller. */
  actual: string;
  /** The program's result line and any message. */
  detail: string;
}

export interface EnvironmentLimit {
  id: string;
  /** Why the kernel's answer on this machine says nothing about the model. */
  reason: string;
  applies(testCase: OracleCase, verdict: Verdict, host: HostFacts): boolean;
}

const CAP_SYS_RESOURCE = 24;

function flagWord(testCase: OracleCase): bigint {
  const flags = testCase.input.flags;
  if (Array.isArray(flags)) return flags.reduce((word, name) => word | (FLAG_BITS[name] ?? 0n), 0n);
  return BigInt(flags);
}

export const ENVIRONMENT_LIMITS: EnvironmentLimit[] = [
  {
    id: 'no-cgroup2',
    reason:
      'CLONE_INTO_CGROUP needs a cgroup2 directory fd (cgroup_get_from_file() rejects a cgroup v1 one with EBADF); ' +
      'on a machine with cgroup v1 hierarchies only, the exported program cannot open one and says "cannot"',
    applies: (testCase, verdict, host) =>
      !host.cgroup2 &&
      (flagWord(testCase) & FLAG_BITS.CLONE_INTO_CGROUP) !== 0n &&
      verdict.actual === 'cannot' &&
      /cgroup2/.test(verdict.detail),
  },
  {
    id: 'root-without-cap-sys-resource',
    reason:
      'a privileged caller is modelled with every capability; root here lacks CAP_SYS_RESOURCE ' +
      '(the RLIMIT_NPROC bypass in copy_process()), so a prediction that depends on it cannot be shown',
    applies: (testCase, verdict, host) =>
      ((host.effectiveCaps >> BigInt(CAP_SYS_RESOURCE)) & 1n) === 0n &&
      testCase.input.context?.privileged !== false &&
      verdict.actual === 'EAGAIN' &&
      verdict.predicted === 'success',
  },
];
