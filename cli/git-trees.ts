// A file of a git work tree at a ref, asked of git once per tree: unchanged files need no `git show`, and no analysis.
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileAtRef, treeAtRef, type TreeAtRef } from './git-show';

/**
 * `path` at a ref: its text there; `same` where the work tree's file has not changed since (its own text is the ref's);
 * `new` where the ref has no such file; why git could not say; undefined where the file is in no work tree.
 */
export type AtRefInTree = string | 'same' | 'new' | { failed: string } | undefined;

export class GitTrees {
  /** Each directory's work tree top (null: none), found by looking for `.git` upwards, with no git run. */
  private readonly tops = new Map<string, string | null>();
  private readonly trees = new Map<string, TreeAtRef | { failed: string }>();

  at(path: string, ref: string): AtRefInTree {
    const real = realPath(path);
    const top = real && this.topOf(dirname(real));
    if (!real || !top) return undefined;
    const key = `${top}\0${ref}`;
    let tree = this.trees.get(key);
    if (!tree) this.trees.set(key, (tree = treeAtRef(top, ref)));
    if ('failed' in tree) return tree;
    const rel = relative(top, real).split(sep).join('/');
    if (!tree.files.has(rel)) return 'new';
    if (!tree.changed.has(rel)) return 'same';
    const at = fileAtRef(path, ref);
    return 'text' in at ? at.text : 'missing' in at ? 'new' : at;
  }

  private topOf(dir: string): string | null {
    const known = this.tops.get(dir);
    if (known !== undefined) return known;
    const parent = dirname(dir);
    const top = existsSync(join(dir, '.git')) ? dir : parent === dir ? null : this.topOf(parent);
    this.tops.set(dir, top);
    return top;
  }
}

function realPath(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}
