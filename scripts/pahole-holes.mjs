#!/usr/bin/env node
// Checks where the text view of `sysarg layout` shows each record's holes against pahole, which reads the same records
// from the DWARF gcc -g writes: for every tagged struct and union the JSON reports in a header, the holes between its
// top-level members (the member each follows, and its size) must be those pahole prints. Two differences are Sysarg's
// on purpose and are counted apart: bytes filled by unnamed bit-fields (`__u32 :24;`, the kernel's explicit padding)
// are no hole to Sysarg, while DWARF has no trace of them; and Sysarg counts a hole after a bit-field's last byte
// where pahole counts the rest of its storage unit as a "bits hole".
//
// usage: node scripts/pahole-holes.mjs [--verbose] [--target T] [--cli PATH] [HEADER...]
//   default headers: every *.h under /usr/include/linux; --target x86_64 (default), i386 or x32 (gcc -m64, -m32,
//   -mx32: the latter two need gcc-12-multilib); --cli: the sysarg to check (default dist/cli.js)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { filesUnder } from './files-under.mjs';
import { includeLine } from './include-line.mjs';

const repo = resolve(new URL('..', import.meta.url).pathname);
let cli = join(repo, 'dist', 'cli.js');
/**
 * gcc's flag per target. -m32 and -mx32 search only /usr/include, where Debian's gcc-multilib would link the bi-arch
 * asm/ of x86_64-linux-gnu; search it last, as scripts/gcc-agreement.mjs does.
 */
const GCC_FLAGS = { x86_64: ['-m64'], i386: ['-m32', '-idirafter', '/usr/include/x86_64-linux-gnu'], x32: ['-mx32', '-idirafter', '/usr/include/x86_64-linux-gnu'] };

/**
 * The member a declaration line declares: `int (*fn)(void);` → fn, `__u8 name[16];` → name, `} in;` → in,
 * `struct x *p __attribute__((__aligned__(8)));` → p.
 */
export function declaredName(line) {
  const text = line.replace(/\/\*.*?\*\//g, '').replace(/__attribute__\s*\(\(.*\)\)/g, '').trim().replace(/;$/, '').trim();
  const pointer = /\(\s*\*+\s*(\w+)\s*\)/.exec(text);
  if (pointer) return pointer[1];
  const bare = text.replace(/:\s*\d+$/, '').replace(/(\s*\[[^\]]*\])+$/, '').trim();
  if (bare === '}' || bare.endsWith('{')) return '(anonymous)';
  return /(\w+)$/.exec(bare)?.[1] ?? '(anonymous)';
}

/**
 * Each record's top-level holes (`[member before it, size]`) from pahole-style text, with the members a bit hole
 * follows (pahole) and the explicit padding shown after members (Sysarg): a block opens at `struct NAME {` or
 * `union NAME {` in the first column and closes at a `}` there; members one tab in are the record's own.
 */
export function holesOfText(text, opening) {
  const out = new Map();
  let name;
  let record;
  let last = null;
  for (const line of text.split('\n')) {
    const open = opening.exec(line);
    if (open) {
      name = `${open[1]} ${open[2]}`;
      record = { holes: [], bitHolesAfter: [], explicit: [] };
      last = null;
      continue;
    }
    if (!record) continue;
    if (line.startsWith('}')) {
      out.set(name, record);
      record = undefined;
      continue;
    }
    if (!line.startsWith('\t') || line.startsWith('\t\t')) continue;
    const body = line.slice(1).trimStart();
    const hole = /^\/\* XXX (\d+) bytes? hole/.exec(body);
    const explicit = /^\/\* (\d+) bytes? padding: unnamed bit-fields/.exec(body);
    if (/^\/\* XXX \d+ bits? hole/.test(body)) record.bitHolesAfter.push(last);
    if (hole) record.holes.push([last, Number(hole[1])]);
    else if (explicit) record.explicit.push([last, Number(explicit[1])]);
    else if (!body.startsWith('/*') && body.trim() !== '') last = body.endsWith('{') ? last : declaredName(body);
  }
  return out;
}

