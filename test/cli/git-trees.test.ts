// A work tree's files at a ref, from one listing and one diff per tree: unchanged, changed (read with git show), new.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { GitTrees } from '../../cli/git-trees';
import { writeTempTree } from '../helpers/temp-tree';

const skip = spawnSync('git', ['--version']).error ? 'git is not installed' : false;

describe('GitTrees', { skip }, () => {
  it('tells unchanged, changed, staged, untracked and deleted files apart, below the top too and through links', () => {
    const dir = writeTempTree('sysarg-git-trees-', { 'a.h': 'a\n', 'b.h': 'b\n', 'sub/d.h': 'd\n', 'gone.h': 'g\n', 'e.h': 'e\n' });
    const git = (...args: string[]) => assert.equal(spawnSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd: dir }).status, 0, args.join(' '));
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'one');
    writeFileSync(join(dir, 'b.h'), 'b changed\n');
    writeFileSync(join(dir, 'e.h'), 'e staged\n');
    git('add', 'e.h');
    writeFileSync(join(dir, 'c.h'), 'untracked\n');
    unlinkSync(join(dir, 'gone.h'));
    const outside = writeTempTree('sysarg-git-outside-', { 'x.h': 'x\n' });
    symlinkSync(join(dir, 'sub'), join(outside, 'link'));
    const trees = new GitTrees();
    assert.equal(trees.at(join(dir, 'a.h'), 'HEAD'), 'same');
    assert.equal(trees.at(join(dir, 'b.h'), 'HEAD'), 'b\n', 'changed: the text at HEAD');
    assert.equal(trees.at(join(dir, 'e.h'), 'HEAD'), 'e\n', 'staged is changed since HEAD too');
    assert.equal(trees.at(join(dir, 'c.h'), 'HEAD'), 'new');
    assert.equal(trees.at(join(dir, 'sub/d.h'), 'HEAD'), 'same');
    assert.equal(trees.at(join(outside, 'link/d.h'), 'HEAD'), 'same', 'through a link into the tree');
    assert.equal(trees.at(join(outside, 'x.h'), 'HEAD'), undefined, 'in no work tree');
    assert.equal(trees.at(join(dir, 'gone.h'), 'HEAD'), undefined, 'not there to read');
    const bad = trees.at(join(dir, 'a.h'), 'no-such-ref');
    assert.ok(typeof bad === 'object' && /no-such-ref/.test(bad.failed), JSON.stringify(bad));
    git('commit', '-qam', 'two');
    assert.equal(new GitTrees().at(join(dir, 'b.h'), 'HEAD'), 'same', 'committed: unchanged since the new HEAD');
    assert.equal(new GitTrees().at(join(dir, 'b.h'), 'HEAD~1'), 'b\n');
  });
});
