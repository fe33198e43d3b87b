#!/usr/bin/env node
// Checks `sysarg layout` against gcc: for every record it reports in the given headers, compiles sizeof/__alignof__/
// offsetof and bit-field placements with gcc -m64/-m32/-mx32 (read back from the assembler data) and compares. The
// other targets are compiled by Debian's cross compilers (gcc-aarch64-linux-gnu, gcc-arm-linux-gnueabihf,
// gcc-riscv64-linux-gnu): only assembly is made, so nothing runs on a foreign CPU.
//
// usage: node scripts/gcc-agreement.mjs [--json OUT] [--limit N] [--targets x86_64,i386,x32] [--pretend T=FLAG]
//                                      [--kernel-tree DIR] [HEADER...]
//   default headers: every *.h under /usr/include/linux (Debian linux-libc-dev)
//   --kernel-tree DIR: the headers are a Linux source tree's UAPI headers; gcc gets the -I directories the kernel's
//   build gives them (arch/ARCH/include/uapi, include/uapi) and what scripts/headers_install.sh does to their text
//   (-D for the annotations it deletes, empty linux/compiler.h and compiler_types.h for the includes it deletes);
//   sysarg is given nothing and has to find the tree itself (core/c/kernel-tree.ts)
//   --targets aarch64,arm,riscv64 uses the cross compilers (sysarg reads their headers too, as it does for any such
//   target where they are installed)
//   --pretend i386=-m64 compiles target i386's checks with -m64: a self-test that the harness does report mismatches.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { filesUnder } from './files-under.mjs';
import { includeLine } from './include-line.mjs';

const repo = resolve(new URL('..', import.meta.url).pathname);
const GCC_FLAGS = { x86_64: '-m64', i386: '-m32', x32: '-mx32' };
/** The kernel's arch/ directory per target (SRCARCH). */
const KERNEL_ARCH = { x86_64: 'x86', i386: 'x86', x32: 'x86', aarch64: 'arm64', arm: 'arm', riscv64: 'riscv' };
let kernelTree;
/** A directory of empty linux/compiler.h and linux/compiler_types.h, made for --kernel-tree. */
let deletedIncludes;
/** scripts/headers_install.sh: `s/(__user|__force|__iomem)//`, `s/__attribute_const__//`, __packed spelt out. */
const HEADERS_INSTALL_DEFINES = ['__user=', '__force=', '__iomem=', '__attribute_const__=', '__packed=__attribute__((packed))'];

/** The kernel build's USERINCLUDE for `target` in --kernel-tree's tree (the directories that exist), as installed. */
function kernelTreeFlags(target) {
  if (!kernelTree) return [];
  const arch = join(kernelTree, 'arch', KERNEL_ARCH[target]);
  const dirs = [join(arch, 'include/uapi'), join(arch, 'include/generated/uapi'), join(kernelTree, 'include/uapi'), join(kernelTree, 'include/generated/uapi')];
  return [...dirs.filter((d) => existsSync(d)), deletedIncludes].flatMap((d) => ['-I', d]).concat(HEADERS_INSTALL_DEFINES.map((d) => `-D${d}`));
}
/** The compiler for each target: gcc with its flag for the x86 family, a cross compiler for the others. */
const CROSS_COMPILERS = { aarch64: 'aarch64-linux-gnu-gcc', arm: 'arm-linux-gnueabihf-gcc', riscv64: 'riscv64-linux-gnu-gcc' };

function compilerFor(target) {
  if (CROSS_COMPILERS[target]) return { cc: CROSS_COMPILERS[target], flags: kernelTreeFlags(target) };
  // -m32 and -mx32 search only /usr/include, where Debian's gcc-multilib puts links to the bi-arch asm/, bits/,
  // sys/ and gnu/ of x86_64-linux-gnu; gcc-multilib conflicts with the cross compilers, so search them last here.
  const biarch = target === 'i386' || target === 'x32' ? ['-idirafter', '/usr/include/x86_64-linux-gnu'] : [];
  return { cc: 'gcc', flags: [...kernelTreeFlags(target), ...(GCC_FLAGS[target] ? [GCC_FLAGS[target], ...biarch] : [])] };
}

function parseCli(argv) {
  const opts = { json: undefined, limit: Infinity, targets: Object.keys(GCC_FLAGS), headers: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') opts.json = argv[++i];
    else if (a === '--limit') opts.limit = Number(argv[++i]);
    else if (a === '--targets') opts.targets = argv[++i].split(',');
    else if (a === '--kernel-tree') kernelTree = resolve(argv[++i]);
    else if (a === '--pretend') {
      const [target, flag] = argv[++i].split('=');
      GCC_FLAGS[target] = flag;
    }
    else opts.headers.push(a);
  }
  return opts;
}

