// The running kernel as the simulator's oracle: every generated case predicted by the "host" model and made for real.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { release } from 'node:os';
import { exportC } from '../../core/sim/export-c';
import { normalizeInput } from '../../core/sim/input';
import { simulate } from '../../core/sim/simulate';
import type { SimulateInput } from '../../core/sim/types';
import { ENVIRONMENT_LIMITS } from './environment-limits';
import { FLAG_BITS, generateCases } from './oracle-cases';
import { formatReport, runOracle, skipReason, type CaseOutcome } from './oracle-harness';

const options = { hostRelease: release() };
const cases = generateCases();

function flagWord(input: SimulateInput): bigint {
  return Array.isArray(input.flags) ? input.flags.reduce((w, n) => w | FLAG_BITS[n], 0n) : BigInt(input.flags);
}

test('the generated cases cover clone, clone3 and unshare, sizes, tails, exit signals, set_tid, both privilege levels', () => {
  assert.ok(cases.length >= 300, `${cases.length} cases`);
  assert.deepEqual(generateCases().map((c) => c.id), cases.map((c) => c.id), 'the same seed gives the same cases');
  assert.equal(new Set(cases.map((c) => c.id)).size, cases.length, 'ids are unique');
  const count = (pred: (input: SimulateInput) => boolean): number => cases.filter((c) => pred(c.input)).length;
  for (const syscall of ['clone', 'clone3', 'unshare'] as const) {
    assert.ok(count((i) => i.syscall === syscall) >= 80, `${syscall} cases`);
    assert.ok(count((i) => i.syscall === syscall && i.context?.privileged === false) >= 10, `unprivileged ${syscall} cases`);
  }
  for (const size of [0, 63, 64, 72, 80, 88, 96, 4096, 4097]) assert.ok(count((i) => i.syscall === 'clone3' && i.size === size) > 0, `clone3 size ${size}`);
  assert.ok(count((i) => i.tail === 'nonzero') >= 10, 'non-zero tails');
  for (const sig of [0, 17, 64, 65, 255]) {
    assert.ok(count((i) => i.syscall === 'clone3' && i.fields?.exit_signal === sig) > 0, `clone3 exit_signal ${sig}`);
    assert.ok(count((i) => i.syscall === 'clone' && (i.fields?.exit_signal === sig || (!Array.isArray(i.flags) && (BigInt(i.flags) & 0xffn) === BigInt(sig)))) > 0, `clone exit signal ${sig}`);
  }
  for (const bit of [31n, 32n, 33n, 34n]) assert.ok(count((i) => (flagWord(i) & (1n << bit)) !== 0n) >= 3, `bit ${bit}`);
  assert.ok(count((i) => i.fields?.set_tid !== undefined || i.fields?.set_tid_size !== undefined) >= 20, 'set_tid cases');
  assert.ok(count((i) => Object.values(i.fields ?? {}).includes('bad')) >= 5, 'bad pointers');
  assert.ok(count((i) => (i.context?.threads ?? 1) > 1) >= 5, 'threaded callers');
  assert.ok(count((i) => (i.context?.pidNamespaceLevel ?? 0) > 0) >= 10, 'nested pid namespaces');
  assert.ok(count((i) => (i.context?.userNamespaceLevel ?? 0) > 0) >= 10, 'nested user namespaces');
});

test('every environment limit says why it is one', () => {
  assert.ok(ENVIRONMENT_LIMITS.length > 0);
  for (const limit of ENVIRONMENT_LIMITS) {
    assert.match(limit.id, /^[a-z0-9-]+$/);
    assert.ok(limit.reason.length > 40, `${limit.id} has a reason`);
  }
});

test('the running kernel agrees with the host model on every case', { timeout: 300_000 }, async (t) => {
  const reason = await skipReason(exportC);
  if (reason) {
    t.skip(reason);
    return;
  }
  const report = await runOracle(cases, {
    simulate: (input) => simulate(input, options),
    normalize: (input) => normalizeInput(input, options),
    exportC,
  });
  const text = formatReport(report);
  for (const line of text.split('\n').slice(0, 2)) t.diagnostic(line);
  const by = (status: CaseOutcome['status']): CaseOutcome[] => report.outcomes.filter((o) => o.status === status);
  for (const limited of by('limit')) t.diagnostic(`environment limit ${limited.limit}: ${limited.id} (predicted ${limited.predicted}, kernel ${limited.actual})`);
  assert.deepEqual(by('error').map((o) => `${o.id}: ${o.actual}`), [], text);
  assert.deepEqual(by('disagree').map((o) => `${o.id}: predicted ${o.predicted}, kernel ${o.actual}`), [], text);
  assert.equal(report.agreed, report.compared);
  assert.ok(report.compared >= 300, `${report.compared} cases compared`);
});
