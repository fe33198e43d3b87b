// The flag rules: a bit taken twice, a flag in a reserved mask or past its word, a word with one free bit or none.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TargetName } from '../../../core/protocol';
import { bitRanges, flagFindings } from '../../../core/rules/flag-bits';
import { cloneFlags, familiesOf } from '../../helpers/flag-text';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

function findings(text: string, targets: TargetName[] = ['x86_64']) {
  return flagFindings(familiesOf(text, targets)).map((f) => ({ code: f.code, severity: f.severity, at: f.span.file.text.slice(f.span.start, f.span.end), message: f.message, related: f.related?.map((r) => f.span.file.text.slice(r.span.start, r.span.end)) }));
}

const SIGNAL = '#define CSIGNAL 0x000000ff\n';

describe('flag rules', () => {
  it('flag-bit-duplicate: a flag on a bit another already takes, at the later one, pointing at the first; an alias is fine', () => {
    const text = `${SIGNAL}${cloneFlags([8, 9, 10, 11])}#define CLONE_NEWFOO 0x00000200 /* new */\n#define CLONE_OLDNAME CLONE_F10\n`;
    const found = findings(text);
    assert.deepEqual(found.map((f) => [f.code, f.severity, f.at, f.related]), [['flag-bit-duplicate', 'error', 'CLONE_NEWFOO', ['CLONE_F9']]]);
    assert.match(found[0].message, /CLONE_NEWFOO is bit 9 \(0x200\), already CLONE_F9's/);
    assert.match(found[0].message, /take bit 12, the lowest free one/);
    const [fix] = flagFindings(familiesOf(text)).flatMap((f) => f.fixes ?? []);
    assert.equal(fix.title, 'Use bit 12 (0x00001000), the lowest free one');
    const [edit] = fix.edits;
    assert.deepEqual([edit.span.file.text.slice(edit.span.start, edit.span.end), edit.newText], ['0x00000200', '0x00001000'], 'the value only, not its comment');
  });

  it('flag-bit-overlap: a clone flag in the CSIGNAL byte can be passed only by clone3() and unshare()', () => {
    const found = findings(`${SIGNAL}${cloneFlags([8, 9, 10, 11])}#define CLONE_NEWTIME 0x00000080\n`);
    assert.deepEqual(found.map((f) => [f.code, f.severity, f.at, f.related]), [['flag-bit-overlap', 'warning', 'CLONE_NEWTIME', ['CSIGNAL']]]);
    assert.match(found[0].message, /bit 7\) lies in CSIGNAL \(0xff\).*only clone3\(\) and unshare\(\)/);
  });

  it('flag-out-of-range: a flag past the width a family is annotated with', () => {
    const found = findings('/* sysarg: flags NARROW_ width=8 */\n#define NARROW_A 0x01\n#define NARROW_B 0x100\n');
    assert.deepEqual(found.map((f) => [f.code, f.severity, f.at]), [['flag-out-of-range', 'error', 'NARROW_B']]);
    assert.match(found[0].message, /bit 8 \(0x100\), past the 8 bits of narrow flags word/);
  });

  it('flag-out-of-range: a flag whose value another target truncates (1UL << 32 on i386)', () => {
    const text = `${SIGNAL}${cloneFlags([8, 9, 10, 11])}#define CLONE_WIDE (1UL << 32)\n`;
    assert.deepEqual(findings(text), [], 'one target: nothing to compare');
    const found = findings(text, ['x86_64', 'i386']);
    assert.deepEqual(found.map((f) => [f.code, f.at]), [['flag-out-of-range', 'CLONE_WIDE']]);
    assert.match(found[0].message, /0x100000000 here but 0x0 on i386/);
    assert.deepEqual(findings(`${SIGNAL}${cloneFlags([8, 9, 10, 11])}#define CLONE_WIDE (1ULL << 32)\n`, ['x86_64', 'i386']), [], 'ULL is the same everywhere');
  });

  it('flag-bits-exhausted: none left, or one, in a word whose width is known; nothing while two are free', () => {
    const full = findings(`${SIGNAL}${cloneFlags(range(8, 31))}`);
    assert.deepEqual(full.map((f) => [f.code, f.severity, f.at]), [['flag-bits-exhausted', 'information', 'CLONE_F31']]);
    assert.match(full[0].message, /no free bit left after CLONE_F31 \(0-7 are CSIGNAL, 8-31 are flags\).*clone3/);
    const one = findings(`${SIGNAL}${cloneFlags([...range(8, 11), ...range(13, 31)])}`);
    assert.match(one[0].message, /one free bit left after CLONE_F31: bit 12/);
    assert.deepEqual(findings(`${SIGNAL}${cloneFlags([...range(8, 11), ...range(13, 30)])}`), []);
  });

  it('judges no family found by evidence alone (register headers define several words under one prefix)', () => {
    assert.deepEqual(findings('#define R_CAP_A 0x1\n#define R_CAP_B 0x2\n#define R_CTL_A 0x1\n#define R_CTL_B 0x2\n'), []);
  });

  it('judges a flag a change adds to a family found by evidence: a bit its block already has', () => {
    const block = '#define BPF_F_A (1U << 0)\n#define BPF_F_B (1U << 1)\n#define BPF_F_C (1U << 2)\n#define BPF_F_D (1U << 3)\n';
    const published = new Set(['BPF_F_A', 'BPF_F_B', 'BPF_F_C', 'BPF_F_D', 'BPF_F_OLD']);
    const judged = (text: string) => flagFindings(familiesOf(text), published).map((f) => [f.code, f.span.file.text.slice(f.span.start, f.span.end)]);
    assert.deepEqual(judged(`${block}#define BPF_F_NEW (1U << 2)\n`), [['flag-bit-duplicate', 'BPF_F_NEW']]);
    assert.deepEqual(judged(`${block}#define BPF_F_NEW (1U << 4)\n`), [], 'a free bit');
    assert.deepEqual(judged(`${block}#define BPF_F_OLD (1U << 2)\n`), [], 'a clash that was published already is not the change\'s');
    assert.deepEqual(judged(`${block}\n#define BPF_F_E (1U << 0)\n#define BPF_F_F (1U << 1)\n#define BPF_F_G (1U << 2)\n#define BPF_F_H (1U << 3)\n`), [], 'another block is another word');
  });

  it('writes bit lists as ranges', () => {
    assert.equal(bitRanges([0, 1, 2, 3, 5, 7, 8]), '0-3, 5, 7-8');
    assert.equal(bitRanges([]), '');
  });
});
