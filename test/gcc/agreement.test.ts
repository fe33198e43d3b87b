// gcc is the layout oracle: sysarg's layouts must equal gcc's sizeof/__alignof__/offsetof/bit placement on -m64/-m32/-mx32.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../helpers/paths';

function gccMultilibMissing(): string | false {
  for (const flag of ['-m64', '-m32', '-mx32']) {
    // As the harness compiles: the bi-arch headers searched last, where Debian's gcc-multilib links are missing.
    const biarch = flag === '-m64' ? [] : ['-idirafter', '/usr/include/x86_64-linux-gnu'];
    const r = spawnSync('gcc', [flag, ...biarch, '-fsyntax-only', '-x', 'c', '-'], { input: '#include <linux/types.h>\n#include <stddef.h>\n', encoding: 'utf8' });
    if (r.error) return 'gcc is not installed';
    if (r.status !== 0) return `gcc ${flag} cannot compile a UAPI header (install gcc-12-multilib, libc6-dev-i386, libc6-dev-x32 and linux-libc-dev)`;
  }
  return false;
}

/** Debian's cross compiler for each target beyond the x86 family, and the directory of its own headers. */
const CROSS: Record<string, string> = { aarch64: 'aarch64-linux-gnu', arm: 'arm-linux-gnueabihf', riscv64: 'riscv64-linux-gnu' };

function crossMissing(triple: string): string | false {
  const r = spawnSync(`${triple}-gcc`, ['-fsyntax-only', '-x', 'c', '-'], { input: '#include <linux/types.h>\n', encoding: 'utf8' });
  if (r.error) return `${triple}-gcc is not installed (Debian: gcc-${triple})`;
  return r.status === 0 ? false : `${triple}-gcc cannot compile a UAPI header`;
}

interface TargetSummary {
  records: number;
  agreeingRecords: number;
  checks: number;
  mismatches: { header: string; record: string; mismatches: unknown[] }[];
  rejectedHeaders: { header: string; gcc: string }[];
  uncompilable: unknown[];
  errors: unknown[];
}

function runHarness(args: string[]): { targets: Record<string, TargetSummary>; missingRecords: unknown[]; headers: number } {
  const out = join(mkdtempSync(join(tmpdir(), 'sysarg-agree-')), 'summary.json');
  const r = spawnSync(process.execPath, [join(repoRoot, 'scripts/gcc-agreement.mjs'), '--json', out, ...args], { encoding: 'utf8', timeout: 30 * 60_000 });
  assert.equal(r.status, 0, r.stderr);
  process.stdout.write(r.stdout.split('\n').filter((l) => !l.startsWith('  ')).map((l) => `# ${l}\n`).join(''));
  return JSON.parse(readFileSync(out, 'utf8'));
}

const TRICKY = `#include <linux/types.h>
struct t_basic { __u32 a; __u64 b; char c; };
struct t_aligned { __u32 a; __aligned_u64 b; };
struct t_bits { unsigned a:3, b:30; char c; long long d:60; int :0; char e; unsigned short f:9; };
struct t_bits_signed { signed char s:2; _Bool flag:1; __u64 wide:33; __u8 byte; };
struct t_packed { char c; int i; __u64 q; } __attribute__((packed));
struct t_packed_aligned { char c; int i __attribute__((aligned(4))); } __attribute__((packed));
#pragma pack(push, 2)
struct t_pragma { char c; int i; long long q; unsigned b:20; };
#pragma pack(pop)
struct t_over { int x; } __attribute__((aligned(16)));
union t_union { char c[5]; int i; struct { short a, b; } pair; };
struct t_nested { int a; struct { char s; long l; } inner; union { int u1; double u2; }; struct t_over arr[2]; };
struct t_double { char c; double d; long double ld; };
struct t_flex { __u32 n; __u64 data[]; };
struct t_zero { int n; char pad[0]; };
enum t_enum_big { T_BIG = 0x100000000ULL };
struct t_enum { char c; enum t_enum_big e; };
typedef struct { char tag; void *p; long l; } t_typedef_t;
struct t_utf8_é { char é; long λ_x; unsigned ü:3; };
`;

