// Record layout on every target, against values worked out from each psABI (x86 ones were checked with gcc).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LayoutError } from '../../../core/abi/layout';
import type { TargetName } from '../../../core/protocol';
import { analysisOf, layoutOf, unitOf } from '../../helpers/memory-host';

const TYPES = 'typedef unsigned int __u32; typedef unsigned long long __u64; typedef __u64 __aligned_u64 __attribute__((aligned(8)));\n';
const ALL: TargetName[] = ['x86_64', 'i386', 'x32', 'aarch64', 'arm', 'riscv64'];

function sizes(body: string, name: string): Record<string, string> {
  return Object.fromEntries(ALL.map((t) => {
    const l = layoutOf(TYPES + body, name, t);
    return [t, `${l.size}/${l.align}`];
  }));
}

function offset(body: string, name: string, path: string, target: TargetName): number {
  const f = layoutOf(TYPES + body, name, target).fields.find((x) => x.path === path);
  if (!f) throw new Error(`no field ${path}`);
  return f.bitOffset ?? f.offset;
}

describe('layout per target', () => {
  it('aligns __u64 to 4 on i386 only, which __aligned_u64 fixes', () => {
    assert.deepEqual(sizes('struct s { __u32 a; __u64 b; };', 's'), { x86_64: '16/8', i386: '12/4', x32: '16/8', aarch64: '16/8', arm: '16/8', riscv64: '16/8' });
    assert.equal(offset('struct s { __u32 a; __u64 b; };', 's', 'b', 'i386'), 4);
    assert.deepEqual(sizes('struct s { __u32 a; __aligned_u64 b; };', 's'), { x86_64: '16/8', i386: '16/8', x32: '16/8', aarch64: '16/8', arm: '16/8', riscv64: '16/8' });
  });

  it('sizes long, pointers, double and long double per data model', () => {
    assert.deepEqual(sizes('struct p { char c; long l; void *p; };', 'p'), { x86_64: '24/8', i386: '12/4', x32: '12/4', aarch64: '24/8', arm: '12/4', riscv64: '24/8' });
    assert.deepEqual(sizes('struct d { char c; double d; };', 'd'), { x86_64: '16/8', i386: '12/4', x32: '16/8', aarch64: '16/8', arm: '16/8', riscv64: '16/8' });
    assert.deepEqual(sizes('struct ld { char c; long double d; };', 'ld'), { x86_64: '32/16', i386: '16/4', x32: '32/16', aarch64: '32/16', arm: '16/8', riscv64: '32/16' });
  });

  it('places bit-fields as gcc does, never straddling their type\'s unit', () => {
    assert.equal(layoutOf('struct b { unsigned a:3; unsigned b:30; };', 'b').size, 8);
    assert.equal(offset('struct b { unsigned a:3; unsigned b:30; };', 'b', 'b', 'x86_64'), 32);
    assert.equal(offset('struct b { char a; int b:20; };', 'b', 'b', 'x86_64'), 8);
    assert.equal(layoutOf('struct b { char a; int b:20; };', 'b').size, 4);
    assert.equal(offset('struct b { char a; long long b:60; };', 'b', 'b', 'x86_64'), 64);
    assert.equal(offset('struct b { char a; long long b:60; };', 'b', 'b', 'i386'), 32);
    assert.deepEqual(sizes('struct b { char a; long long b:60; };', 'b').i386, '12/4');
  });

  it('lets a zero-width bit-field pad without aligning the record, except on ARM', () => {
    assert.equal(offset('struct z { char a; int :0; char b; };', 'z', 'b', 'x86_64'), 4);
    assert.equal(sizes('struct z { char a; int :0; char b; };', 'z').x86_64, '5/1');
    assert.equal(sizes('struct z { char a; int :0; char b; };', 'z').arm, '8/4');
    assert.equal(sizes('struct u { char a; int :4; };', 'u').x86_64, '2/1');
    assert.equal(sizes('struct u { char a; int :4; };', 'u').arm, '4/4');
  });

  it('honours packed, aligned and #pragma pack', () => {
    assert.equal(sizes('struct __attribute__((packed)) p { char c; int i; };', 'p').x86_64, '5/1');
    assert.equal(sizes('struct p { char c; int i __attribute__((aligned(4))); } __attribute__((packed));', 'p').x86_64, '8/4');
    assert.equal(sizes('#pragma pack(2)\nstruct pp { char c; int i; };\n#pragma pack()', 'pp').x86_64, '6/2');
    assert.equal(sizes('struct a { int x; } __attribute__((aligned(16)));', 'a').i386, '16/16');
    assert.equal(sizes('struct a { char c __attribute__((aligned)); };', 'a').arm, '8/8');
  });

  it("reports an untagged record by its typedef name with that typedef's alignment, and the same size", () => {
    const text = [
      'typedef struct { char c; long l; } T1 __attribute__((aligned));',
      'typedef struct { char c; } T3 __attribute__((aligned(8)));',
      'typedef struct { long l; } T4 __attribute__((aligned(2)));',
      'typedef struct s5 { long l; } T5 __attribute__((aligned(16)));',
    ].join('\n');
    const analysis = analysisOf(text, ['x86_64', 'i386']);
    const shown = Object.fromEntries(analysis.records.map((r) => [r.name, ['x86_64', 'i386'].map((t) => {
      const l = r.layouts.get(t as TargetName);
      return l instanceof LayoutError || !l ? String(l) : `${l.size}/${l.align}`;
    })]));
    // As gcc gives sizeof/_Alignof of T1, T3, T4 and struct s5 (a tagged record is reported as itself).
    assert.deepEqual(shown, { T1: ['16/16', '8/16'], T3: ['1/8', '1/8'], T4: ['8/2', '4/2'], s5: ['8/8', '4/4'] });
  });

  it('reports every record one macro call defines, each with its own layout', () => {
    const analysis = analysisOf('#define DEF(t) struct s_##t { union u_##t { void *d1; int d3; } dummy; char c; };\nDEF(x)\n', ['x86_64', 'i386']);
    const shown = analysis.records.map((r) => `${r.name} ${['x86_64', 'i386'].map((t) => {
      const l = r.layouts.get(t as TargetName);
      return l instanceof LayoutError || !l ? String(l) : `${l.size}/${l.align}`;
    }).join(' ')}`);
    assert.deepEqual(shown, ['s_x 16/8 8/4', 'u_x 8/8 4/4']);
  });

  it('lets packed bit-fields, char-sized ones too, and bit-fields under any #pragma pack span their type\'s units, as gcc has since 4.4', () => {
    assert.equal(offset('struct b { char a : 2; unsigned char m : 7; } __attribute__((packed));', 'b', 'm', 'x86_64'), 2);
    assert.equal(offset('struct b { char a : 2; unsigned char m : 8 __attribute__((packed)); };', 'b', 'm', 'i386'), 2);
    assert.equal(offset('struct b { char a : 1; unsigned char m : 8; };', 'b', 'm', 'x86_64'), 8, 'not packed: the next byte');
    assert.equal(offset('#pragma pack(8)\nstruct p { char a; int b : 30; short c : 9; };', 'p', 'c', 'x86_64'), 38);
    assert.equal(sizes('#pragma pack(8)\nstruct p { char a; int b : 30; short c : 9; };', 'p').x86_64, '8/4');
    assert.equal(offset('#pragma pack(1)\nstruct p { char a : 3; short b : 14; int c : 31; };', 'p', 'c', 'i386'), 17);
  });

  it("takes a member's aligned attribute below its type's alignment as the type's, which i386 then caps", () => {
    // gcc: `double d __attribute__((aligned(4)))` is at 4 on i386 (as a plain double), aligned(8) keeps it at 8.
    assert.equal(offset('struct a { int i; double d __attribute__((aligned(4))); };', 'a', 'd', 'i386'), 4);
    assert.equal(offset('struct a { int i; double d __attribute__((aligned(8))); };', 'a', 'd', 'i386'), 8);
    assert.equal(offset('struct a { int i; double d __attribute__((aligned(4))); };', 'a', 'd', 'x86_64'), 8);
    assert.equal(sizes('struct a { int i; long long d __attribute__((aligned(2))); };', 'a').i386, '12/4');
  });

  it('aligns vectors to their size, up to 8 bytes on arm and 16 on aarch64 (gcc), and lets 8-byte ones take i386\'s field cap', () => {
    const vectors = 'typedef int v8 __attribute__((vector_size(8))); typedef int v16 __attribute__((vector_size(16))); typedef int v64 __attribute__((vector_size(64)));\n';
    assert.deepEqual(sizes(vectors + 'struct s { char c; v64 v; };', 's'), { x86_64: '128/64', i386: '128/64', x32: '128/64', aarch64: '80/16', arm: '72/8', riscv64: '128/64' });
    assert.equal(sizes(vectors + 'struct s { char c; v16 v; };', 's').arm, '24/8');
    assert.equal(sizes(vectors + 'struct s { char c; v8 v; };', 's').i386, '12/4');
  });

  it("lets unnamed bit-fields' types raise a record's alignment on aarch64 and arm, as AAPCS and AAPCS64 say", () => {
    assert.deepEqual(sizes('struct z { char c; long long : 0; char d; };', 'z'), { x86_64: '9/1', i386: '5/1', x32: '9/1', aarch64: '16/8', arm: '16/8', riscv64: '9/1' });
    assert.deepEqual(sizes('struct z { int : 0; } __attribute__((packed));', 'z'), { x86_64: '0/1', i386: '0/1', x32: '0/1', aarch64: '0/4', arm: '0/4', riscv64: '0/1' });
  });

  it('sizes unions, enums and flexible arrays', () => {
    assert.equal(sizes('union u { char c[5]; int i; };', 'u').x86_64, '8/4');
    assert.equal(sizes('enum big { BX = 0x100000000 }; struct e { char c; enum big b; };', 'e').i386, '12/4');
    assert.equal(sizes('enum __attribute__((packed)) small { S = 1 }; struct e { char c; enum small s; };', 'e').x86_64, '2/1');
    assert.equal(sizes('enum { A = 4, B = A * 2 }; struct e { char c[B]; };', 'e').x86_64, '8/1');
    assert.deepEqual([offset('struct f { int n; long data[]; };', 'f', 'data', 'x86_64'), offset('struct f { int n; long data[]; };', 'f', 'data', 'i386')], [8, 4]);
    assert.equal(layoutOf(TYPES + 'struct f { int n; long data[]; };', 'f', 'i386').size, 4);
  });

  it('evaluates sizeof, offsetof, casts and member types in array sizes', () => {
    const text = 'struct in { int a; long b; };\nstruct s { char x[sizeof(struct in)]; char y[__builtin_offsetof(struct in, b)]; char z[(unsigned char)258]; char w[sizeof(((struct in *)0)->b)]; };';
    const l = layoutOf(text, 's', 'i386');
    assert.deepEqual(l.fields.map((f) => f.size), [8, 4, 2, 4]);
  });

  it('reports holes, tail padding and what each hole follows', () => {
    const l = layoutOf(TYPES + 'struct h { char a; __u32 b; char c; __u64 d; short e; };', 'h');
    assert.deepEqual(l.holes, [{ offset: 1, size: 3, after: 'a' }, { offset: 9, size: 7, after: 'c' }]);
    assert.equal(l.tailPadding, 6);
    assert.equal(l.size, 32);
  });

  it('counts the bytes before a flexible array as a hole between members, as pahole does, not as tail padding', () => {
    const aligned = layoutOf(TYPES + 'struct f { __u32 n; __u64 arr[]; };', 'f');
    assert.deepEqual([aligned.holes, aligned.tailPadding, aligned.size], [[{ offset: 4, size: 4, after: 'n' }], 0, 8]);
    const bytes = layoutOf(TYPES + 'struct g { __u64 a; __u32 b; char data[]; };', 'g');
    assert.deepEqual([bytes.holes, bytes.tailPadding, bytes.size], [[], 4, 16], 'data starts at 12: the padding is after it');
    const zeroLength = layoutOf(TYPES + 'struct z { char c; __u32 none[0]; char d; };', 'z');
    assert.deepEqual([zeroLength.holes, zeroLength.tailPadding], [[{ offset: 1, size: 3, after: 'c' }], 3], 'before a zero-length array in the middle too');
  });

  const BYTES = TYPES + 'typedef unsigned char __u8;\n';

  it('reports bytes only unnamed bit-fields fill as explicit padding, after the named member before them', () => {
    const pad = layoutOf(BYTES + 'struct p { __u8 type; __u32 :24; __u32 len; int tail; int :32; int :32; };', 'p');
    assert.deepEqual([pad.holes, pad.explicitPadding, pad.tailPadding], [[], [{ offset: 1, size: 3, after: 'type' }, { offset: 12, size: 8, after: 'tail' }], 0], 'adjacent unnamed bit-fields make one stretch');
    const shared = layoutOf(BYTES + 'struct b { __u32 a:4, :12, b:8; };', 'b');
    assert.deepEqual(shared.explicitPadding, [{ offset: 1, size: 1, after: 'a' }], 'a byte a named bit-field shares is no padding; the byte only :12 holds is');
    const only = layoutOf(BYTES + 'struct o { __u64 :64; __u64 :64; };', 'o');
    assert.deepEqual([only.explicitPadding, only.holes, only.size], [[{ offset: 0, size: 16, after: null }], [], 16], 'a record of nothing else (bpf_timer)');
    const nested = layoutOf(BYTES + 'struct n { __u8 a; struct { __u8 b; __u32 :16; } in; };', 'n');
    assert.deepEqual(nested.explicitPadding, [{ offset: 2, size: 2, after: 'in.b' }], 'inside a nested record, at the outer offset');
    const none = layoutOf(BYTES + 'struct z { __u8 a; __u32 :0; __u32 b; };', 'z');
    assert.deepEqual([none.explicitPadding, none.holes], [[], [{ offset: 1, size: 3, after: 'a' }]], 'a zero-width bit-field fills nothing');
  });

  it('names the named member a hole follows, not an unnamed bit-field before it (null only when no named member is before)', () => {
    const after = layoutOf(BYTES + 'struct s { __u8 a; __u32 :8; __u32 b; };', 's');
    assert.deepEqual([after.holes, after.explicitPadding], [[{ offset: 2, size: 2, after: 'a' }], [{ offset: 1, size: 1, after: 'a' }]]);
    const first = layoutOf(BYTES + 'struct t { __u32 :8; __u32 b; };', 't');
    assert.deepEqual([first.holes, first.explicitPadding], [[{ offset: 1, size: 3, after: null }], [{ offset: 0, size: 1, after: null }]]);
  });

  it('lists fields depth first with designator paths, anonymous members by their own names', () => {
    const l = layoutOf('struct o { int a; struct { short s; } named; union { int u1; char u2; }; struct i { char deep; } arr[2]; };', 'o');
    assert.deepEqual(l.fields.map((f) => [f.path, f.offset]), [['a', 0], ['named', 4], ['named.s', 4], [null, 8], ['u1', 8], ['u2', 8], ['arr', 12]]);
    assert.equal(l.fields[3].anonymous, true);
  });

  it('gives a reason instead of a layout for incomplete and invalid types', () => {
    const unit = unitOf('struct fwd;\nstruct a { struct fwd f; };\nstruct b { int x[-1]; };\nstruct c { char c : 9; };\nstruct d { struct fwd *ok; };');
    const reasons = unit.decls.records.filter((r) => r.members).map((r) => {
      const l = unit.engine.layout(r);
      return l instanceof LayoutError ? l.message : 'ok';
    });
    assert.match(reasons[0], /struct fwd is incomplete/);
    assert.match(reasons[1], /array size is negative/);
    assert.match(reasons[2], /exceeds its type \(8 bits\)/);
    assert.equal(reasons[3], 'ok');
  });

  it('cuts integer constants wider than 64 bits to 64 and types them by what is left, as gcc does on every target', () => {
    const text = 'struct k { char a[922337203685477580864 % 1000]; char b[0x1000000000000000040 % 1000]; char c[-922337203685477580864 < 0 ? 1 : 2]; char d[18446744073709551615 % 1000]; };';
    for (const target of ALL) assert.deepEqual(layoutOf(text, 'k', target).fields.map((f) => f.size), [64, 64, 1, 615], target);
  });

  it('finds holes in records of any size without a map of their bytes (fuzzing found a 4 GB struct that threw)', () => {
    const l = layoutOf('struct big { char a; int x[0x40000000]; char c; struct { char p; int q; } in; };', 'big');
    assert.equal(l.size, 4 + 2 ** 32 + 12);
    assert.deepEqual(l.holes, [{ offset: 1, size: 3, after: 'a' }, { offset: 2 ** 32 + 5, size: 3, after: 'c' }, { offset: 2 ** 32 + 9, size: 3, after: 'in.p' }]);
    assert.equal(l.tailPadding, 0);
  });

  it('walks typedef, array and operator chains thousands long without recursion (a 20,000-typedef chain overflowed the stack)', () => {
    const typedefs = Array.from({ length: 20_000 }, (_, i) => `typedef ${i === 0 ? 'short' : `T${i - 1}`} T${i};`).join('\n');
    assert.equal(layoutOf(`${typedefs}\nstruct use { char c; T19999 x; };`, 'use').size, 4);
    assert.equal(layoutOf(`struct arr { int a${'[2]'.repeat(10)}${'[1]'.repeat(20_000)}; };`, 'arr').size, 4096);
    // The parser builds `1 + 1 + ...` in a loop, so its tree is as deep as the chain is long.
    assert.equal(layoutOf(`struct sum { char a[${Array(50_000).fill('1').join(' + ')} - 49990 * (1 || 0)]; };`, 'sum').size, 10);
  });

  it('refuses records nested more than 256 deep or listing more than 16384 members with nested ones, naming the first', () => {
    const chain = ['struct a0 { int x; };', ...Array.from({ length: 300 }, (_, i) => `struct a${i + 1} { struct a${i} m; };`)].join('\n');
    const deep = unitOf(chain);
    const at = (u: ReturnType<typeof unitOf>, tag: string) => u.engine.layout(u.decls.records.find((r) => r.tag === tag)!);
    assert.equal((at(deep, 'a256') as { nesting: number }).nesting, 256);
    for (const tag of ['a257', 'a300']) {
      const l = at(deep, tag);
      assert.ok(l instanceof LayoutError);
      assert.equal(l.message, 'struct a257 nests records more than 256 levels deep');
    }
    const doubling = ['struct b0 { char c; int i; };', ...Array.from({ length: 20 }, (_, k) => `struct b${k + 1} { struct b${k} x, y; };`)].join('\n');
    const wide = unitOf(doubling);
    assert.equal((at(wide, 'b12') as { fields: unknown[] }).fields.length, 2 ** 14 - 2);
    assert.equal((at(wide, 'b12') as { holes: unknown[] }).holes.length, 2 ** 12);
    for (const tag of ['b13', 'b20']) assert.equal((at(wide, tag) as LayoutError).message, 'struct b13 has more than 16384 members counting those of nested records');
  });

  it("refuses objects larger than gcc's maximum object size (2^31 - 1 on 32-bit targets), and than 2^50 bytes", () => {
    const unit = (target: TargetName) => unitOf('struct big { char a; int x[0x40000000]; };\nstruct edge { char x[0x7fffffff]; char y; };\nunion fits { char x[0x7fffffff]; };\nstruct huge { char x[0x4000000000001]; };', target);
    const reasons = (target: TargetName): string[] => {
      const u = unit(target);
      return u.decls.records.map((r) => {
        const l = u.engine.layout(r);
        return l instanceof LayoutError ? l.message : String(l.size);
      });
    };
    for (const target of ['i386', 'x32', 'arm'] as TargetName[]) {
      const [big, edge, fits, huge] = reasons(target);
      assert.equal(big, `size of array exceeds the maximum object size on ${target} (2147483647 bytes)`);
      assert.equal(edge, `struct edge exceeds the maximum object size on ${target} (2147483647 bytes)`);
      assert.equal(fits, '2147483647');
      assert.match(huge, /exceeds the maximum object size/);
    }
    for (const target of ['x86_64', 'aarch64', 'riscv64'] as TargetName[]) {
      assert.deepEqual(reasons(target).slice(0, 3), [String(2 ** 32 + 4), String(2 ** 31), '2147483647']);
      assert.equal(reasons(target)[3], 'size of array is larger than 2^50 bytes, the largest size Sysarg computes exactly');
    }
  });

  it('completes a record declared first and defined later', () => {
    const l = layoutOf('struct later;\ntypedef struct later later_t;\nstruct later { long x; };\nstruct use { later_t v; };', 'use', 'i386');
    assert.equal(l.size, 4);
  });
});