function run(cmd, args, input) {
  return new Promise((resolvePromise) => {
    const child = execFile(cmd, args, { maxBuffer: 64 * 1024 * 1024, timeout: 120_000 }, (error, stdout, stderr) => {
      resolvePromise({ ok: !error, stdout, stderr });
    });
    if (input !== undefined) child.stdin.end(input);
  });
}

async function pool(items, worker, concurrency = Math.max(1, availableParallelism())) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await worker(items[i], i);
      }
    }),
  );
  return results;
}

function typeName(record) {
  return record.typedef ? record.name : `${record.kind} ${record.name}`;
}

/** The C checks for one header: a line per value, so a gcc error names the check that failed. */
function checkSource(header, records) {
  const lines = [includeLine(header), '#include <stddef.h>', 'const unsigned long long sysarg_v[] = {'];
  const entries = [];
  const bitfields = [];
  records.forEach((record, r) => {
    const t = typeName(record);
    const push = (expr, what) => {
      entries.push({ record: r, what });
      lines.push(`  ${expr}, /* ${entries.length - 1} */`);
    };
    push(`sizeof(${t})`, { kind: 'size' });
    push(`__alignof__(${t})`, { kind: 'align' });
    for (const f of record.ours.fields) {
      if (f.path === null) continue;
      if (f.bitWidth !== undefined) {
        bitfields.push({ record: r, field: f });
        continue;
      }
      push(`offsetof(${t}, ${f.path})`, { kind: 'offset', path: f.path });
      // sizeof a flexible array member is an error in gcc; zero-sized fields are compared by offset only.
      if (f.size > 0) push(`sizeof(((${t} *)0)->${f.path})`, { kind: 'fsize', path: f.path });
      push(`__alignof__(((${t} *)0)->${f.path})`, { kind: 'falign', path: f.path });
    }
  });
  lines.push('  0 };');
  bitfields.forEach((b, i) => {
    const t = typeName(records[b.record]);
    lines.push(`const union { ${t} s; unsigned char b[sizeof(${t})]; } sysarg_bf${i} = { .s.${b.field.path} = -1 };`);
  });
  return { source: lines.join('\n') + '\n', entries, bitfields, firstEntryLine: 4 };
}

/** Reads the data of `label` from gcc's assembly as bytes (little-endian). */
function assemblerData(asm, label) {
  const lines = asm.split('\n');
  const start = lines.findIndex((l) => l === `${label}:`);
  if (start < 0) return undefined;
  const bytes = [];
  // x86 gas, then the names the arm, aarch64 and riscv assemblers use (.word is 4 bytes there; x86 gcc never emits it).
  const sizes = { '.byte': 1, '.value': 2, '.short': 2, '.long': 4, '.quad': 8, '.hword': 2, '.half': 2, '.2byte': 2, '.word': 4, '.4byte': 4, '.xword': 8, '.dword': 8, '.8byte': 8 };
  for (let i = start + 1; i < lines.length; i++) {
    const m = /^\s+(\.\w+)\s+(.*)$/.exec(lines[i]);
    if (!m) break;
    const [, directive, arg] = m;
    if (directive in sizes) {
      const v = BigInt.asUintN(sizes[directive] * 8, BigInt(arg.trim()));
      for (let k = 0; k < sizes[directive]; k++) bytes.push(Number((v >> BigInt(8 * k)) & 0xffn));
    } else if (directive === '.zero' || directive === '.skip' || directive === '.space') {
      for (let k = 0; k < Number(arg); k++) bytes.push(0);
    } else if (directive === '.string' || directive === '.ascii') {
      const s = JSON.parse(arg.replace(/\\(\d{3})/g, (_, o) => `\\u${parseInt(o, 8).toString(16).padStart(4, '0')}`));
      for (const ch of s) bytes.push(ch.charCodeAt(0));
      if (directive === '.string') bytes.push(0);
    } else break;
  }
  return { bytes };
}

function setBits(bytes) {
  const bits = [];
  bytes.forEach((b, i) => {
    for (let k = 0; k < 8; k++) if (b & (1 << k)) bits.push(i * 8 + k);
  });
  return bits;
}

async function gccAccepts(header, target) {
  const { cc, flags } = compilerFor(target);
  const r = await run(cc, [...flags, '-fsyntax-only', '-w', '-x', 'c', '-'], includeLine(header) + '\n');
  return r.ok ? undefined : (r.stderr.split('\n').find((l) => l.includes('error')) ?? r.stderr.split('\n')[0]).trim();
}

