// Hunks applied where the tree has drifted from the patch's preimage, against GNU patch itself: real diffs (installed
// UAPI headers against 6.1's own) applied to copies of the old header with lines around the hunks edited, moved or
// removed, must give patch's output byte for byte and fail the hunks patch rejects.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { applyHunks } from '../../../core/patch/apply';
import { parsePatch, type Hunk } from '../../../core/patch/unified-diff';
import { KERNEL_UAPI_LINUX, realDiffsMissing } from '../../helpers/paths';
import { random } from '../../helpers/seeded-random';

const TREE = KERNEL_UAPI_LINUX;
const missing = () => realDiffsMissing('diff', 'patch');

/** The old file with lines around the hunks changed: a context line edited, lines put in or taken out above a hunk. */
function drift(text: string, hunks: Hunk[], next: (n: number) => number): string {
  const lines = text.split('\n');
  // From the last hunk up, so that each hunk's line numbers still hold when it is edited.
  for (const hunk of [...hunks].reverse()) {
    const old = hunk.lines.filter((l) => l.kind !== '+');
    const start = hunk.oldStart - 1;
    switch (next(8)) {
      case 0: // the first context line(s) edited: fuzz 1 or 2
      case 1:
        for (let i = 0; i <= next(3) && i < old.length && old[i].kind === ' '; i++) lines[start + i] += ' /* drifted */';
        break;
      case 2: // the last context line(s) edited
        for (let i = 0; i <= next(3) && i < old.length && old[old.length - 1 - i].kind === ' '; i++) lines[start + old.length - 1 - i] += ' /* drifted */';
        break;
      case 3: // a line the hunk removes edited: patch rejects it, unless the same lines stand elsewhere
        if (old.length > 0) lines[start + next(old.length)] += ' /* drifted */';
        break;
      case 4: // lines put in above: the hunk moves down
        lines.splice(Math.max(start - next(4), 0), 0, ...Array.from({ length: 1 + next(30) }, (_, i) => `/* new line ${i} */`));
        break;
      case 5: // lines taken out above
        if (start > 3) lines.splice(next(start - 2), 1 + next(2));
        break;
      default: // as it was
    }
  }
  return lines.join('\n');
}

describe('hunks applied to a tree that drifted, against GNU patch', { skip: missing() }, () => {
  const work = mkdtempSync(join(tmpdir(), 'sysarg-gnu-patch-'));
  after(() => rmSync(work, { recursive: true, force: true }));

  it('gives patch\'s output and fails the hunks patch rejects, with -u, -U5, -U2, -U1 and -U0 diffs', (t) => {
    const next = random(20261129);
    const names = readdirSync(TREE!).filter((name) => name.endsWith('.h') && existsSync(join('/usr/include/linux', name))).sort();
    let cases = 0;
    let fuzzed = 0;
    let rejected = 0;
    for (const name of names) {
      for (const context of ['-u', '-U5', '-U2', '-U1', '-U0']) {
        const diff = spawnSync('diff', [context, '--label', 'a/x.h', '--label', 'b/x.h', join('/usr/include/linux', name), join(TREE!, name)], { encoding: 'utf8' });
        if (diff.status !== 1) continue;
        const hunks = parsePatch(diff.stdout).files[0].hunks;
        const input = drift(readFileSync(join('/usr/include/linux', name), 'utf8'), hunks, next);
        writeFileSync(join(work, 'in.h'), input);
        writeFileSync(join(work, 'p.diff'), diff.stdout);
        rmSync(join(work, 'out.h'), { force: true });
        rmSync(join(work, 'out.rej'), { force: true });
        const gnu = spawnSync('patch', ['-f', '-s', '--no-backup-if-mismatch', '-o', join(work, 'out.h'), '-r', join(work, 'out.rej'), join(work, 'in.h'), join(work, 'p.diff')], { encoding: 'utf8' });
        assert.ok(gnu.status === 0 || gnu.status === 1, `${name} ${context}: patch failed: ${gnu.stderr}`);
        const gnuRejects = existsSync(join(work, 'out.rej')) ? readFileSync(join(work, 'out.rej'), 'utf8').split('\n').filter((l) => l.startsWith('@@ ')).length : 0;
        const ours = applyHunks(input, hunks);
        const where = `${name} ${context} (case ${cases})`;
        assert.equal(ours.failed.length, gnuRejects, `${where}: hunks rejected`);
        assert.equal(ours.text, readFileSync(join(work, 'out.h'), 'utf8'), `${where}: the patched text`);
        cases++;
        if (ours.fuzzed.length > 0) fuzzed++;
        if (ours.failed.length > 0) rejected++;
      }
    }
    t.diagnostic(`${cases} patched files against GNU patch: ${fuzzed} with hunks applied with fuzz, ${rejected} with hunks rejected`);
    // A real workload with every outcome in it: some applied with fuzz, some with hunks rejected.
    assert.ok(cases > 500 && fuzzed > 100 && rejected > 50, `${cases} cases, ${fuzzed} with fuzz, ${rejected} with rejects`);
  });
});
