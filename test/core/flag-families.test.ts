// Flag families: the clone flags' two words, annotated words, families by evidence, aliases and masks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cloneFlags, familiesOf } from '../helpers/flag-text';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('flag families', () => {
  it("reads the clone flags as legacy clone()'s 32-bit word (CSIGNAL reserved) and clone3()'s 64-bit flags", () => {
    const text = `#define CSIGNAL 0x000000ff\n${cloneFlags(range(8, 31))}#define CLONE_CLEAR_SIGHAND 0x100000000ULL\n#define CLONE_NEWTIME 0x00000080\n`;
    const [clone] = familiesOf(text);
    assert.equal(clone.prefix, 'CLONE_');
    assert.equal(clone.source, 'clone');
    const [legacy, clone3] = clone.words;
    assert.deepEqual([legacy.name, legacy.bits, legacy.free], ['clone', 32, []]);
    assert.deepEqual(legacy.used, range(7, 31), 'CLONE_NEWTIME sits in the CSIGNAL byte');
    assert.deepEqual(legacy.reserved.map((r) => [r.name, r.mask]), [['CSIGNAL', 0xffn]]);
    assert.ok(!legacy.flags.some((f) => f.name === 'CLONE_CLEAR_SIGHAND'), 'a 64-bit flag is no legacy flag');
    assert.deepEqual([clone3.name, clone3.bits], ['clone3', 64]);
    assert.deepEqual(clone3.used, range(7, 32));
    assert.deepEqual(clone3.free, range(33, 63));
    assert.deepEqual(clone3.reserved.map((r) => [r.name, r.mask]), [['CSIGNAL', 0x7fn]], 'the bits of CSIGNAL no flag took');
  });

  it("gives a clone family with no 64-bit flag and no CLONE_ARGS_SIZE_VER0 only the legacy word (the 2008 RFC's tree)", () => {
    const [clone] = familiesOf(`#define CSIGNAL 0xff\n${cloneFlags([8, 9, 10, 11])}`);
    assert.deepEqual(clone.words.map((w) => w.name), ['clone']);
    const [withArgs] = familiesOf(`${cloneFlags([8, 9, 10, 11])}#define CLONE_ARGS_SIZE_VER0 64\n`);
    assert.deepEqual(withArgs.words.map((w) => w.name), ['clone', 'clone3']);
    assert.ok(!withArgs.flags.some((f) => f.name.includes('SIZE_VER')), 'size versions are no flags');
  });

  it('tells aliases and masks from flags: they take no bit of their own', () => {
    const [family] = familiesOf('#define O_A 01\n#define O_B 02\n#define O_C 04\n#define O_D 010\n#define O_E O_D\n#define O_AB (O_A | O_B)\n');
    const roles = Object.fromEntries(family.flags.map((f) => [f.name, f.role]));
    assert.deepEqual(roles, { O_A: 'flag', O_B: 'flag', O_C: 'flag', O_D: 'flag', O_E: 'alias', O_AB: 'mask' });
    assert.equal(family.flags.find((f) => f.name === 'O_E')?.aliasOf, 'O_D');
    assert.equal(family.flags.find((f) => f.name === 'O_D')?.value, 8n, 'octal');
    assert.deepEqual(family.words[0].used, [0, 1, 2, 3]);
  });

  it('finds a family by evidence only for four one-bit values written as flags are, under the longest shared prefix', () => {
    assert.deepEqual(familiesOf('#define X_A 0x1\n#define X_B 0x2\n#define X_C 0x4\n'), [], 'three are not enough');
    assert.deepEqual(familiesOf('#define X_A 1\n#define X_B 2\n#define X_C 4\n#define X_D 8\n'), [], 'decimal numbers count, they do not flag');
    const families = familiesOf('#define S_NORMAL 0\n#define S_FIFO 1\n#define S_FLAG_A (1 << 0)\n#define S_FLAG_B (1 << 1)\n#define S_FLAG_C (1U << 2)\n#define S_FLAG_D 0x08\n');
    assert.deepEqual(families.map((f) => [f.prefix, f.source, f.widthKnown, f.flags.length]), [['S_FLAG_', 'evidence', false, 4]]);
  });

  it('makes each blank-line-separated block of a prefix a word of its own (bpf.h restarts at bit 0)', () => {
    const [family] = familiesOf('#define B_F_A 0x1\n#define B_F_B 0x2\n#define B_F_C 0x4\n#define B_F_D 0x8\n\n#define B_F_E 0x1\n#define B_F_F 0x2\n#define B_F_G 0x4\n#define B_F_H 0x8\n');
    assert.deepEqual(family.words.map((w) => [w.name, w.used]), [['b_f', [0, 1, 2, 3]], ['b_f-2', [0, 1, 2, 3]]]);
  });

  it('reads a sysarg: flags annotation: prefix, width, reserved masks and the word name', () => {
    const text = '/* sysarg: flags MY_ width=8 reserved=MY_RSVD word=my_flags */\n#define MY_RSVD 0xc0\n#define MY_A 0x01\n#define MY_B 0x02\n';
    const [family] = familiesOf(text);
    assert.deepEqual([family.prefix, family.source, family.widthKnown], ['MY_', 'annotation', true]);
    const [w] = family.words;
    assert.deepEqual([w.name, w.bits, w.used, w.free], ['my_flags', 8, [0, 1], [2, 3, 4, 5]]);
    assert.deepEqual(w.reserved.map((r) => [r.name, r.mask]), [['MY_RSVD', 0xc0n]]);
    assert.ok(!family.flags.some((f) => f.name === 'MY_RSVD'), 'a reserved mask is no member');
    assert.ok(family.annotation && text.slice(family.annotation.start, family.annotation.end).startsWith('sysarg: flags MY_'));
  });

  it('keeps the value each other target gives a flag that is not a plain literal', () => {
    const [family] = familiesOf('#define W_A (1UL << 0)\n#define W_B (1UL << 1)\n#define W_C (1UL << 2)\n#define W_D (1UL << 32)\n', ['x86_64', 'i386']);
    const d = family.flags.find((f) => f.name === 'W_D')!;
    assert.equal(d.value, 1n << 32n);
    assert.deepEqual(d.otherValues.map((o) => o.target), ['i386']);
    assert.ok(family.flags.filter((f) => f.name !== 'W_D').every((f) => f.otherValues.length === 0));
  });
});
