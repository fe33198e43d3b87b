// The kernel's clone3 selftests (6.1 tools/testing/selftests/clone3/) as data, run on the 6.1 model with the errno each expects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run } from './sim-helpers';

interface Scenario {
  line: string;
  input: Record<string, unknown>;
  expect: string | 0;
}

const SIGCHLD = 17;
const base = (flags: string[], size: number, fields: Record<string, unknown>, tail: 'zero' | 'nonzero' = 'zero') => ({ kernel: '6.1', syscall: 'clone3', flags, size, tail, fields });
// call_clone3(): exit_signal SIGCHLD; for size > 88 the buffer is 104 bytes whose bytes 96..103 hold 1 (excess_space[1] = 1).
const plain = (flags: string[], size: number) => base(flags, size, { exit_signal: SIGCHLD }, size > 96 ? 'nonzero' : 'zero');

const CLONE3: Scenario[] = [
  { line: 'clone3.c:136 simple clone3()', input: plain([], 88), expect: 0 },
  { line: 'clone3.c:140 CLONE_NEWPID (root)', input: plain(['CLONE_NEWPID'], 88), expect: 0 },
  { line: 'clone3.c:145 CLONE_ARGS_SIZE_VER0', input: plain([], 64), expect: 0 },
  { line: 'clone3.c:148 CLONE_ARGS_SIZE_VER0 - 8', input: plain([], 56), expect: 'EINVAL' },
  { line: 'clone3.c:151 sizeof + 8', input: plain([], 96), expect: 0 },
  { line: 'clone3.c:154 exit_signal with high 32 bits', input: base([], 88, { exit_signal: '0xbadc0ded00000000' }), expect: 'EINVAL' },
  { line: 'clone3.c:157 negative 32-bit exit_signal', input: base([], 88, { exit_signal: '0x80000000' }), expect: 'EINVAL' },
  { line: 'clone3.c:160 exit_signal outside CSIGNAL', input: base([], 88, { exit_signal: '0x100' }), expect: 'EINVAL' },
  { line: 'clone3.c:163 NSIG < exit_signal < CSIG', input: base([], 88, { exit_signal: '0xf0' }), expect: 'EINVAL' },
  { line: 'clone3.c:165 ALL_0 sizeof + 8', input: base([], 96, { exit_signal: 0 }), expect: 0 },
  { line: 'clone3.c:167 ALL_0 sizeof + 16', input: base([], 104, { exit_signal: 0 }, 'nonzero'), expect: 'E2BIG' },
  { line: 'clone3.c:170 ALL_0 sizeof * 2', input: base([], 176, { exit_signal: 0 }, 'nonzero'), expect: 'E2BIG' },
  { line: 'clone3.c:174 > page size', input: plain([], 4096 + 8), expect: 'E2BIG' },
  { line: 'clone3.c:178 NEWPID with VER0', input: plain(['CLONE_NEWPID'], 64), expect: 0 },
  { line: 'clone3.c:184 NEWPID with VER0 - 8', input: plain(['CLONE_NEWPID'], 56), expect: 'EINVAL' },
  { line: 'clone3.c:189 NEWPID with sizeof + 8', input: plain(['CLONE_NEWPID'], 96), expect: 0 },
  { line: 'clone3.c:195 NEWPID with > page size', input: plain(['CLONE_NEWPID'], 4096 + 8), expect: 'E2BIG' },
];

// clone3_set_tid.c: call_clone3_set_tid() passes sizeof(args) = 88, exit_signal SIGCHLD, set_tid and set_tid_size.
const PID_MAX = 32768;
const FREE_PID = 4000; // the pid of a child that already exited (clone3_set_tid.c:255-266)
const tid = (set: number[], size: number, flags: string[] = [], context: Record<string, unknown> = {}) => ({
  ...base(flags, 88, { exit_signal: SIGCHLD, set_tid: set, set_tid_size: size }),
  context: { pidMax: PID_MAX, ...context },
});
const zeros = new Array(64).fill(0);
const minusOnes = new Array(64).fill(-1);
const inNs = { pidNamespaceLevel: 1, isInit: true }; // the child that became PID 1 after unshare(CLONE_NEWPID), :292

