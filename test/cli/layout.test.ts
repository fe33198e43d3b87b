// `sysarg layout` through the real binary: the CONTRACTS.md JSON, the text view, targets and options, exit codes.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cliPath } from '../helpers/paths';
import { runCli } from '../helpers/run-cli';
import { KERNEL_TREE_SKELETON, writeTempTree } from '../helpers/temp-tree';

const dir = mkdtempSync(join(tmpdir(), 'sysarg-cli-layout-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const HEADER = file('demo.h', `typedef unsigned int __u32;
typedef unsigned long long __u64;
#include "inner.h"
/* sysarg: extensible size-macro=DEMO_SIZE_VER */
struct demo {
	__u32 size;
	__u32 flags : 3, mode : 5;
	union { __u32 a; __u64 b; };
	struct { __u32 x; } named;
	char data[];
};
#define DEMO_SIZE_VER0 16
typedef struct { __u64 v; } demo_t;
struct fwd;
`);
file('inner.h', 'struct inner_only { int i; };\n');

function layout(args: string[]): { version: number; records: any[]; errors: any[] } {
  const r = runCli(['layout', '--json', ...args]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  return JSON.parse(r.stdout);
}

describe('sysarg layout --json', () => {
  it('reports records defined in the named file only, tagged by tag and untagged by typedef name', () => {
    const out = layout([HEADER]);
    assert.equal(out.version, 1);
    assert.deepEqual(out.records.map((r) => [r.name, r.kind, r.typedef ?? false, r.line]), [['demo', 'struct', false, 5], ['demo_t', 'struct', true, 13]]);
    assert.equal(out.records[0].file, HEADER, 'the path is printed as given');
    assert.equal(out.records[0].extensible, true);
    assert.equal(out.records[1].extensible, false);
    assert.deepEqual(out.errors, []);
  });

  it('lists every named field depth first, bit-fields by bit, anonymous members with a null path', () => {
    const demo = layout([HEADER]).records[0].layouts.x86_64;
    assert.deepEqual(Object.keys(demo).sort(), ['align', 'fields', 'holes', 'size', 'tailPadding'], "the contract's keys (explicitPadding only where there is some)");
    assert.deepEqual(demo.fields.map((f: any) => f.path), ['size', 'flags', 'mode', null, 'a', 'b', 'named', 'named.x', 'data']);
    assert.deepEqual(demo.fields[1], { path: 'flags', type: '__u32', bitOffset: 32, bitWidth: 3 });
    assert.deepEqual(demo.fields[2], { path: 'mode', type: '__u32', bitOffset: 35, bitWidth: 5 });
    assert.equal(demo.fields[3].anonymous, true);
    assert.deepEqual(demo.fields[5], { path: 'b', type: '__u64', offset: 8, size: 8, align: 8 });
    assert.deepEqual(demo.fields[7], { path: 'named.x', type: '__u32', offset: 16, size: 4, align: 4 });
    assert.deepEqual(demo.fields[8], { path: 'data', type: 'char[]', offset: 20, size: 0, align: 1 });
    assert.deepEqual([demo.size, demo.align, demo.tailPadding], [24, 8, 4]);
  });

  it('lays out on every requested target', () => {
    const out = layout(['--target', 'x86_64', '--target', 'i386', '--target=arm,riscv64', HEADER]);
    const demo = out.records[0].layouts;
    assert.deepEqual(Object.keys(demo), ['x86_64', 'i386', 'arm', 'riscv64']);
    assert.deepEqual([demo.i386.size, demo.i386.align], [20, 4]);
    assert.deepEqual([demo.arm.size, demo.arm.align], [24, 8]);
    const all = layout(['--target', 'all', '--target', 'i386', HEADER]).records[0].layouts;
    assert.deepEqual(Object.keys(all), ['x86_64', 'i386', 'x32', 'aarch64', 'arm', 'riscv64'], '--target all is every target, once each');
  });

  it('honours -I and -D like gcc, and reports what it cannot read', () => {
    const src = file('opts.h', '#include <extra.h>\n#if WIDE\nstruct o { long long v; extra_t e; };\n#else\nstruct o { int v; extra_t e; };\n#endif\n');
    const inc = join(dir, 'inc');
    require('node:fs').mkdirSync(inc, { recursive: true });
    writeFileSync(join(inc, 'extra.h'), 'typedef char extra_t;\n');
    assert.equal(layout(['-I', inc, '-DWIDE=1', src]).records[0].layouts.x86_64.size, 16);
    assert.equal(layout([`-I${inc}`, src]).records[0].layouts.x86_64.size, 8);
    const missing = layout([src]);
    assert.match(missing.errors[0].message, /'extra.h' file not found/);
    assert.deepEqual([missing.errors[0].line, missing.errors[0].column], [1, 10]);
  });

  it('lays out every C file below a directory, in the order find DIR | sort gives', () => {
    const top = mkdtempSync(join(tmpdir(), 'sysarg-cli-tree-'));
    mkdirSync(join(top, 'b', 'deep'), { recursive: true });
    writeFileSync(join(top, 'b', 'deep', 'z.h'), 'struct z { int z; };\n');
    writeFileSync(join(top, 'b', 'a.c'), 'struct c { char c; };\n');
    writeFileSync(join(top, 'a.h'), 'struct a { long a; };\n');
    writeFileSync(join(top, 'notes.txt'), 'struct not_c { int n; };\n');
    symlinkSync(join(top, 'b'), join(top, 'c-link'));
    const r = layout([top]);
    assert.deepEqual(r.records.map((x: { name: string; file: string }) => [x.name, x.file]), [
      ['a', join(top, 'a.h')],
      ['c', join(top, 'b', 'a.c')],
      ['z', join(top, 'b', 'deep', 'z.h')],
    ]);
    // A file named beside the directory keeps its place among the inputs.
    assert.deepEqual(layout([HEADER, join(top, 'b')]).records.map((x: { name: string }) => x.name).slice(-2), ['c', 'z']);
  });

  it('prints a pahole-style text view by default', () => {
    const r = runCli(['layout', '--target', 'x86_64,i386', HEADER]);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^struct demo \{ \/\* .*demo\.h:5, extensible \*\//m);
    assert.match(r.stdout, /^typedef struct \{ \/\* .*demo\.h:13 \*\/\n(?:\t.*\n)+\} demo_t;$/m, 'an untagged record closes with its typedef name');
    assert.match(r.stdout, /x86_64: size: 24, align: 8/);
    assert.match(r.stdout, /i386: size: 20, align: 4/);
    assert.match(r.stdout, /\n\tunion \{\n\t\t__u32 a; +\/\* 8 4 +\| 8 4 +\*\/\n\t\t__u64 b; +\/\* 8 8 +\| 8 8 +\*\/\n\t\}; +\/\* 8 8 +\| 8 8 +\*\//, 'the anonymous union nested');
    assert.match(r.stdout, /\n\t__u32 flags:3; +\/\* 4:0 3b +\| 4:0 3b +\*\/\n\t__u32 mode:5; +\/\* 4:3 5b +\| 4:3 5b +\*\/\n\t\/\* XXX 3 bytes hole \*\/\n/, 'the hole after the bit-fields sharing its byte, once for both targets');
  });

  it('shows a hole after the nested record it follows, and one inside a nested record inside it', () => {
    const nested = file('nested-holes.h', `struct named { struct { char p; } in; int z; };
struct anon { struct { char p; char q; }; int z; };
struct deep { union { struct { char a; } i2; } i1; int z; };
struct inner { struct { struct { char a; } i2; int k; } i1; };
struct perm { int a[6]; unsigned short seq; };
struct padded { struct perm p; void *x; };
struct explicit { unsigned char type; unsigned int :24; unsigned int len; int tail; int :32; int :32; };
struct unnamed_first { unsigned int :8; unsigned int b; };
struct unnamed_only { unsigned long long :64; unsigned long long :64; };
struct unnamed_then_hole { unsigned char a; unsigned int :8; unsigned int b; };
struct unnamed_inside { struct { unsigned int :8; unsigned int a; } in; char z; };
struct unnamed_inside_after { char x; struct { int :8; int a; } in; };
`);
    const r = runCli(['layout', '--target', 'x86_64', nested]);
    assert.equal(r.status, 0, r.stderr);
    const members = (name: string) => (new RegExp(`^struct ${name} \\{[^\\n]*\\n\\t[^\\n]*\\n((?:\\t.*\\n)*?)\\t/\\* size`, 'm').exec(r.stdout)?.[1] ?? '').split('\n').map((l) => l.replace(/ +\/\* [\d: ]+b? +\*\/$/, ''));
    assert.deepEqual(members('named'), ['\tstruct {', '\t\tchar p;', '\t} in;', '\t/* XXX 3 bytes hole */', '\tint z;', ''], 'after } in;, not inside the braces');
    assert.deepEqual(members('anon'), ['\tstruct {', '\t\tchar p;', '\t\tchar q;', '\t};', '\t/* XXX 2 bytes hole */', '\tint z;', '']);
    assert.deepEqual(members('deep'), ['\tunion {', '\t\tstruct {', '\t\t\tchar a;', '\t\t} i2;', '\t} i1;', '\t/* XXX 3 bytes hole */', '\tint z;', ''], 'out of every record that ends where the hole begins');
    assert.deepEqual(members('inner'), ['\tstruct {', '\t\tstruct {', '\t\t\tchar a;', '\t\t} i2;', '\t\t/* XXX 3 bytes hole */', '\t\tint k;', '\t} i1;', ''], 'a hole inside i1 stays inside it');
    assert.deepEqual(
      members('padded'),
      ['\tstruct perm {', '\t\tint a[6];', '\t\tunsigned short seq;', '\t\t/* XXX 2 bytes padding */', '\t} p;', '\t/* XXX 4 bytes hole */', '\tvoid *x;', ''],
      "a hole that begins inside p and goes on past it: p's own tail padding, then the outer record's hole",
    );
    assert.deepEqual(
      members('explicit'),
      ['\tunsigned char type;', '\t/* 3 bytes padding: unnamed bit-fields */', '\tunsigned int len;', '\tint tail;', '\t/* 8 bytes padding: unnamed bit-fields */', ''],
      'bytes the author filled with unnamed bit-fields are shown as such, not as holes, and not left out',
    );
    assert.match(r.stdout, /\} p;[^]*?\t\/\* size: 40, align: 8, members: 2, holes: 1 \(4 bytes\), paddings: 1 \(2 bytes\) \*\/\n/, "the summary counts holes and nested records' padding apart, as pahole does");
    assert.match(r.stdout, /\tint tail;[^]*?\t\/\* size: 20, align: 4, members: 3, explicit paddings: 2 \(11 bytes\) \*\//);
    assert.deepEqual(members('unnamed_first'), ['\t/* 1 byte padding: unnamed bit-fields */', '\t/* XXX 3 bytes hole */', '\tunsigned int b;', ''], 'before the first member when no named member comes before');
    assert.deepEqual(members('unnamed_only'), ['\t/* 16 bytes padding: unnamed bit-fields */', '']);
    assert.deepEqual(
      members('unnamed_inside'),
      ['\tstruct {', '\t\t/* 1 byte padding: unnamed bit-fields */', '\t\t/* XXX 3 bytes hole */', '\t\tunsigned int a;', '\t} in;', '\tchar z;', ''],
      'inside the record that holds them, before its first member',
    );
    assert.deepEqual(
      members('unnamed_inside_after'),
      ['\tchar x;', '\t/* XXX 3 bytes hole */', '\tstruct {', '\t\t/* 1 byte padding: unnamed bit-fields */', '\t\t/* XXX 3 bytes hole */', '\t\tint a;', '\t} in;', ''],
      'inside the record, though the member they follow (x) is outside it, as pahole shows the hole',
    );
    assert.deepEqual(members('unnamed_then_hole'), ['\tunsigned char a;', '\t/* 1 byte padding: unnamed bit-fields */', '\t/* XXX 2 bytes hole */', '\tunsigned int b;', ''], 'in the order they lie');
    type Gap = { offset: number; size: number; after: string | null };
    const json = JSON.parse(runCli(['layout', '--json', nested]).stdout) as { records: { name: string; layouts: { x86_64: { holes: Gap[]; explicitPadding?: Gap[] } } }[] };
    assert.deepEqual(json.records.map((rec) => rec.layouts.x86_64.holes.map((h) => h.after)), [['in.p'], ['q'], ['i1.i2.a'], ['i1.i2.a'], [], ['p.seq'], [], [null], [], ['a'], [null], ['x', 'x']], 'the JSON names the member the hole starts at, as before');
    assert.deepEqual(
      json.records.map((rec) => rec.layouts.x86_64.explicitPadding?.map((h) => [h.offset, h.size, h.after])),
      [undefined, undefined, undefined, undefined, undefined, undefined, [[1, 3, 'type'], [12, 8, 'tail']], [[0, 1, null]], [[0, 16, null]], [[1, 1, 'a']], [[0, 1, null]], [[4, 1, 'x']]],
      'explicit padding, as the engine counts it, only where there is some',
    );
  });
});

describe('sysarg layout and kernel code', () => {
  it("takes a .c input's copy_struct_from_user() as evidence that a struct is extensible, as check does; a patch's .c too", () => {
    const tree = writeTempTree('sysarg-layout-copies-', {
      ...KERNEL_TREE_SKELETON,
      'include/uapi/linux/frob.h': '#include <linux/types.h>\nstruct frob_args {\n\t__aligned_u64 a;\n\t__u32 b;\n};\nstruct frob_other {\n\t__u32 x;\n};\n',
      'kernel/frob.c': '#include <linux/frob.h>\n\nSYSCALL_DEFINE2(frob, struct frob_args __user *, uargs, size_t, usize)\n{\n\tstruct frob_args args;\n\n\treturn 0;\n}\n',
      'kernel/frob2.c': 'long frob2(void __user *u, size_t usize)\n{\n\tstruct frob_args args;\n\n\treturn copy_struct_from_user(&args, sizeof(args), u, usize);\n}\n',
    });
    const header = join(tree, 'include/uapi/linux/frob.h');
    const extensible = (args: string[]) => {
      const run = runCli(['layout', '--json', '--tree', tree, ...args]);
      assert.equal(run.status, 0, run.stderr);
      const json = JSON.parse(run.stdout) as { records: { name: string; file: string; extensible: boolean }[] };
      return json.records.filter((r) => r.file.endsWith('frob.h')).map((r) => [r.name, r.extensible]);
    };
    assert.deepEqual(extensible([header]), [['frob_args', false], ['frob_other', false]], 'the header alone says nothing');
    assert.deepEqual(extensible([header, join(tree, 'kernel/frob2.c')]), [['frob_args', true], ['frob_other', false]]);
    assert.deepEqual(extensible([join(tree, 'kernel/frob2.c'), header]), [['frob_args', true], ['frob_other', false]], 'whatever the order');
    const patch = join(tree, 'frob.patch');
    writeFileSync(patch, '--- a/kernel/frob.c\n+++ b/kernel/frob.c\n@@ -4,5 +4,7 @@\n {\n \tstruct frob_args args;\n \n+\tif (copy_struct_from_user(&args, sizeof(args), uargs, usize))\n+\t\treturn -EFAULT;\n \treturn 0;\n }\n');
    assert.deepEqual(extensible([header, patch]), [['frob_args', true], ['frob_other', false]], "a patch's kernel code, as patched");
  });
});

describe('sysarg layout errors', () => {
  const cases: [string, string[], RegExp][] = [
    ['no files', ['layout'], /no input files/],
    ['a missing file', ['layout', join(dir, 'absent.h')], /absent\.h: no such file/],
    ['a directory with no C file below it', ['layout', mkdtempSync(join(tmpdir(), 'sysarg-cli-empty-'))], /: no C files below it$/m],
    ['an unknown target', ['layout', '--target', 'sparc', HEADER], /unknown target 'sparc'/],
    ['an unknown option', ['layout', '--frobnicate', HEADER], /unknown option --frobnicate/],
    ['a malformed -D', ['layout', '-D', '1BAD', HEADER], /-D 1BAD: expected NAME or NAME=VALUE/],
    ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
  ];
  for (const [what, args, message] of cases) {
    it(`exits 2 with one line for ${what}`, () => {
      const r = runCli(args);
      assert.equal(r.status, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    });
  }

  it('exits 2 with one line when its output cannot be written (a full disk)', (t) => {
    if (!require('node:fs').existsSync('/dev/full')) return t.skip('no /dev/full here');
    const full = require('node:fs').openSync('/dev/full', 'w');
    const r = require('node:child_process').spawnSync(process.execPath, [cliPath, 'layout', '--json', HEADER], { stdio: ['ignore', full, 'pipe'], encoding: 'utf8' });
    require('node:fs').closeSync(full);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^sysarg layout: cannot write output: ENOSPC/);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  });

  for (const mode of ['--json', '--target=x86_64']) {
    it(`stops quietly when the reader of its output goes away (${mode})`, () => {
      const many = Array.from({ length: 400 }, (_, i) => file(`many${i}.h`, `struct m${i} { int a; long b; char c[${i + 1}]; };\n`));
      const r = require('node:child_process').spawnSync('bash', ['-c', `node "$0" layout ${mode} "$@" | head -c 10 >/dev/null; echo "status \${PIPESTATUS[0]}"`, cliPath, ...many], { encoding: 'utf8' });
      assert.equal(r.stderr, '');
      assert.match(r.stdout, /status 0/);
    });
  }

  // A fuzzed header whose comment held 320,000 `struct n {` and no period took minutes: the comment evidence was read
  // with `a[^.]*b` expressions, which backtrack over a whole sentence from each `a` (cubic with two of them).
  it('reads comments of a megabyte without a period, or of 100,000 blank lines, in bounded time', () => {
    const words = (word: string) => `${word} `.repeat(100_000);
    const path = file(
      'long-comments.h',
      `typedef unsigned int __u32;\n/* ${words('struct n {')} */\nstruct a { __u32 x; };\n/* ${words('new member')} */\nstruct b { __u32 x; };\n` +
        `/**\n * ${words('add struct member size,')}\n${' *\n'.repeat(50_000)}${'\n'.repeat(100_000)} */\nstruct c { __u32 size; };\n`,
    );
    const r = runCli(['layout', '--json', path], { timeoutMs: 30_000 });
    assert.equal(r.status, 0, `status ${r.status} (null: killed after 30 s): ${r.stderr}`);
    const records = JSON.parse(r.stdout).records;
    assert.deepEqual(
      records.map((x: { name: string; extensible: boolean }) => [x.name, x.extensible]),
      [
        ['a', false],
        ['b', false],
        ['c', false],
      ],
    );
  });

  it('lays out a binary file as an error entry, not a crash', () => {
    const bin = file('binary.h', '\u0000\u0001ELF\u0000');
    const out = layout([bin]);
    assert.deepEqual(out.records, []);
    assert.match(out.errors[0].message, /binary file/);
  });
});
