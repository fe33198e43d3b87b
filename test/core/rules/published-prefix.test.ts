// The published-prefix rules: an extensible struct against its published version (the baseline).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TargetName } from '../../../core/protocol';
import { publishedRecords } from '../../../core/published-records';
import { publishedPrefixFindings } from '../../../core/rules/published-prefix';
import { analysisOf } from '../../helpers/memory-host';

const TYPES = 'typedef unsigned int __u32;\ntypedef unsigned long long __u64;\n#define __aligned_u64 __u64 __attribute__((aligned(8)))\n';
const struct = (members: string, extra = '') => `${TYPES}/* sysarg: extensible */\nstruct args {\n${members}};\n${extra}`;
const PUBLISHED = struct('\t__aligned_u64 flags;\n\t__aligned_u64 stack;\n\t__u32 fd;\n\t__u32 __reserved;\n');

function findings(now: string, then = PUBLISHED, targets: TargetName[] = ['x86_64']) {
  const analysis = analysisOf(now, targets);
  return publishedPrefixFindings(analysis, publishedRecords(analysisOf(then, targets).records)).map((f) => ({ code: f.code, severity: f.severity, at: f.span.file.text.slice(f.span.start, f.span.end), message: f.message }));
}

describe('published-prefix rules', () => {
  it('accepts members added at the tail, and the same struct unchanged', () => {
    assert.deepEqual(findings(PUBLISHED), []);
    assert.deepEqual(findings(struct('\t__aligned_u64 flags;\n\t__aligned_u64 stack;\n\t__u32 fd;\n\t__u32 __reserved;\n\t__aligned_u64 cgroup;\n')), []);
  });

  it('non-tail-insertion: a member inserted before published ones, naming the member it pushed', () => {
    const found = findings(struct('\t__aligned_u64 flags;\n\t__aligned_u64 newfd;\n\t__aligned_u64 stack;\n\t__u32 fd;\n\t__u32 __reserved;\n'));
    assert.deepEqual(found.map((f) => [f.code, f.severity, f.at]), [['non-tail-insertion', 'error', 'newfd']]);
    assert.match(found[0].message, /'newfd' is inserted into the published part of struct args, before 'stack' on x86_64: .* after '__reserved'/);
  });

  it('judges a struct whose comment says it grows only at its end (a bpf program context), and not one that says nothing', () => {
    const ctx = (members: string, comment = '/* user accessible mirror of in-kernel xfrm_state.\n * new fields can only be added to the end of this structure\n */\n') => `${TYPES}${comment}struct ctx {\n${members}};\n`;
    const found = findings(ctx('\t__u32 reqid;\n\t__u32 mark;\n\t__u32 spi;\n'), ctx('\t__u32 reqid;\n\t__u32 spi;\n'));
    assert.deepEqual(found.map((f) => [f.code, f.at]), [['non-tail-insertion', 'mark']]);
    assert.deepEqual(findings(ctx('\t__u32 reqid;\n\t__u32 mark;\n\t__u32 spi;\n', ''), ctx('\t__u32 reqid;\n\t__u32 spi;\n', '')), []);
  });

  it('member-removed, member-reordered and member-retyped: any change to the published prefix', () => {
    assert.deepEqual(findings(struct('\t__aligned_u64 flags;\n\t__u32 fd;\n\t__u32 __reserved;\n')).map((f) => f.code), ['member-removed']);
    assert.deepEqual(findings(struct('\t__aligned_u64 stack;\n\t__aligned_u64 flags;\n\t__u32 fd;\n\t__u32 __reserved;\n')).map((f) => [f.code, f.at]), [['member-reordered', 'stack']]);
    const retyped = findings(struct('\t__aligned_u64 flags;\n\t__aligned_u64 stack;\n\t__aligned_u64 fd;\n\t__u32 __reserved;\n'));
    assert.deepEqual(retyped.map((f) => [f.code, f.at]), [['member-retyped', 'fd']]);
    assert.match(retyped[0].message, /was __u32 \(4 bytes at 16\) and is now __aligned_u64 \(8 bytes at 16\)/);
  });

  it('a reserved member given a meaning in place is information; another renamed member a warning', () => {
    assert.deepEqual(findings(struct('\t__aligned_u64 flags;\n\t__aligned_u64 stack;\n\t__u32 fd;\n\t__u32 pidfd;\n')).map((f) => [f.code, f.severity, f.at]), [['reserved-field-consumed', 'information', 'pidfd']]);
    assert.deepEqual(findings(struct('\t__aligned_u64 flags;\n\t__aligned_u64 sp;\n\t__u32 fd;\n\t__u32 __reserved;\n')).map((f) => [f.code, f.severity, f.at]), [['member-renamed', 'warning', 'sp']]);
  });

  it('reads bits or bytes carved from a reserved member as that member consumed, not as an insertion (perf_event_attr)', () => {
    const bits = (b: string) => struct(`\t__aligned_u64 config;\n\t__u64 disabled : 1,\n\t\tinherit : 1,\n${b}\t__aligned_u64 next;\n`);
    const then = bits('\t\t__reserved_1 : 62;\n');
    const now = bits('\t\tsigtrap : 1,\n\t\t__reserved_1 : 61;\n');
    assert.deepEqual(findings(now, then).map((f) => [f.code, f.severity, f.at]), [['reserved-field-consumed', 'information', 'sigtrap']]);
    const bytes = (b: string) => struct(`\t__aligned_u64 flags;\n${b}\t__aligned_u64 tail;\n`);
    assert.deepEqual(findings(bytes('\t__u32 fd;\n\t__u32 __reserved[3];\n'), bytes('\t__u32 __reserved[4];\n')).map((f) => [f.code, f.at]), [['reserved-field-consumed', 'fd']]);
    assert.deepEqual(findings(bytes('\t__u32 fd;\n\t__u32 mode;\n\t__u32 a;\n\t__u32 b;\n'), bytes('\t__u32 __reserved[4];\n')).map((f) => f.code), ['reserved-field-consumed', 'reserved-field-consumed', 'reserved-field-consumed', 'reserved-field-consumed'], 'all of it');
  });

  it('accepts a new alternative in a published anonymous union that keeps its size', () => {
    const union = (alts: string) => struct(`\t__aligned_u64 flags;\n\tunion {\n${alts}\t};\n\t__aligned_u64 next;\n`);
    assert.deepEqual(findings(union('\t\t__aligned_u64 a;\n\t\t__u32 b;\n'), union('\t\t__aligned_u64 a;\n')), []);
    assert.deepEqual(findings(union('\t\t__aligned_u64 a;\n\t\t__u32 b[4];\n'), union('\t\t__aligned_u64 a;\n')).map((f) => f.code), ['member-retyped'], 'a union that grew moves what follows');
  });

  it('accepts growth inside the tail padding that keeps sizeof; warns at an extension off an 8-byte boundary', () => {
    const padded = struct('\t__aligned_u64 a;\n\t__u32 b;\n');
    assert.deepEqual(findings(struct('\t__aligned_u64 a;\n\t__u32 b;\n\t__u32 c;\n'), padded), []);
    const odd = struct('\t__u32 a;\n\t__u32 b;\n\t__u32 c;\n');
    assert.deepEqual(findings(struct('\t__u32 a;\n\t__u32 b;\n\t__u32 c;\n\t__u32 d;\n'), odd).map((f) => [f.code, f.at]), [['unaligned-extension', 'd']]);
    const even = struct('\t__u32 a;\n\t__u32 b;\n');
    const short = findings(struct('\t__u32 a;\n\t__u32 b;\n\t__u32 c;\n'), even);
    assert.deepEqual(short.map((f) => [f.code, f.at]), [['unaligned-extension', 'c']]);
    assert.match(short[0].message, /now ends at 12 on x86_64, not a multiple of 8/);
    assert.deepEqual(findings(struct('\t__u32 a;\n\t__u32 b;\n\t__u32 c;\n\t__u32 d;\n'), even), [], 'two __u32 make 8 bytes (sched_attr)');
  });

  it('says a finding once with every target it holds on', () => {
    const found = findings(struct('\t__aligned_u64 flags;\n\t__u32 newfd;\n\t__aligned_u64 stack;\n\t__u32 fd;\n\t__u32 __reserved;\n'), PUBLISHED, ['x86_64', 'i386']);
    assert.deepEqual(found.map((f) => f.code), ['non-tail-insertion']);
    assert.match(found[0].message, /before 'stack' on x86_64 and i386:/);
  });

  it('leaves structs that are not extensible alone', () => {
    const plain = (m: string) => `${TYPES}struct plain {\n${m}};\n`;
    assert.deepEqual(findings(plain('\t__u32 x;\n\t__u32 a;\n'), plain('\t__u32 a;\n')), []);
  });
});
