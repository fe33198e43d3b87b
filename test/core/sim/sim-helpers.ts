// Shared assertions for the simulator suites: run a call, check the errno and the deciding check.
import assert from 'node:assert/strict';
import { simulate } from '../../../core/sim/simulate';
import type { SimulateOptions, SimulateOutput } from '../../../core/sim/types';

export const HOST = '6.18.44-fc-v782';

export function run(input: Record<string, unknown>, options: SimulateOptions = {}): SimulateOutput {
  return simulate(input, { hostRelease: HOST, ...options });
}

/** Asserts the call fails with `errno`, decided by a check whose function (and condition text) match. */
export function expectError(input: Record<string, unknown>, errno: string, fn: string, check?: string | RegExp, options?: SimulateOptions): SimulateOutput {
  const out = run(input, options);
  const where = out.decidedBy ? `${out.decidedBy.function}: ${out.decidedBy.check}` : 'success';
  assert.equal(out.errno, errno, `expected ${errno} from ${fn}, got ${out.errno ?? 'success'} (${where}) for ${JSON.stringify(input)}`);
  assert.equal(out.outcome, 'error');
  assert.equal(out.decidedBy?.function, fn, `deciding function for ${JSON.stringify(input)}: ${where}`);
  if (check !== undefined) {
    if (typeof check === 'string') assert.ok(out.decidedBy?.check.includes(check), `check '${out.decidedBy?.check}' lacks '${check}'`);
    else assert.match(out.decidedBy?.check ?? '', check);
  }
  const last = out.steps[out.steps.length - 1];
  assert.equal(last.result, 'fail', 'the deciding check is the last step');
  assert.equal(last.errno, errno);
  assert.equal(out.child ?? null, null);
  return out;
}

export function expectSuccess(input: Record<string, unknown>, options?: SimulateOptions): SimulateOutput {
  const out = run(input, options);
  const where = out.decidedBy ? `${out.decidedBy.function}: ${out.decidedBy.check}` : '';
  assert.equal(out.outcome, 'success', `expected success, got ${out.errno} (${where}) for ${JSON.stringify(input)}`);
  assert.equal(out.errno, null);
  assert.equal(out.decidedBy, null);
  assert.ok(out.steps.every((s) => s.result !== 'fail'));
  return out;
}
