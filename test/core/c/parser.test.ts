// The declaration parser: records, members, typedefs, enums, attributes, and recovery from half-typed code.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RecordDecl } from '../../../core/c/ast';
import { unitOf } from '../../helpers/memory-host';

function record(text: string, tag: string): RecordDecl {
  const r = unitOf(text).decls.records.find((x) => x.tag === tag && x.members !== null);
  if (!r) throw new Error(`no struct ${tag}`);
  return r;
}

const names = (r: RecordDecl) => (r.members ?? []).map((m) => m.name);

describe('parser', () => {
  it('reads members with pointers, arrays, function pointers and bit-fields', () => {
    const r = record('struct s { int a, *b, c[4][2]; void (*cb)(int, char *); unsigned f : 3, : 0, g : 5; char flex[]; };', 's');
    assert.deepEqual(names(r), ['a', 'b', 'c', 'cb', 'f', null, 'g', 'flex']);
    const m = r.members!;
    assert.equal(m[1].type.kind, 'pointer');
    assert.equal(m[2].type.kind, 'array');
    assert.equal(m[2].type.kind === 'array' && m[2].type.of.kind, 'array');
    assert.equal(m[3].type.kind, 'pointer');
    assert.equal(m[3].type.kind === 'pointer' && m[3].type.to.kind, 'function');
    assert.ok(m[4].bitWidth && m[5].bitWidth);
    assert.equal(m[7].type.kind === 'array' && m[7].type.length, null);
  });

  it('keeps nested and anonymous records, typedef names and enums', () => {
    const unit = unitOf('typedef struct { int x; union { int y; char z; }; struct inner { int w; } in; } outer_t;\nenum e { A, B = 5, C };\n');
    const outer = unit.decls.records.find((r) => r.typedefNames.includes('outer_t'))!;
    assert.equal(outer.tag, null);
    assert.deepEqual(names(outer), ['x', null, 'in']);
    assert.equal(outer.members![1].type.kind, 'record');
    const inner = unit.decls.records.find((r) => r.tag === 'inner')!;
    assert.equal(inner.parent, outer);
    assert.ok(unit.decls.typedefs.has('outer_t'));
    assert.deepEqual(unit.decls.enums[0].enumerators!.map((e) => e.name), ['A', 'B', 'C']);
    assert.equal(unit.decls.enumConstants.get('C')!.index, 2);
  });

  it('collects aligned and packed attributes wherever gcc accepts them', () => {
    const r = record('struct __attribute__((packed)) p { int a __attribute__((aligned(8))); __attribute__((__aligned__)) char b; } __attribute__((aligned(16)));', 'p');
    assert.equal(r.attributes.packed, true);
    assert.equal(r.attributes.aligned.length, 1);
    assert.equal(r.members![0].attributes.aligned.length, 1);
    assert.deepEqual(r.members![1].attributes.aligned, [null]);
  });

  it('records #pragma pack in force at the end of a body', () => {
    const unit = unitOf('#pragma pack(push, 2)\nstruct a { char c; int i; };\n#pragma pack(pop)\nstruct b { char c; int i; };');
    assert.deepEqual(unit.decls.records.map((r) => r.pragmaPack), [2, 0]);
  });

  it('skips function bodies, initializers, static asserts and prototypes', () => {
    const unit = unitOf('static inline int f(int x) { struct hidden { int h; } v; return x; }\nint g(void);\nint arr[] = { 1, 2 };\n_Static_assert(1, "x");\nstruct after { int a; };');
    assert.deepEqual(unit.decls.records.filter((r) => r.members).map((r) => r.tag), ['after']);
    assert.deepEqual(unit.diagnostics, []);
  });

  it('writes member types as the user wrote them', () => {
    const r = record('#define my_u64 unsigned long long\nstruct t { const my_u64 a; struct t *next; };', 't');
    assert.deepEqual(r.members!.map((m) => m.typeText), ['my_u64', 'struct t *']);
  });

  describe('recovery', () => {
    it('recovers at ; inside a struct and keeps the other members', () => {
      const unit = unitOf('struct s {\n  int a;\n  int b c;\n  long d;\n};\nstruct t { int x; };');
      const s = unit.decls.records.find((r) => r.tag === 's')!;
      assert.deepEqual(names(s), ['a', 'b', 'd'], 'b was complete before the stray word');
      assert.equal(unit.diagnostics.length, 1);
      assert.equal(unit.diagnostics[0].span.file.positionAt(unit.diagnostics[0].span.start).line, 2);
      assert.ok(unit.decls.records.some((r) => r.tag === 't'));
    });

    it('reports an unknown type name once and keeps parsing', () => {
      const unit = unitOf('struct s { u32 a; int b; };');
      assert.deepEqual(unit.diagnostics.map((d) => d.message), ["unknown type name 'u32'"]);
      assert.deepEqual(names(unit.decls.records[0]), ['b']);
    });

    it('ends a struct left open when the next definition starts at column 0', () => {
      const unit = unitOf('struct half {\n\tint a;\n\tint b;\n\nstruct next {\n\tint c;\n};\n');
      const half = unit.decls.records.find((r) => r.tag === 'half')!;
      assert.equal(half.incompleteBody, true);
      assert.deepEqual(names(half), ['a', 'b']);
      assert.deepEqual(names(unit.decls.records.find((r) => r.tag === 'next')!), ['c']);
      assert.match(unit.diagnostics[0].message, /expected '}' to end struct half before 'struct'/);
    });

    it('keeps a struct cut off at the end of the file', () => {
      const unit = unitOf('struct cut {\n\tint a;\n\tlong b;');
      assert.deepEqual(names(unit.decls.records[0]), ['a', 'b']);
      assert.match(unit.diagnostics[0].message, /expected '}'/);
    });

    it('recovers after a broken top-level declaration', () => {
      const unit = unitOf('int = ;\nstruct ok { int a; };\n} stray;\nstruct ok2 { int b; };');
      assert.deepEqual(unit.decls.records.map((r) => r.tag), ['ok', 'ok2']);
      assert.ok(unit.diagnostics.length >= 2);
    });
  });
});
