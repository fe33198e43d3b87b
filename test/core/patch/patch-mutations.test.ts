// Malformed patches (mutated real and made-up mails) end in files and problems, never an exception, and every line a
// patched file says it took from the patch is that line of the patch.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { patchedFiles } from '../../../core/patch/patched-files';
import { SEED_PATCH } from '../../helpers/paths';
import { random } from '../../helpers/seeded-random';

const MADE_UP = `diff --git a/a.h b/a.h
--- a/a.h
+++ b/a.h
@@ -1,4 +1,5 @@
 struct a {
 	int x;
+	int y;
 };
 
@@ -7,2 +8,3 @@ struct b {
 	char c;
+	char d;
 };
diff --git a/n.h b/n.h
new file mode 100644
--- /dev/null
+++ b/n.h
@@ -0,0 +1,3 @@
+struct n {
+	long l;
+};
`;
const TREE: Record<string, string> = { 'a.h': 'struct a {\n\tint x;\n};\n\nstruct b {\n\tint i;\n\tchar c;\n};\n' };

const PIECES = ['@@ -1 +1 @@', '@@ -0,0 +0,0 @@', '@@ -99999999,3 +1,999999999 @@', '--- a/a.h', '+++ b/a.h', '--- /dev/null', '+++ /dev/null', 'diff --git a/a.h b/a.h',
  'diff --git a/../x.h b/../x.h', '\\ No newline at end of file', '-', '+', ' ', '', 'Binary files a/a.h and b/a.h differ', 'new file mode 100644', 'deleted file mode 100644', '+struct z { int q; };', '\r', '\0'];

function mutate(text: string, next: (n: number) => number): string {
  const lines = text.split('\n');
  for (let k = 1 + next(4); k > 0; k--) {
    const at = next(lines.length + 1);
    switch (next(5)) {
      case 0: lines.splice(at, 1 + next(3)); break;
      case 1: lines.splice(at, 0, PIECES[next(PIECES.length)]); break;
      case 2: lines.splice(at, 0, ...lines.slice(next(lines.length), next(lines.length))); break;
      case 3: if (lines[at]) lines[at] = lines[at].slice(0, next(lines[at].length + 1)); break;
      default: lines.length = Math.min(lines.length, at + 1);
    }
  }
  return lines.join('\n');
}

describe('malformed patches', () => {
  it('give files and problems for 400 mutated mails, each mapped line being the patch\'s own', () => {
    const sources = [MADE_UP, ...(existsSync(SEED_PATCH) ? [readFileSync(SEED_PATCH, 'utf8')] : [])];
    const next = random(17);
    let problems = 0;
    for (let i = 0; i < 400; i++) {
      const patch = mutate(sources[i % sources.length], next);
      const result = patchedFiles(patch, '.', (p) => TREE[p.replace(/^\.\//, '')]);
      problems += result.problems.length;
      const patchLines = patch.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
      for (const file of result.files) {
        const lines = file.text.split('\n');
        assert.equal(file.patchLines.length, lines.length, `case ${i}: one patch line per line of ${file.path}`);
        lines.forEach((line, n) => {
          const at = file.patchLines[n];
          if (at >= 0 && line !== '') assert.equal(patchLines[at].slice(1), line, `case ${i}: ${file.path} line ${n}`);
        });
      }
    }
    assert.ok(problems > 100, `the mutations broke the patches (${problems} problems)`);
  });

  it('take time in proportion to their size: 20,000 hunks that all miss a 20,000-line file', () => {
    const file = Array.from({ length: 20_000 }, (_, i) => `int v${i};`).join('\n') + '\n';
    const hunks = Array.from({ length: 20_000 }, (_, i) => `@@ -${i + 1},1 +${i + 1},1 @@\n-int w${i};\n+int u${i};`).join('\n');
    const started = process.hrtime.bigint();
    const result = patchedFiles(`--- a/big.h\n+++ b/big.h\n${hunks}\n`, '.', (p) => (p === 'big.h' ? file : undefined));
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    assert.equal(result.problems.length, 20_000);
    // Not a speed goal: a bound far above the few seconds a quadratic search would take (400 million line compares).
    assert.ok(ms < 60_000, `${ms} ms`);
  });
});