async function checkHeader(header, records, target, work) {
  const { cc, flags } = compilerFor(target);
  const rejected = await gccAccepts(header, target);
  if (rejected) return { rejected };
  let active = records.map((_, i) => i);
  const uncompilable = [];
  for (let attempt = 0; attempt < 4 && active.length > 0; attempt++) {
    const subset = active.map((i) => records[i]);
    const { source, entries, bitfields, firstEntryLine } = checkSource(header, subset);
    const file = join(work, `${target}-${relative('/', header).replace(/[/.]/g, '_')}.c`);
    writeFileSync(file, source);
    const r = await run(cc, [...flags, '-S', '-O0', '-w', '-fno-asynchronous-unwind-tables', '-o', '-', file]);
    if (!r.ok) {
      // Drop the records whose checks gcc refused (the rest are still compared) and try again.
      const bad = new Set();
      for (const m of r.stderr.matchAll(/\.c:(\d+):\d+: error/g)) {
        const line = Number(m[1]);
        const entry = entries[line - firstEntryLine];
        if (entry) bad.add(entry.record);
        else {
          const bf = line - (firstEntryLine + entries.length + 1);
          if (bitfields[bf]) bad.add(bitfields[bf].record);
        }
      }
      if (bad.size === 0) return { error: r.stderr.split('\n').slice(0, 3).join(' ') };
      for (const b of bad) uncompilable.push({ record: subset[b].name, message: (r.stderr.match(/error: (.*)/) ?? [])[1] });
      active = active.filter((_, k) => !bad.has(k));
      continue;
    }
    const { bytes } = assemblerData(r.stdout, 'sysarg_v');
    const values = Array.from({ length: bytes.length >> 3 }, (_, k) => bytes.slice(k * 8, k * 8 + 8).reduceRight((acc, b) => acc * 256 + b, 0));
    const results = subset.map(() => ({ checks: 0, mismatches: [] }));
    entries.forEach((entry, k) => {
      const gccValue = values[k];
      const rec = subset[entry.record];
      const res = results[entry.record];
      let ours;
      if (entry.what.kind === 'size') ours = rec.ours.size;
      else if (entry.what.kind === 'align') ours = rec.ours.align;
      else {
        const f = rec.ours.fields.find((x) => x.path === entry.what.path);
        ours = entry.what.kind === 'offset' ? f.offset : entry.what.kind === 'fsize' ? f.size : f.align;
      }
      res.checks++;
      if (ours !== gccValue) res.mismatches.push({ what: entry.what.kind, path: entry.what.path, ours, gcc: gccValue });
    });
    bitfields.forEach((b, k) => {
      const bits = setBits(assemblerData(r.stdout, `sysarg_bf${k}`).bytes);
      const res = results[b.record];
      const f = b.field;
      res.checks++;
      const first = bits[0];
      const width = bits.length;
      // A bit-field of width 0 is never named; `= -1` on a 1-bit _Bool field sets exactly its bit.
      if (first !== f.bitOffset || width !== f.bitWidth) res.mismatches.push({ what: 'bitfield', path: f.path, ours: `${f.bitOffset}+${f.bitWidth}`, gcc: `${first}+${width}` });
    });
    return { results: results.map((res, k) => ({ name: subset[k].name, ...res })), uncompilable };
  }
  return { results: [], uncompilable };
}

/** Tagged records gcc's preprocessor (for `target`) shows in the header itself (to see whether sysarg misses any). */
async function gccTags(header, target) {
  const { cc, flags } = compilerFor(target);
  const r = await run(cc, [...flags, '-E', '-w', '-x', 'c', '-'], includeLine(header) + '\n');
  if (!r.ok) return undefined;
  let inHeader = false;
  const own = [];
  for (const line of r.stdout.split('\n')) {
    const marker = /^# \d+ "([^"]+)"/.exec(line);
    if (marker) {
      inHeader = resolve(marker[1]) === header;
      continue;
    }
    if (inHeader) own.push(line);
  }
  const text = own.join('\n');
  const tags = new Set();
  for (const m of text.matchAll(/\b(?:struct|union)\s+(?:__attribute__\s*\(\([^)]*\)\)\s*)?(\w+)\s*(?:__attribute__\s*\(\((?:[^()]|\([^()]*\))*\)\)\s*)?\{/g)) tags.add(m[1]);
  return tags;
}

