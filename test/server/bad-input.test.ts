// Hostile and broken files: each gets a clear diagnostic in bounded time and the server keeps serving other files.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestClient } from '../helpers/lsp-client';

function doublingMacros(levels: number): string {
  const lines = ['#define A0 x'];
  for (let i = 1; i <= levels; i++) lines.push(`#define A${i} A${i - 1} A${i - 1}`);
  return lines.join('\n') + `\nint v = A${levels};\nstruct after { int ok; };\n`;
}

describe('bad input to the language server', () => {
  let client: TestClient;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sysarg-bad-'));
    client = await startServer({ settings: { targets: ['x86_64'] } });
  });
  after(async () => client?.stop());

  /** After each bad file, a healthy one must still get its hover. */
  async function stillServing(): Promise<void> {
    const uri = client.open(join(dir, `healthy-${Math.random()}.h`), 'struct ok { char c; int i; };\n');
    assert.match((await client.hover(uri, 0, 8)) ?? '', /\| x86_64 \| 8 \| 4 \|/);
  }

  const cases: [string, () => string, RegExp][] = [
    ['a 20 MB file', () => 'struct big { int a; };\n'.repeat(Math.ceil((20 * 1024 * 1024) / 23)), /20\.0 MB.*up to 8 MB/],
    ['a binary file', () => 'ELF\u0000\u0001\u0002\u0000'.repeat(100), /binary file/],
    ['invalid UTF-8', () => 'struct u { int a; };\n\uFFFD\uFFFD bad bytes\n', /invalid UTF-8/],
    ['an unterminated comment', () => 'struct c { int a; };\n/* never closed\nstruct d { int b; };\n', /unterminated comment/],
    ['a self-referencing macro', () => '#define foo foo + 1\nstruct s { int a[foo]; };\n', /'foo' is not a constant/],
    ['a macro doubling 60 times', () => doublingMacros(60), /exceeds \d+ tokens/],
    ['a function-like macro doubling 60 times', () => `#define D(x) x x\nint v = ${'D('.repeat(60)}1${')'.repeat(60)};\nstruct after { int ok; };\n`, /exceeds \d+ tokens/],
    // Each level of these was a call in a recursive parser or evaluator: the stack overflowed and the request failed.
    ['records nested 5,000 deep', () => `${'struct n {'.repeat(5000)}\n`, /nesting deeper than 256 levels/],
    ['an #if nested 5,000 deep', () => `#if ${'('.repeat(5000)}1${')'.repeat(5000)}\n#endif\n`, /#if expression nested deeper than 256 levels/],
    ['macro calls nested 3,000 deep in arguments', () => `#define P(x) (x)\nint a[${'P('.repeat(3000)}1${')'.repeat(3000)}];\n`, /macro arguments nested deeper than 256 levels/],
    ['300 structs each holding the one before', () => ['struct a0 { int x; };', ...Array.from({ length: 300 }, (_, i) => `struct a${i + 1} { struct a${i} m; };`)].join('\n'), /struct a257 nests records more than 256 levels deep/],
    ['structs that double 40 times', () => ['struct b0 { char c; int i; };', ...Array.from({ length: 40 }, (_, k) => `struct b${k + 1} { struct b${k} x, y; };`)].join('\n'), /struct b13 has more than 16384 members/],
  ];
  for (const [name, make, expected] of cases) {
    it(`gives ${name} a clear diagnostic and keeps serving`, async () => {
      const uri = client.open(join(dir, `${name.replace(/\W+/g, '-')}.h`), make());
      const diagnostics = await client.diagnostics(uri, 60_000);
      assert.ok(diagnostics.some((d) => expected.test(d.message)), diagnostics.map((d) => d.message).join(' | '));
      await stillServing();
    });
  }

  // Found by scripts/fuzz-front-end.mjs: the outline followed a member's record type into itself, without end.
  for (const [name, text] of [
    ['a struct that contains itself', 'struct a { struct a x; };\n'],
    ['a struct a macro defines, containing itself through an inner one', '#define M struct a { struct { struct a y; } x; }\nM;\n'],
  ]) {
    it(`lists the symbols of ${name} and reports it`, async () => {
      const uri = client.open(join(dir, `${name.replace(/\W+/g, '-')}.h`), text);
      const diagnostics = await client.diagnostics(uri, 60_000);
      assert.ok(diagnostics.some((d) => /struct a contains itself/.test(d.message)), diagnostics.map((d) => d.message).join(' | '));
      const symbols = await client.request<{ name: string; children?: { name: string; children?: unknown[] }[] }[]>('textDocument/documentSymbol', { textDocument: { uri } });
      assert.equal(symbols[0]?.name, 'struct a');
      assert.equal(symbols[0].children?.[0]?.name, 'x');
      await stillServing();
    });
  }

  it('reports an include cycle without hanging', async () => {
    writeFileSync(join(dir, 'cycle-a.h'), '#include "cycle-b.h"\nstruct in_a { int a; };\n');
    writeFileSync(join(dir, 'cycle-b.h'), '#include "cycle-a.h"\nstruct in_b { int b; };\n');
    const path = join(dir, 'cycle-a.h');
    const uri = client.open(path, '#include "cycle-b.h"\nstruct in_a { int a; };\n');
    const diagnostics = await client.diagnostics(uri, 60_000);
    assert.ok(diagnostics.some((d) => /nested 200 levels deep/.test(d.message)), diagnostics.map((d) => d.message).join(' | '));
    await stillServing();
  });

  // Patch documents are read by their own code: broken mails get a warning or nothing, never a dead server.
  const patches: [string, () => string, RegExp | null][] = [
    ['a truncated hunk', () => '--- a/t.h\n+++ b/t.h\n@@ -1,9 +1,10 @@\n struct t {\n+\tint b;\n', /hunk ends early/],
    ['a hunk that does not apply', () => '--- a/t.h\n+++ b/t.h\n@@ -1,2 +1,2 @@\n-struct nowhere {\n+struct somewhere {\n };\n', /does not apply/],
    ['a path out of the tree', () => '--- a/../../etc/t.h\n+++ b/../../etc/t.h\n@@ -1 +1 @@\n-a\n+b\n', /outside the tree/],
    ['a binary mail', () => 'From x\u0000\u0001\u0002'.repeat(1000), null],
    ['a 20 MB diff of 400,000 hunks', () => '--- a/t.h\n+++ b/t.h\n' + '@@ -1 +1 @@\n-int x;\n+int y;\n'.repeat(400_000), /399000 more problems in this patch are not shown/],
  ];
  for (const [name, make, expected] of patches) {
    it(`gives a patch with ${name} ${expected ? 'a warning' : 'nothing'} and keeps serving`, async () => {
      writeFileSync(join(dir, 't.h'), 'struct t {\n\tint a;\n};\n');
      const uri = client.open(join(dir, `${name.replace(/\W+/g, '-')}.patch`), make(), 'diff');
      const diagnostics = await client.diagnostics(uri, 60_000);
      if (expected) assert.ok(diagnostics.some((d) => expected.test(d.message)), diagnostics.map((d) => d.message).join(' | ').slice(0, 500));
      else assert.deepEqual(diagnostics, []);
      await stillServing();
    });
  }
});