/** More of what C and GNU C allow in a record, each a case gcc and sysarg were once compared on by hand. */
const MORE = `#include <linux/types.h>
struct f_alignas { char c; _Alignas(16) int x; };
struct f_aligned_noarg { char c; int x __attribute__((aligned)); };
enum __attribute__((packed)) f_small { F_A, F_B };
struct f_penum { char c; enum f_small e; short s; };
struct f_ld { char c; long double d; };
struct f_u64a { char c; __u64 x __attribute__((aligned(8))); };
struct f_upacked { char c; int x; } __attribute__((__packed__));
struct f_bool { _Bool b[3]; int i; };
struct f_anon_bits { int a:3; int :5; int b:4; int :0; int c; };
struct f_char_bits { char a:3; char b:6; };
struct f_arr2d { char a[3][5]; short s; };
struct f_fnptr { char c; void (*fn)(int); };
union f_uflex { int n; struct { int len; char d[]; } s; };
struct f_packed_member { char c; struct { char a; int b; } __attribute__((packed)) p; int z; };
struct f_aligned_type { char c; __attribute__((aligned(32))) int x; };
typedef int f_aint __attribute__((aligned(8)));
struct f_td { char c; f_aint x; };
struct f_ms { char c; int x; } __attribute__((aligned(2)));
struct f_vla_ptr { int n; int (*rows)[4]; };
struct f_complex { char c; _Complex double z; };
struct f_enum_neg { enum { N1 = -1, N2 = 0x7fffffff } e; char c; };
struct f_ull_bits { unsigned long long a:1, b:63; };
struct f_uchar_pack { unsigned char a:4; unsigned char b:4; unsigned char c:4; };
typedef struct { char c; long l; } f_td_biggest __attribute__((aligned));
typedef struct { char c; } f_td_raised __attribute__((aligned(8)));
typedef struct { long long l; } f_td_lowered __attribute__((aligned(2)));
`;

/**
 * Text that translation phases 1 and 2 change before tokens are formed: names and operators split by line splices,
 * comment delimiters split by one, a function-like macro whose `(` follows a splice, UCNs in member names, and
 * digraphs (`<%`, `<:`, `%:define`, `%:%:`).
 */
const SPLICED = `#include <linux/types.h>
struct s_spliced { __u\\
32 a; __u64 b\\
c; ch\\
ar d; };
#define TWICE\\
(x) ((x) * 2)
struct s_macro { char c[TWICE(3)]; short s; };
struct s_comment { char a; /* closed *\\
/ long b; };
/\\
* opened across a splice: struct s_hidden { int x; }; *\\
/
struct s_shift { char a[1 <\\
< 3]; int i; };
struct s_ucn { char \\u00e9; long \\u03bb_x; int w\\u00e9:3; };
%:define DIGRAPH_SIZE(n) (n %:%: 0)
struct s_digraph <% char c<:DIGRAPH_SIZE(1):>; int i; %>;
`;

/** sizeof of string literals (prefixes, escapes, UTF-8, joined pieces) and of `#` stringizing, spelling kept. */
const STRINGS = `#define S(x) #x
struct t1 { char a[sizeof("abc")]; char b[sizeof("a" "bc" "")]; };
struct t2 { char a[sizeof(L"ab")]; char b[sizeof(u"ab")]; char c[sizeof(U"ab")]; char d[sizeof(u8"ab")]; };
struct t3 { char a[sizeof("é\\x41\\101\\n\\\\\\"")]; char b[sizeof(u"\\U0001F600x")]; char c[sizeof("\\U0001F600")]; char d[sizeof(L"a" "bc")]; };
struct t4 { char a[sizeof(S(a + b))]; char b[sizeof(S("q"))]; char c[sizeof("\\u00e9\\xff\\0")]; };
struct t5 { char a[sizeof("ab\\
cd")]; int x; };
struct t6 { char a[sizeof(S(<: %> %:%:))]; char b[sizeof(S(\\u00e9 x))]; char c[sizeof(S(a\\
b c))]; };
`;

/** 250 random records of seed 1, as scripts/random-records.mjs writes them (a failed run shows here, not as a mismatch). */
const randomRun = spawnSync(process.execPath, [join(repoRoot, 'scripts/random-records.mjs'), '--seed', '1', '--count', '250'], { encoding: 'utf8' });
assert.equal(randomRun.status, 0, randomRun.stderr);
const RANDOM = randomRun.stdout;

