// `npm run bench:phases` keeps working: it times layout passes in one process, cold, warm and with memos built, and
// with two targets what the second costs after the first.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../helpers/paths';

const dir = mkdtempSync(join(tmpdir(), 'sysarg-bench-phases-'));
writeFileSync(join(dir, 'a.h'), 'struct a { int x; long y; };\n');
writeFileSync(join(dir, 'b.h'), '#include "a.h"\nstruct b { struct a inner; char c; };\n');
const script = join(repoRoot, 'scripts', 'bench-layout-phases.mjs');

function phases(targets: string): string[] {
  const run = spawnSync(process.execPath, [script, '--dir', dir, '--targets', targets], { encoding: 'utf8', cwd: repoRoot });
  assert.equal(run.status, 0, run.stderr);
  const lines = run.stdout.trim().split('\n');
  assert.match(lines[0], new RegExp(`^2 headers under .*, targets ${targets.replace(',', ', ')}, node v`));
  for (const line of lines.slice(1)) assert.match(line, /^\S.* +\d+ ms, GC +\d+ ms$/, line);
  return lines.slice(1).map((l) => l.replace(/ +\d+ ms, GC +\d+ ms$/, ''));
}

describe('scripts/bench-layout-phases.mjs', () => {
  it('times a cold pass, warm passes with fresh caches and passes that reuse one', () => {
    const labels = phases('x86_64');
    assert.equal(labels[0], 'cold (fresh cache, cold JIT)');
    assert.equal(labels.filter((l) => l === 'fresh cache, warm JIT').length, 3);
    assert.equal(labels.filter((l) => l === 'same cache (memos built), warm JIT').length, 2);
    assert.equal(labels.length, 6, 'one target: no per-target split');
  });

  it('with two targets, also times the first alone, the second after it on the same cache, and the first again', () => {
    const labels = phases('x86_64,i386');
    assert.deepEqual(labels.slice(6), ['x86_64 alone, fresh cache', 'i386 after it, same cache', 'x86_64 again, its own memos']);
  });
});