const SET_TID: Scenario[] = [
  { line: 'clone3_set_tid.c:177 zeros, MAX_PID_NS_LEVEL + 1', input: tid(zeros, 33), expect: 'EINVAL' },
  { line: 'clone3_set_tid.c:179 zeros, MAX_PID_NS_LEVEL * 2', input: tid(zeros, 64), expect: 'EINVAL' },
  { line: 'clone3_set_tid.c:181 zeros, MAX_PID_NS_LEVEL * 2 + 1', input: tid(zeros, 65), expect: 'EINVAL' },
  { line: 'clone3_set_tid.c:184 zeros, MAX_PID_NS_LEVEL * 42', input: tid(zeros, 32 * 42), expect: 'EINVAL' },
  { line: 'clone3_set_tid.c:190 zeros, MAX_PID_NS_LEVEL - 1', input: tid(zeros, 31), expect: 'EINVAL' },
  { line: 'clone3_set_tid.c:193 0xff.., MAX_PID_NS_LEVEL + 1', input: tid(minusOnes, 33), expect: 'EINVAL' },
  { line: 'clone3_set_tid.c:206 0xff.., MAX_PID_NS_LEVEL - 1', input: tid(minusOnes, 31), expect: 'EINVAL' },
  { line: 'clone3_set_tid.c:211 set_tid[0] = 0', input: tid([0], 1), expect: 'EINVAL' },
  { line: 'clone3_set_tid.c:214 set_tid[0] = -1', input: tid([-1], 1), expect: 'EINVAL' },
  { line: 'clone3_set_tid.c:217 two elements claimed', input: tid([-1, 0], 2), expect: 'EINVAL' },
  { line: 'clone3_set_tid.c:221 -1 in a new pid ns', input: tid([-1], 1, ['CLONE_NEWPID']), expect: 'EINVAL' },
  { line: 'clone3_set_tid.c:228 pid 1 is taken', input: tid([1], 1), expect: 'EEXIST' },
  { line: 'clone3_set_tid.c:234 pid 1 in a new pid ns', input: tid([1], 1, ['CLONE_NEWPID']), expect: 0 },
  { line: 'clone3_set_tid.c:240 pid_max fails everywhere', input: tid([PID_MAX], 1), expect: 'EINVAL' },
  { line: 'clone3_set_tid.c:243 pid_max in a new pid ns', input: tid([PID_MAX], 1, ['CLONE_NEWPID']), expect: 'EINVAL' },
  { line: 'clone3_set_tid.c:267 a free pid', input: tid([FREE_PID], 1), expect: 0 },
  { line: 'clone3_set_tid.c:270 no PID 1 in the new ns', input: tid([FREE_PID], 1, ['CLONE_NEWPID']), expect: 'EINVAL' },
  { line: 'clone3_set_tid.c:279 PID 1 inside, pid outside', input: tid([1, FREE_PID], 2, ['CLONE_NEWPID']), expect: 0 },
  { line: 'clone3_set_tid.c:289 after unshare(CLONE_NEWPID): no PID 1 yet', input: tid([FREE_PID], 1, [], { pidNamespaceForChildren: true }), expect: 'EINVAL' },
  { line: 'clone3_set_tid.c:300 [43, -1] from PID 1 of the ns', input: tid([43, -1], 2, [], inNs), expect: 'EINVAL' },
  { line: 'clone3_set_tid.c:304 [43, pid] from PID 1 of the ns', input: tid([43, FREE_PID], 2, [], inNs), expect: 0 },
  { line: 'clone3_set_tid.c:308 [2]', input: tid([2], 1, [], inNs), expect: 0 },
  { line: 'clone3_set_tid.c:314 invalid pid at level 1', input: tid([1, -1, FREE_PID], 3, ['CLONE_NEWPID'], inNs), expect: 'EINVAL' },
  { line: 'clone3_set_tid.c:324 more levels than namespaces', input: tid([1, 42, FREE_PID, 0], 4, ['CLONE_NEWPID'], inNs), expect: 'EINVAL' },
  { line: 'clone3_set_tid.c:330 three levels', input: tid([1, 42, FREE_PID], 3, ['CLONE_NEWPID'], inNs), expect: 0 },
];

// clone3_clear_sighand.c: clone3() with sizeof(args) and exit_signal SIGCHLD.
const CLEAR_SIGHAND: Scenario[] = [
  { line: 'clone3_clear_sighand.c:57 CLEAR_SIGHAND | SIGHAND', input: base(['CLONE_CLEAR_SIGHAND', 'CLONE_SIGHAND'], 88, { exit_signal: SIGCHLD }), expect: 'EINVAL' },
  { line: 'clone3_clear_sighand.c:87 CLEAR_SIGHAND', input: base(['CLONE_CLEAR_SIGHAND'], 88, { exit_signal: SIGCHLD }), expect: 0 },
];

for (const [file, scenarios] of [['clone3.c', CLONE3], ['clone3_set_tid.c', SET_TID], ['clone3_clear_sighand.c', CLEAR_SIGHAND]] as const) {
  test(`selftests/clone3/${file}: every scenario gives the errno the selftest expects on 6.1`, () => {
    for (const s of scenarios) {
      const out = run(s.input);
      const got = out.outcome === 'success' ? 0 : out.errno;
      assert.equal(got, s.expect, `${s.line}: got ${got} (${out.decidedBy?.function}: ${out.decidedBy?.check})`);
    }
  });
}

test('the CLEAR_SIGHAND child has its handlers reset; the NEWPID child is PID 1', () => {
  assert.equal(run(CLEAR_SIGHAND[1].input).child?.clearSighand, true);
  assert.equal(run(CLONE3[1].input).child?.pid1, true);
});