describe('agreement with gcc', { skip: gccMultilibMissing() }, () => {
  /** Writes `text` as a header, runs the harness on it, and checks that all `records` agree on every target. */
  function agreesOn(name: string, text: string, records: number): void {
    const header = join(mkdtempSync(join(tmpdir(), `sysarg-${name}-`)), `${name}.h`);
    writeFileSync(header, text);
    const summary = runHarness([header]);
    for (const [target, t] of Object.entries(summary.targets)) {
      assert.equal(t.rejectedHeaders.length, 0, `${target}: ${JSON.stringify(t.rejectedHeaders)}`);
      assert.equal(t.records, records, `${target}: records compared`);
      assert.deepEqual(t.mismatches, [], target);
      assert.deepEqual(t.uncompilable, [], target);
    }
    assert.deepEqual(summary.missingRecords, []);
  }

  it('agrees on tricky layouts: bit-fields, packing, alignment, unions, enums, flexible arrays, UTF-8 names', () => {
    agreesOn('tricky', TRICKY, 16);
  });

  it('agrees on more of C: _Alignas, aligned without a value, packed enums, long double, _Complex, unnamed bit-fields, aligned typedefs of untagged records', () => {
    agreesOn('more', MORE, 24);
  });

  it('agrees on text that line splices, universal character names and digraphs spell', () => {
    agreesOn('spliced', SPLICED, 6);
  });

  it('agrees on sizeof of string literals and of stringized arguments (digraphs and UCNs keep their spelling)', () => {
    agreesOn('strings', STRINGS, 6);
  });

  it('agrees on 250 random records (scripts/random-records.mjs, seed 1): bit-fields, packing, #pragma pack, alignment, nesting, vectors, flexible arrays', () => {
    agreesOn('random', RANDOM, 250);
  });

  it('notices a wrong layout (the harness itself can fail)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sysarg-control-'));
    const header = join(dir, 'control.h');
    writeFileSync(header, '#include <linux/types.h>\nstruct c { __u32 a; __u64 b; };\n');
    const summary = runHarness(['--targets', 'i386', '--pretend', 'i386=-m64', header]);
    assert.equal(summary.targets.i386.agreeingRecords, 0);
    assert.equal(summary.targets.i386.mismatches.length, 1);
  });

  it('agrees with gcc on every record of every header in /usr/include/linux, on -m64, -m32 and -mx32', { skip: existsSync('/usr/include/linux/sched.h') ? false : 'linux-libc-dev is not installed' }, () => {
    const summary = runHarness([]);
    assert.ok(summary.headers > 500, `only ${summary.headers} headers`);
    for (const [target, t] of Object.entries(summary.targets)) {
      assert.ok(t.records > 2000, `${target}: only ${t.records} records compared`);
      assert.equal(t.agreeingRecords, t.records, `${target}: ${JSON.stringify(t.mismatches.slice(0, 5))}`);
      assert.deepEqual(t.errors, [], target);
      assert.deepEqual(t.uncompilable, [], target);
      for (const rejected of t.rejectedHeaders) assert.match(rejected.gcc, /error/, 'a rejected header is listed with gcc\'s error');
    }
    assert.deepEqual(summary.missingRecords, [], 'records gcc sees that sysarg does not report');
  });
});

describe('agreement with the cross compilers (aarch64, arm, riscv64)', () => {
  for (const [target, triple] of Object.entries(CROSS)) {
    const uapi = `/usr/${triple}/include/linux`;
    it(`agrees with ${triple}-gcc on 250 random records and on every record of its own UAPI headers, asm/ included`, { skip: crossMissing(triple) || (existsSync(`${uapi}/sched.h`) ? false : `${uapi} is missing`) }, () => {
      const header = join(mkdtempSync(join(tmpdir(), `sysarg-random-${target}-`)), 'random.h');
      writeFileSync(header, RANDOM);
      // asm/ differs between targets: sysarg must read the cross compiler's, as the compiler does.
      const headers = spawnSync('find', [uapi, `/usr/${triple}/include/asm`, '-name', '*.h'], { encoding: 'utf8' }).stdout.trim().split('\n').sort();
      const summary = runHarness(['--targets', target, header, ...headers]);
      const t = summary.targets[target];
      assert.ok(t.records > 2500, `only ${t.records} records compared`);
      assert.equal(t.agreeingRecords, t.records, JSON.stringify(t.mismatches.slice(0, 5)));
      assert.deepEqual(t.errors, []);
      assert.deepEqual(t.uncompilable, []);
      assert.ok(!t.rejectedHeaders.some((r) => r.header === header), 'the random header compiles');
      assert.deepEqual(summary.missingRecords, []);
    });
  }
});
