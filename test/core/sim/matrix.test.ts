// The compatibility matrix, the RFC side by side with clone3, and the author's patch as a kernel model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMatrix } from '../../../core/sim/matrix';
import { SimInputError } from '../../../core/sim/input';
import type { AuthorModel, MatrixResult } from '../../../core/sim/types';
import { expectError, expectSuccess, HOST } from './sim-helpers';

function cellOf(m: MatrixResult, struct: string, label: RegExp, kernel: string) {
  const row = m.rows.find((r) => r.struct === struct && label.test(r.label));
  assert.ok(row, `no row ${label} for ${struct}`);
  const cell = row.cells.find((c) => c.kernel === kernel);
  assert.ok(cell, `no column ${kernel}`);
  return cell;
}

test('the RFC refuses a bigger long_clone_arg even with a zero tail; 6.1 clone3 accepts a bigger clone_args with one', () => {
  const m = buildMatrix({}, { hostRelease: HOST });
  const rfc = cellOf(m, 'long_clone_arg', /^newer, zero tail/, '2.6.24+longarg-rfc');
  assert.equal(rfc.errno, 'EINVAL');
  assert.equal(rfc.decidedBy?.check, 'size > sizeof(struct long_clone_arg)');
  const c3 = cellOf(m, 'clone_args', /^newer, zero tail/, '6.1');
  assert.equal(c3.outcome, 'success');
  assert.equal(cellOf(m, 'clone_args', /^newer, non-zero tail/, '6.1').errno, 'E2BIG');
  assert.equal(cellOf(m, 'long_clone_arg', /^sizeof/, '2.6.24+longarg-rfc').outcome, 'success');
});

test('rows are each SIZE_VER plus a newer struct with a zero and a non-zero tail; columns are the kernels asked for', () => {
  const m = buildMatrix({ struct: 'clone_args', kernels: ['5.3', '5.5', '6.1', 'host'] }, { hostRelease: HOST });
  assert.deepEqual(m.kernels, ['5.3', '5.5', '6.1', '6.18']);
  assert.deepEqual(m.rows.map((r) => r.size), [64, 80, 88, 96, 96]);
  assert.deepEqual(m.rows.map((r) => r.tail), ['zero', 'zero', 'zero', 'zero', 'nonzero']);
  assert.equal(m.version, 1);
  assert.ok(m.rows.every((r) => r.cells.length === 4));
  assert.equal(cellOf(m, 'clone_args', /VER2/, '5.3').outcome, 'success');
  assert.throws(() => buildMatrix({ kernels: ['1.0'] }), SimInputError);
  assert.deepEqual([...new Set(buildMatrix({ syscall: 'clone' }).rows.map((r) => r.struct))], ['long_clone_arg']);
});

const CLONE_ARGS_PATCH: AuthorModel = {
  base: '6.1',
  structName: 'clone_args',
  size: 96,
  members: [{ name: 'shadow_stack_token', offset: 88, size: 8 }],
  sizeVersions: [
    { name: 'CLONE_ARGS_SIZE_VER0', value: 64 },
    { name: 'CLONE_ARGS_SIZE_VER1', value: 80 },
    { name: 'CLONE_ARGS_SIZE_VER2', value: 88 },
    { name: 'CLONE_ARGS_SIZE_VER3', value: 96 },
  ],
  flags: [
    { name: 'CLONE_VM', value: 0x100n },
    { name: 'CLONE_NEWFOO', value: 0x400000000n },
  ],
};

test('the author patch: the kernel struct grows to author.size, new flags join the masks, new members are fields', () => {
  const options = { hostRelease: HOST, author: CLONE_ARGS_PATCH };
  const patched = expectSuccess({ kernel: '6.1+patch', syscall: 'clone3', flags: ['CLONE_NEWFOO'], size: 96, fields: { exit_signal: 17, shadow_stack_token: 5 } }, options);
  assert.equal(patched.kernel, '6.1+patch');
  assert.equal(patched.struct?.kernelSize, 96);
  assert.equal((patched.child?.namespaces as Record<string, string>).foo, 'new');
  expectError({ kernel: '6.1', syscall: 'clone3', flags: [], size: 96, fields: { exit_signal: 17, shadow_stack_token: 5 } }, 'E2BIG', 'copy_struct_from_user', undefined, options);
  expectError({ kernel: '6.1', syscall: 'clone3', flags: ['CLONE_NEWFOO'], size: 96, fields: { exit_signal: 17 } }, 'EINVAL', 'clone3_args_valid', undefined, options);
  expectSuccess({ kernel: '6.1+patch', syscall: 'unshare', flags: ['CLONE_NEWFOO'] }, options);
  expectError({ kernel: '6.1+patch', syscall: 'unshare', flags: ['CLONE_NEWFOO'], context: { privileged: false } }, 'EPERM', 'unshare_nsproxy_namespaces', undefined, options);
  const m = buildMatrix({ struct: 'clone_args' }, options);
  assert.ok(m.kernels.includes('6.1+patch'));
  assert.ok(m.rows.some((r) => r.size === 96 && /VER3/.test(r.label)));
  assert.equal(cellOf(m, 'clone_args', /^newer, zero tail \(104\)/, '6.1+patch').outcome, 'success');
});

test('the author patch on the RFC: long_clone_arg grows, a still bigger one is still EINVAL', () => {
  const author: AuthorModel = { base: '2.6.24+longarg-rfc', structName: 'long_clone_arg', size: 16, members: [{ name: 'pid', offset: 4, size: 4 }, { name: 'flags2', offset: 8, size: 8 }], sizeVersions: [], flags: [] };
  const options = { author };
  expectSuccess({ kernel: '2.6.24+longarg-rfc+patch', syscall: 'clone', flags: ['CLONE_LONGARG'], size: 16, fields: { pid: 42 } }, options);
  expectError({ kernel: '2.6.24+longarg-rfc', syscall: 'clone', flags: ['CLONE_LONGARG'], size: 16, fields: { pid: 42 } }, 'EINVAL', 'get_long_clone_arg', undefined, options);
  const m = buildMatrix({ struct: 'long_clone_arg' }, options);
  assert.equal(cellOf(m, 'long_clone_arg', /^newer, zero tail \(24\)/, '2.6.24+longarg-rfc+patch').errno, 'EINVAL');
  assert.equal(cellOf(m, 'long_clone_arg', /\(16\)/, '2.6.24+longarg-rfc+patch').outcome, 'success');
  assert.equal(cellOf(m, 'long_clone_arg', /\(16\)/, '2.6.24+longarg-rfc').errno, 'EINVAL');
});
