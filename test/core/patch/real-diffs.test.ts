// The patch core against the tools that write patches: GNU diff (any context) and git diff, run on real headers (the
// installed linux-libc-dev copies against 6.1's own UAPI headers), must give back the new file byte for byte.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { patchedFiles } from '../../../core/patch/patched-files';
import { KERNEL_UAPI_LINUX, realDiffsMissing } from '../../helpers/paths';

const TREE = KERNEL_UAPI_LINUX;
const missing = () => realDiffsMissing('diff', 'git');

const read = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined);

describe('patches written by diff and git', { skip: missing() }, () => {
  const pairs = readdirSync(TREE!)
    .filter((name) => name.endsWith('.h') && existsSync(join('/usr/include/linux', name)))
    .map((name) => ({ name, from: join('/usr/include/linux', name), to: join(TREE!, name) }));

  it('diff -u, -U0 and -U1 of every installed header against the tree\'s give back the tree\'s header', () => {
    let applied = 0;
    for (const { name, from, to } of pairs) {
      for (const context of ['-u', '-U0', '-U1']) {
        const diff = spawnSync('diff', [context, '--label', `a/linux/${name}`, '--label', `b/linux/${name}`, from, to], { encoding: 'utf8' });
        if (diff.status === 0) continue;
        const result = patchedFiles(diff.stdout, '/usr/include', read);
        assert.deepEqual(result.problems, [], `${name} ${context}`);
        assert.equal(result.files[0]?.text, readFileSync(to, 'utf8'), `${name} ${context}`);
        applied++;
      }
    }
    // Most of the headers differ (headers_install's edits, and 6.1.x against 6.1): a real workload, not a few.
    assert.ok(applied > 300, `only ${applied} diffs applied`);
  });

  it('git diff --no-index of the same pairs, with its own headers and paths, gives back the tree\'s header', () => {
    let applied = 0;
    for (const { name, from, to } of pairs.slice(0, 120)) {
      const diff = spawnSync('git', ['diff', '--no-index', '--no-color', from, to], { encoding: 'utf8' });
      if (diff.status === 0) continue;
      const result = patchedFiles(diff.stdout, '/', read);
      assert.deepEqual(result.problems, [], name);
      assert.equal(result.files[0]?.path, to, name);
      assert.equal(result.files[0]?.text, readFileSync(to, 'utf8'), name);
      applied++;
    }
    assert.ok(applied > 50, `only ${applied} diffs applied`);
  });
});
