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
    // Both ways it goes wrong: refused where the kernel checks the bytes (bpf), meaningless forever where it does not.
    assert.match(found[0].message, /leaves stack garbage in bytes no member names, so a kernel that checks them refuses its call \(bpf's CHECK_ATTR does\) and one that does not can never give them a meaning/);
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

  it("arch-dependent-type: a pointer in a union a __u64 keeps 8 bytes wide (bpf.h's __bpf_md_ptr) says what differs, not the layout", () => {
    const found = findings('\tunion {\n\t\tvoid *ptr;\n\t\t__u64 :64;\n\t} __attribute__((aligned(8)));\n\tunion {\n\t\tvoid *p2;\n\t\t__aligned_u64 v2;\n\t};\n\tunion {\n\t\tvoid *p3;\n\t\t__u32 v3;\n\t};\n');
    assert.deepEqual(found.map((f) => [f.code, f.at]), [
      ['implicit-padding', 'args'],
      ['compat-layout', 'void *p3'],
      ['arch-dependent-type', 'ptr'],
      ['arch-dependent-type', 'p2'],
      ['arch-dependent-type', 'p3'],
    ]);
    const message = (at: string) => found.find((f) => f.at === at)!.message;
    assert.match(message('ptr'), /is a pointer .*: a 64-bit member keeps the union 8 bytes wide, but a 32-bit process sets only 4 of them$/);
    assert.match(message('p2'), /: a 64-bit member keeps the union 8 bytes wide/);
    assert.match(message('p3'), /: its layout differs between ABIs$/, 'a union of a pointer and a __u32 changes size');
    assert.match(found[1].message, /'p3' is at 16 \(8 bytes\) on x86_64 and at 16 \(4 bytes\) on i386/, 'the member inside the union that differs');
  });

  it("compat-layout: a nested struct whose size differs only by its tail padding moves no named byte (bpf_attr's raw_tracepoint)", () => {
    const union = (inner: string) => findings(`\tunion {\n\t\tstruct {\n${inner}\t\t} raw_tracepoint;\n\t\t__u8 bytes[24];\n\t};\n`);
    // 16 bytes on x86_64 and 12 on i386, inside a 24-byte union: no byte a member names moves.
    assert.deepEqual(union('\t\t\t__u64 name;\n\t\t\t__u32 prog_fd;\n').filter((f) => f.code === 'compat-layout'), []);
    // A member inside it that moves (a __u64 after a __u32: at 8 on x86_64, 4 on i386) is a different layout, though the
    // union's size is the same on both.
    const moved = union('\t\t\t__u32 prog_fd;\n\t\t\t__u64 name;\n').filter((f) => f.code === 'compat-layout');
    assert.equal(moved.length, 1);
    assert.equal(moved[0].at, '__u64 name');
    const text = `${TYPES}/* sysarg: extensible */\nstruct args {\n\tunion {\n\t\tstruct {\n\t\t\t__u32 prog_fd;\n\t\t\t__u64 name;\n\t\t} raw_tracepoint;\n\t\t__u8 bytes[24];\n\t};\n};\n`;
    const fix = structShapeFindings(analysisOf(text, ['x86_64', 'i386'])).find((f) => f.code === 'compat-layout')?.fixes;
    assert.deepEqual(fix?.map((f) => [f.title, f.edits.map((e) => e.newText)]), [["Declare 'name' as __aligned_u64", ['__aligned_u64 ']]], 'the nested member is retyped');
    assert.match(moved[0].message, /is 24 bytes on x86_64 and 24 on i386; 'raw_tracepoint\.name' is at 8 \(8 bytes\) on x86_64 and at 4 \(8 bytes\) on i386/);
    // At a struct's end the tail padding changes the struct's size, and that is said: as information in an extensible
    // struct (the kernel takes the shorter one as an older version), naming the record in one of unknown use.
    const body = '\t__u32 kind;\n\t__u32 pad;\n\tstruct {\n\t\t__u64 name;\n\t\t__u32 fd;\n\t} last;\n';
    const atEnd = findings(body).filter((f) => f.code === 'compat-layout');
    assert.deepEqual(atEnd.map((f) => f.severity), ['information']);
    assert.match(atEnd[0].message, /^struct args is 24 bytes on x86_64 and 20 on i386, by its tail padding alone/);
    const plain = analysisOf(`${TYPES}struct args {\n${body}};\n`, ['x86_64', 'i386']);
    const unknownUse = structShapeFindings(plain, new Set(plain.records)).filter((f) => f.code === 'compat-layout');
    assert.match(unknownUse[0]?.message ?? '', /is 24 bytes on x86_64 and 20 on i386; 'last' is at 8 \(16 bytes\) on x86_64 and at 8 \(12 bytes\) on i386/);
  });

  it("compat-layout: an extensible struct that differs by its tail padding alone is information; a struct of unknown use a warning", () => {
    const tail = findings('\t__u64 a;\n\t__u32 b;\n').filter((f) => f.code === 'compat-layout');
    assert.deepEqual(tail.map((f) => [f.severity, f.at]), [['information', 'args']]);
    assert.match(tail[0].message, /^struct args is 16 bytes on x86_64 and 12 on i386, by its tail padding alone: every member lies at the same offset, and a kernel told the caller's size \(copy_struct_from_user\(\), drm_ioctl\(\)\) reads the shorter one as an older version, its tail zero\./);
    const plain = analysisOf(`${TYPES}struct args {\n\t__u64 a;\n\t__u32 b;\n};\n`, ['x86_64', 'i386']);
    const added = structShapeFindings(plain, new Set(plain.records)).filter((f) => f.code === 'compat-layout');
    assert.deepEqual(added.map((f) => f.severity), ['warning'], 'a new UAPI struct may be an ioctl argument whose number encodes its size');
  });

  it('fixes compat layouts and arch-dependent types with linux/types.h\'s types, each fix ending its finding', () => {
    const head = `${TYPES}typedef long long __s64;\n#define __aligned_s64 __s64 __attribute__((aligned(8)))\n/* sysarg: extensible */\nstruct args {\n`;
    const shape = (text: string) => structShapeFindings(analysisOf(text, ['x86_64', 'i386']));
    /** The text with every fix of the findings of `code` applied (edits from the end, so earlier offsets hold). */
    const fixed = (text: string, code: string) => {
      const edits = shape(text).filter((f) => f.code === code).flatMap((f) => f.fixes ?? []).flatMap((fix) => fix.edits);
      assert.ok(edits.length > 0, `no fix for ${code}`);
      for (const e of edits.sort((a, b) => b.span.start - a.span.start)) text = text.slice(0, e.span.start) + e.newText + text.slice(e.span.end);
      return text;
    };
    const misaligned = `${head}\t__u32 a;\n\t__u32 b;\n\t__u32 c;\n\t__u64 d;\n\t__s64 e;\n};\n`;
    assert.deepEqual(shape(misaligned).find((f) => f.code === 'compat-layout')?.fixes?.map((f) => f.title), ['Declare the 2 64-bit members 8-byte aligned on every ABI (__aligned_u64 and kin)']);
    const aligned = fixed(misaligned, 'compat-layout');
    assert.match(aligned, /\t__aligned_u64 d;\n\t__aligned_s64 e;\n/);
    assert.deepEqual(shape(aligned).map((f) => f.code), ['implicit-padding'], 'the same 4-byte hole on both targets is left, to be made explicit');

    const loose = `${head}\tvoid *buf;\n\tunsigned long len;\n\tlong off;\n\tuint32_t n;\n\tenum mode { A, B } mode;\n};\n`;
    const titles = shape(loose).filter((f) => f.code === 'arch-dependent-type').map((f) => f.fixes?.map((x) => x.title) ?? []);
    assert.deepEqual(titles, [["Declare 'buf' as __aligned_u64"], ["Declare 'len' as __aligned_u64"], ["Declare 'off' as __aligned_s64"], ["Declare 'n' as __u32"], []], 'an enum defined in place keeps its enumerators: no fix');
    const typed = fixed(loose, 'arch-dependent-type');
    assert.match(typed, /\t__aligned_u64 buf;\n\t__aligned_u64 len;\n\t__aligned_s64 off;\n\t__u32 n;\n/);
    assert.deepEqual(shape(typed).map((f) => [f.code, f.span.file.text.slice(f.span.start, f.span.end)]), [['arch-dependent-type', 'mode']]);
    // Without linux/types.h's macros, nothing to name: the findings stay, with no fix.
    const bare = shape('typedef unsigned int __u32;\n/* sysarg: extensible */\nstruct args { __u32 a; void *buf; };\n');
    assert.deepEqual(bare.map((f) => [f.code, f.fixes]), [['implicit-padding', undefined], ['compat-layout', undefined], ['arch-dependent-type', undefined]]);
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
