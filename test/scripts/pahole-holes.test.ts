// The text view's holes against pahole (scripts/pahole-holes.mjs): gcc -g writes the records' DWARF, pahole reads it
// back, and the holes between each record's top-level members must be where Sysarg shows them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../helpers/paths';

const script = join(repoRoot, 'scripts', 'pahole-holes.mjs');
const cli = join(repoRoot, 'dist', 'cli.js');
const missing = ['gcc', 'pahole'].find((tool) => spawnSync(tool, ['--version']).error);
const skip = missing ? `${missing} is not installed (Debian: ${missing === 'pahole' ? 'dwarves' : 'gcc'})` : false;
const noMultilib = skip || (spawnSync('gcc', ['-m32', '-idirafter', '/usr/include/x86_64-linux-gnu', '-fsyntax-only', '-x', 'c', '-'], { input: '#include <linux/types.h>\n' }).status === 0 ? false : 'gcc -m32 cannot compile a UAPI header (Debian: gcc-12-multilib, libc6-dev-i386)');

const dir = mkdtempSync(join(tmpdir(), 'sysarg-pahole-'));
const fixture = join(dir, 'holes.h');
writeFileSync(
  fixture,
  `typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;
struct named { struct { char p; } in; int z; };
struct anon { struct { char p; char q; }; int z; };
struct deep { union { struct { char a; } i2; } i1; int z; };
struct inner { struct { struct { char a; } i2; int k; } i1; };
struct perm { int a[6]; unsigned short seq; };
struct padded { struct perm p; void *x; };
struct flex { __u32 n; __u64 arr[]; };
struct explicit_pad { __u8 type; __u32 :24; __u32 len; };
struct unit { __u16 id; __u32 flag:1; __u64 count; };
struct plain { char c; long l; short s; };
struct unnamed_then_hole { __u8 a; __u32 :8; __u32 b; };
struct unnamed_first { __u32 :8; __u32 b; };
`,
);

/** A sysarg whose text view has lost the comment lines `lost` matches: what the harness must catch. */
function fakeCli(name: string, lost: string): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    `#!/usr/bin/env node
import { spawnSync } from 'node:child_process';
const run = spawnSync(process.execPath, [${JSON.stringify(cli)}, ...process.argv.slice(2)], { encoding: 'utf8', maxBuffer: 1 << 28 });
process.stdout.write(process.argv.includes('--json') ? run.stdout : run.stdout.replace(/^\\t*\\/\\* ${lost}.*\\n/gm, ''));
process.exit(run.status ?? 1);
`,
    { mode: 0o755 },
  );
  return path;
}
const holeless = fakeCli('holeless-sysarg.mjs', 'XXX ');
const paddingless = fakeCli('paddingless-sysarg.mjs', '\\d+ bytes? padding: unnamed');

function harness(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', cwd: repoRoot, timeout: 300_000 });
}

describe('scripts/pahole-holes.mjs', () => {
  it('finds every hole where pahole does, nested records, flexible arrays and bit-fields included', { skip }, () => {
    const run = harness('--verbose', fixture);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^12 records compared with pahole over 1 headers on x86_64: 8 show the same holes, 4 differ as intended \(explicit padding, bit-field units\), 0 differ otherwise or are missing$/m);
    assert.match(run.stdout, /as intended: .*"struct explicit_pad","why":\["explicit padding: unnamed bit-fields"\]/);
    assert.match(run.stdout, /as intended: .*"struct unit","why":\["the rest of a bit-field storage unit \(pahole: bits hole\)"\]/);
    for (const name of ['unnamed_then_hole', 'unnamed_first']) assert.match(run.stdout, new RegExp(`as intended: .*"struct ${name}","why":\\["explicit padding: unnamed bit-fields"\\]`), 'explicit padding and a hole make up the hole pahole shows');
  });

  it('finds them where pahole does on i386 too (gcc -m32), where pointers and longs shrink and 8-byte fields align to 4', { skip: noMultilib }, () => {
    const run = harness('--target', 'i386', fixture, '/usr/include/linux/netfilter/xt_rateest.h');
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^13 records compared with pahole over 2 headers on i386: 9 show the same holes, 4 differ as intended .*, 0 differ otherwise or are missing$/m);
  });

  it('agrees on real UAPI headers whose holes follow nested records, flexible arrays and explicit padding', { skip: skip || (existsSync('/usr/include/linux/msg.h') ? false : 'linux-libc-dev is not installed') }, () => {
    const headers = ['msg.h', 'ax25.h', 'netfilter_ipv4/ip_tables.h', 'timex.h', 'ppp-ioctl.h', 'sched.h'].map((h) => join('/usr/include/linux', h));
    const run = harness(...headers);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    const summary = /^(\d+) records compared with pahole over 6 headers on x86_64: (\d+) show the same holes, (\d+) differ as intended .*, 0 differ otherwise or are missing$/m.exec(run.stdout);
    assert.ok(summary, run.stdout);
    assert.ok(Number(summary[1]) >= 20 && Number(summary[2]) >= 18, run.stdout);
  });

  it('reports a text view that does not show the holes pahole finds, and fails', { skip }, () => {
    const run = harness('--cli', holeless, fixture);
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /"record":"struct padded","sysarg":\[\],"pahole":\[\["p",4\]\]/);
    assert.match(run.stdout, /, [1-9]\d* differ otherwise or are missing$/m);
  });

  it('reports a text view that does not show explicit padding where pahole has a hole, and fails', { skip }, () => {
    const run = harness('--cli', paddingless, fixture);
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /"record":"struct explicit_pad","sysarg":\[\],"pahole":\[\["type",3\]\]/);
    assert.match(run.stdout, /"record":"struct unnamed_first","sysarg":\[\[null,3\]\],"pahole":\[\[null,4\]\]/);
    assert.match(run.stdout, /, 3 differ otherwise or are missing$/m);
  });

  it('says in one line which tool it lacks, and exits 2', () => {
    const run = spawnSync(process.execPath, [script, fixture], { encoding: 'utf8', cwd: repoRoot, env: { ...process.env, PATH: '/nonexistent' } });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^pahole-holes: gcc not found \(Debian: apt-get install gcc\)\n$/);
  });
});