/** The comparison for one header: records compared, differences, or why it was not compared. */
export function compareHeader(header, work, target = 'x86_64') {
  const json = JSON.parse(execFileSync(cli, ['layout', '--json', '--target', target, header], { encoding: 'utf8', maxBuffer: 1 << 28 }));
  const records = json.records.filter((r) => !r.typedef && r.layouts[target]);
  if (records.length === 0) return { header, compared: 0, differences: [] };
  const source = join(work, 'records.c');
  const object = join(work, 'records.o');
  writeFileSync(source, `${includeLine(header)}\n${records.map((r, i) => `${r.kind} ${r.name} sysarg_v${i};`).join('\n')}\n`);
  const gcc = spawnSync('gcc', [...GCC_FLAGS[target], '-g', '-c', '-o', object, source], { encoding: 'utf8' });
  if (gcc.status !== 0) {
    const lines = gcc.stderr.split('\n');
    return { header, compared: 0, differences: [], rejected: lines.find((l) => l.includes('error:')) ?? lines[0] };
  }
  const pahole = spawnSync('pahole', [object], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const theirs = holesOfText(pahole.stdout, /^(struct|union) (\w+) \{$/);
  const ours = holesOfText(execFileSync(cli, ['layout', '--target', target, header], { encoding: 'utf8', maxBuffer: 1 << 28 }), /^(struct|union) (\w+) \{ \/\*/);
  const differences = [];
  const explained = [];
  let compared = 0;
  for (const r of records) {
    const key = `${r.kind} ${r.name}`;
    const a = ours.get(key);
    const b = theirs.get(key);
    if (!a || !b) {
      differences.push({ record: key, why: !a ? 'not in the text view' : 'not in pahole' });
      continue;
    }
    compared++;
    if (JSON.stringify(a.holes) === JSON.stringify(b.holes)) continue;
    const reasons = unexplained(a, b);
    if (reasons.every((why) => why !== undefined)) explained.push({ record: key, why: [...new Set(reasons)] });
    else differences.push({ record: key, sysarg: a.holes, pahole: b.holes });
  }
  return { header, compared, differences, explained };
}

/** Why each hole only one side shows is as intended (undefined: no reason found, a real difference). */
function unexplained(ours, theirs) {
  const key = ([after, size]) => `${after}/${size}`;
  const theirKeys = theirs.holes.map(key);
  const ourKeys = ours.holes.map(key);
  const onlyOurs = ours.holes.filter((h) => !theirKeys.includes(key(h)));
  const onlyTheirs = theirs.holes.filter((h) => !ourKeys.includes(key(h)));
  const reasons = [];
  // Bytes the author filled with unnamed bit-fields are no member in DWARF, so pahole counts them into the hole after
  // the member before: the text view shows them as explicit padding there, and the rest (if any) as a hole.
  const explicitAfter = new Set();
  const remaining = onlyTheirs.filter(([after, size]) => {
    const filled = ours.explicit.filter(([a]) => a === after).reduce((n, [, s]) => n + s, 0);
    const rest = onlyOurs.filter(([a]) => a === after).reduce((n, [, s]) => n + s, 0);
    if (filled === 0 || filled + rest !== size) return true;
    explicitAfter.add(after);
    reasons.push('explicit padding: unnamed bit-fields');
    return false;
  });
  // After a bit-field, pahole counts the rest of its storage unit as a bits hole and the bytes hole (if any) from the
  // unit's end: the same hole, shorter by the unit's unused bytes.
  const paired = new Set();
  for (const [after, size] of onlyOurs.filter(([a]) => !explicitAfter.has(a))) {
    if (!theirs.bitHolesAfter.includes(after)) {
      reasons.push(undefined);
      continue;
    }
    const same = remaining.findIndex(([a, s], k) => a === after && s < size && !paired.has(k));
    if (same >= 0) paired.add(same);
    reasons.push('the rest of a bit-field storage unit (pahole: bits hole)');
  }
  remaining.forEach((_, k) => paired.has(k) || reasons.push(undefined));
  return reasons;
}

function main() {
  const args = process.argv.slice(2);
  const verbose = args.includes('--verbose');
  const valued = new Set();
  const option = (name) => {
    const at = args.indexOf(name);
    if (at < 0) return undefined;
    valued.add(at).add(at + 1);
    return args[at + 1] ?? '';
  };
  if (args.includes('--cli')) cli = resolve(option('--cli'));
  const target = option('--target') ?? 'x86_64';
  if (!GCC_FLAGS[target]) {
    console.error(`pahole-holes: --target must be one of ${Object.keys(GCC_FLAGS).join(', ')}`);
    process.exit(2);
  }
  const named = args.filter((a, i) => a !== '--verbose' && !valued.has(i));
  for (const tool of ['gcc', 'pahole']) {
    if (spawnSync(tool, ['--version']).error) {
      console.error(`pahole-holes: ${tool} not found (Debian: apt-get install ${tool === 'pahole' ? 'dwarves' : 'gcc'})`);
      process.exit(2);
    }
  }
  const headers = named.length > 0 ? named.map((h) => resolve(h)) : filesUnder('/usr/include/linux', '.h');
  const work = mkdtempSync(join(tmpdir(), 'sysarg-pahole-'));
  let compared = 0;
  const rejected = [];
  const differing = [];
  const explained = [];
  try {
    for (const header of headers) {
      const result = compareHeader(header, work, target);
      compared += result.compared;
      if (result.rejected) rejected.push(`${header}: ${result.rejected}`);
      for (const d of result.differences) differing.push({ header, ...d });
      for (const e of result.explained ?? []) explained.push({ header, ...e });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  for (const d of verbose ? differing : differing.slice(0, 20)) console.log(JSON.stringify(d));
  if (verbose) for (const e of explained) console.log(`as intended: ${JSON.stringify(e)}`);
  if (rejected.length > 0) console.log(`gcc rejects ${rejected.length} headers${verbose ? ':\n  ' + rejected.join('\n  ') : ''}`);
  const agree = compared - explained.length - differing.filter((d) => d.sysarg).length;
  console.log(`${compared} records compared with pahole over ${headers.length} headers on ${target}: ${agree} show the same holes, ${explained.length} differ as intended (explicit padding, bit-field units), ${differing.length} differ otherwise or are missing`);
  process.exit(differing.length > 0 ? 1 : 0);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) main();
