// The rules one version of an extensible struct answers: padding, arch-dependent types, compat layouts, SIZE_VER values.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TargetName } from '../../../core/protocol';
import { structShapeFindings } from '../../../core/rules/struct-shape';
import { analysisOf } from '../../helpers/memory-host';

const TYPES = 'typedef unsigned char __u8;\ntypedef unsigned int __u32;\ntypedef unsigned long long __u64;\ntypedef unsigned int uint32_t;\n#define __aligned_u64 __u64 __attribute__((aligned(8)))\n';

function findings(body: string, targets: TargetName[] = ['x86_64', 'i386'], after = '', before = '') {
  const analysis = analysisOf(`${TYPES}${before}/* sysarg: extensible */\nstruct args {\n${body}};\n${after}`, targets);
  return structShapeFindings(analysis).map((f) => ({ code: f.code, severity: f.severity, at: f.span.file.text.slice(f.span.start, f.span.end), message: f.message }));
}

describe('struct-shape rules', () => {
  it('finds nothing in a struct of fixed-size, aligned members whose size is its newest version', () => {
    assert.deepEqual(findings('\t__aligned_u64 a;\n\t__u32 b;\n\t__u32 c;\n', ['x86_64', 'i386'], '#define ARGS_SIZE_VER0 8\n#define ARGS_SIZE_VER1 16\n'), []);
  });

  it('implicit-padding: a hole after a member and tail padding, each once with its size per target', () => {
    const found = findings('\t__u8 kind;\n\t__u64 value;\n\t__u32 flags;\n').filter((f) => f.code === 'implicit-padding');
    assert.deepEqual(found.map((f) => [f.code, f.at]), [['implicit-padding', '__u8 kind'], ['implicit-padding', 'args']]);
    assert.match(found[0].message, /a hole after 'kind' \(7 bytes on x86_64 and 3 bytes on i386\)/);
    assert.match(found[1].message, /tail padding \(4 bytes on x86_64\)/, 'i386 aligns a __u64 to 4: no tail padding there');
  });

  it('compat-layout and arch-dependent-type: a pointer, a long and an enum; a libc uint32_t is only information', () => {
    const found = findings('\tvoid *buf;\n\tlong len;\n\tenum { A, B } mode;\n\tuint32_t n;\n');
    assert.deepEqual(found.map((f) => [f.code, f.severity, f.at]).filter(([c]) => c !== 'implicit-padding'), [
      ['compat-layout', 'warning', 'void *buf'],
      ['arch-dependent-type', 'warning', 'buf'],
      ['arch-dependent-type', 'warning', 'len'],
      ['arch-dependent-type', 'warning', 'mode'],
      ['arch-dependent-type', 'information', 'n'],
    ]);
    assert.match(found[0].message, /is 24 bytes on x86_64 and 16 on i386; 'buf' is at 0 \(8 bytes\) on x86_64 and at 0 \(4 bytes\) on i386/);
    assert.match(found.find((f) => f.at === 'n')!.message, /use __u32/);
  });

  it('flexible-array-not-last: members after a flexible array', () => {
    const found = findings('\t__u32 n;\n\t__u8 data[0];\n\t__u32 more;\n', ['x86_64']);
    assert.deepEqual(found.map((f) => [f.code, f.severity, f.at]), [['flexible-array-not-last', 'error', 'data']]);
    assert.deepEqual(findings('\t__u32 n;\n\t__u8 data[];\n\t__u32 more;\n', ['x86_64']).map((f) => f.code), ['flexible-array-not-last']);
    // tls.h's salt[TLS_CIPHER_CHACHA20_POLY1305_SALT_SIZE], a cipher with no salt: an empty member, not a flexible array.
    assert.deepEqual(findings('\t__u32 n;\n\t__u8 salt[SALT_SIZE];\n\t__u32 more;\n', ['x86_64'], '', '#define SALT_SIZE 0\n'), []);
  });

  it('size-ver-mismatch, size-ver-missing and unaligned-extension: versions that do not fit the struct', () => {
    const body = '\t__u32 a;\n\t__u32 b;\n\t__aligned_u64 c;\n\t__aligned_u64 d;\n';
    const codes = (after: string) => findings(body, ['x86_64'], after).map((f) => [f.code, f.at]);
    assert.deepEqual(codes('#define ARGS_SIZE_VER0 6\n#define ARGS_SIZE_VER1 16\n'), [['size-ver-mismatch', 'ARGS_SIZE_VER0'], ['unaligned-extension', 'ARGS_SIZE_VER0'], ['size-ver-missing', 'ARGS_SIZE_VER1']]);
    assert.deepEqual(codes('#define ARGS_SIZE_VER0 16\n#define ARGS_SIZE_VER1 4\n#define ARGS_SIZE_VER2 24\n'), [['size-ver-mismatch', 'ARGS_SIZE_VER1'], ['unaligned-extension', 'ARGS_SIZE_VER1']]);
    assert.deepEqual(codes('#define ARGS_SIZE_VER0 32\n'), [['size-ver-mismatch', 'ARGS_SIZE_VER0'], ['size-ver-mismatch', 'ARGS_SIZE_VER0']], 'no member ends at 32, and the struct is smaller');
    const missing = findings(body, ['x86_64'], '#define ARGS_SIZE_VER0 8\n#define ARGS_SIZE_VER1 16\n');
    assert.match(missing[0].message, /grew to 24 bytes on x86_64 past ARGS_SIZE_VER1 \(16\).*add #define ARGS_SIZE_VER2 24/);
  });

  it('leaves a struct that is not extensible alone', () => {
    const analysis = analysisOf(`${TYPES}struct plain { __u8 a; void *p; };\n`, ['x86_64', 'i386']);
    assert.deepEqual(structShapeFindings(analysis), []);
  });
});