async function main() {
  const opts = parseCli(process.argv.slice(2));
  if (kernelTree) {
    deletedIncludes = mkdtempSync(join(tmpdir(), 'sysarg-uapi-'));
    mkdirSync(join(deletedIncludes, 'linux'));
    for (const name of ['compiler.h', 'compiler_types.h']) writeFileSync(join(deletedIncludes, 'linux', name), '');
    process.on('exit', () => rmSync(deletedIncludes, { recursive: true, force: true }));
  }
  const headers = (opts.headers.length ? opts.headers.map((h) => resolve(h)) : filesUnder('/usr/include/linux', '.h')).slice(0, opts.limit);
  const started = Date.now();
  for (const target of opts.targets) {
    const { cc } = compilerFor(target);
    try {
      execFileSync(cc, ['-dumpfullversion'], { stdio: 'ignore' });
    } catch {
      throw new Error(`${cc} not found for target ${target}${CROSS_COMPILERS[target] ? ` (Debian: apt-get install gcc-${CROSS_COMPILERS[target].replace(/-gcc$/, '')})` : ''}`);
    }
  }
  const gccVersion = execFileSync('gcc', ['-dumpfullversion']).toString().trim();
  // Each target's system headers are sysarg's own choice: a cross target's are its cross compiler's, where installed.
  const layoutArgs = ['layout', '--json', ...opts.targets.flatMap((t) => ['--target', t]), ...headers];
  const ours = JSON.parse(execFileSync(process.execPath, [join(repo, 'dist/cli.js'), ...layoutArgs], { maxBuffer: 1024 * 1024 * 1024 }).toString());
  const byHeader = new Map(headers.map((h) => [h, []]));
  for (const rec of ours.records) byHeader.get(rec.file)?.push(rec);
  const work = mkdtempSync(join(tmpdir(), 'sysarg-gcc-'));
  const summary = { gcc: gccVersion, headers: headers.length, targets: {}, missingRecords: [], seconds: 0 };
  try {
    for (const target of opts.targets) {
      const jobs = headers.map((h) => ({ header: h, records: byHeader.get(h).filter((r) => r.layouts[target]).map((r) => ({ ...r, ours: r.layouts[target] })) }));
      const outcomes = await pool(jobs, (job) => checkHeader(job.header, job.records, target, work));
      const t = { records: 0, fields: 0, checks: 0, agreeingRecords: 0, mismatches: [], rejectedHeaders: [], uncompilable: [], errors: [], sysargMissingLayouts: 0 };
      outcomes.forEach((o, i) => {
        const header = jobs[i].header;
        if (o.rejected) return t.rejectedHeaders.push({ header, gcc: o.rejected });
        if (o.error) return t.errors.push({ header, error: o.error });
        for (const u of o.uncompilable) t.uncompilable.push({ header, ...u });
        for (const r of o.results) {
          t.records++;
          t.checks += r.checks;
          if (r.mismatches.length === 0) t.agreeingRecords++;
          else t.mismatches.push({ header, record: r.name, mismatches: r.mismatches.slice(0, 5) });
        }
        t.fields += jobs[i].records.reduce((n, r) => n + r.ours.fields.length, 0);
        t.sysargMissingLayouts += byHeader.get(header).filter((r) => !r.layouts[target]).length;
      });
      summary.targets[target] = t;
    }
    const tagSets = await pool(headers, (header) => gccTags(header, opts.targets[0]));
    headers.forEach((h, i) => {
      const tags = tagSets[i];
      if (!tags) return;
      const have = new Set(byHeader.get(h).map((r) => r.name));
      for (const tag of tags) if (!have.has(tag)) summary.missingRecords.push({ header: h, record: tag });
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  summary.seconds = Math.round((Date.now() - started) / 1000);
  if (opts.json) writeFileSync(opts.json, JSON.stringify(summary, null, 1));
  console.log(`gcc ${summary.gcc}; ${summary.headers} headers; ${summary.seconds} s`);
  for (const [target, t] of Object.entries(summary.targets)) {
    const pct = t.records ? ((100 * t.agreeingRecords) / t.records).toFixed(2) : '0';
    console.log(`${target}: ${t.agreeingRecords}/${t.records} records agree (${pct}%), ${t.checks} values compared; ` +
      `gcc rejects ${t.rejectedHeaders.length} headers; ${t.uncompilable.length} records gcc cannot evaluate; ${t.sysargMissingLayouts} records without a sysarg layout; ${t.errors.length} harness errors`);
    for (const m of t.mismatches.slice(0, 15)) console.log(`  MISMATCH ${relative('/usr/include', m.header)} ${m.record}: ${JSON.stringify(m.mismatches)}`);
    for (const u of t.uncompilable.slice(0, 5)) console.log(`  UNCOMPILABLE ${relative('/usr/include', u.header)} ${u.record}: ${u.message}`);
    for (const e of t.errors.slice(0, 5)) console.log(`  ERROR ${e.header}: ${e.error}`);
  }
  console.log(`records gcc's preprocessor shows that sysarg does not report: ${summary.missingRecords.length}`);
  for (const m of summary.missingRecords.slice(0, 10)) console.log(`  MISSING ${relative('/usr/include', m.header)} ${m.record}`);
}

main().catch((error) => {
  console.error(`gcc-agreement: ${error.message}`);
  process.exit(2);
});
