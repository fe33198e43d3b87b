// The author's patch as a kernel model: struct clone_args and CLONE_* flags of a buffer drive the simulator.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authorModel } from '../../core/author-model';
import { SourceCache } from '../../core/c/source-cache';
import { analyzeDocument } from '../../core/document-analysis';
import { buildMatrix } from '../../core/sim/matrix';
import { simulate } from '../../core/sim/simulate';
import { memoryHost } from '../helpers/memory-host';

const TYPES = 'typedef unsigned long long __u64;\n#define __aligned_u64 __u64 __attribute__((aligned(8)))\n';
const FIELDS = ['flags', 'pidfd', 'child_tid', 'parent_tid', 'exit_signal', 'stack', 'stack_size', 'tls', 'set_tid', 'set_tid_size', 'cgroup'];
const PATCHED = `${TYPES}#define CLONE_NEWFOO 0x400000000ULL /* new namespace, bit 34 */
struct clone_args {
${[...FIELDS, 'foo_fd'].map((f) => `\t__aligned_u64 ${f};`).join('\n')}
};
#define CLONE_ARGS_SIZE_VER0 64
#define CLONE_ARGS_SIZE_VER1 80
#define CLONE_ARGS_SIZE_VER2 88
#define CLONE_ARGS_SIZE_VER3 96
`;

function modelOf(text: string) {
  const cache = new SourceCache(memoryHost({ '/p/patch.h': text }));
  return authorModel(analyzeDocument(cache, cache.get('/p/patch.h')!, ['x86_64'], { nostdinc: true }), cache);
}

describe('author model', () => {
  it('reads the struct, its SIZE_VER family and the new flag from the buffer', () => {
    const model = modelOf(PATCHED)!;
    assert.equal(model.base, '6.1');
    assert.equal(model.size, 96);
    assert.deepEqual(model.members.at(-1), { name: 'foo_fd', offset: 88, size: 8 });
    assert.deepEqual(model.sizeVersions.map((v) => v.value), [64, 80, 88, 96]);
    assert.deepEqual(model.flags, [{ name: 'CLONE_NEWFOO', value: 0x400000000n }]);
  });

  it('makes the new flag and member acceptable to 6.1+patch but not to 6.1', () => {
    const author = modelOf(PATCHED)!;
    const call = { syscall: 'clone3', flags: ['CLONE_NEWFOO'], size: 96, fields: { exit_signal: 17, foo_fd: 3 } };
    const patched = simulate({ ...call, kernel: '6.1+patch' }, { author });
    assert.equal(patched.outcome, 'success', JSON.stringify(patched.decidedBy));
    const released = simulate({ ...call, kernel: '6.1' }, { author });
    assert.equal(released.errno, 'E2BIG', 'foo_fd lies past 6.1\'s 88 bytes and is not zero');
    assert.equal(released.decidedBy?.function, 'copy_struct_from_user');
    const zeroTail = simulate({ ...call, fields: { exit_signal: 17 }, kernel: '6.1' }, { author });
    assert.equal(zeroTail.errno, 'EINVAL', 'a released 6.1 kernel does not know bit 34');
    assert.equal(zeroTail.decidedBy?.function, 'clone3_args_valid');
    assert.throws(() => simulate({ ...call, kernel: '6.1' }), /CLONE_NEWFOO/, 'without the buffer the name is unknown');
  });

  it('adds the patched kernel as a matrix column with the new struct version', () => {
    const matrix = buildMatrix({ struct: 'clone_args' }, { author: modelOf(PATCHED)! });
    assert.equal(matrix.kernels.at(-1), '6.1+patch');
    const ver3 = matrix.rows.find((r) => r.label.startsWith('CLONE_ARGS_SIZE_VER3'))!;
    assert.equal(ver3.size, 96);
  });

  it('has no model for a buffer without a clone struct', () => {
    assert.equal(modelOf('struct other { int a; };'), undefined);
  });
});
