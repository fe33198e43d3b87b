// A file's text at a git ref, read with `git show` (the CLI's baselines and, in trusted workspaces, the server's).
import { spawnSync } from 'node:child_process';
import { basename, dirname } from 'node:path';

/** The text; or that the ref has no such file (it is new); or why git could not say. */
export type AtRef = { text: string } | { missing: true } | { failed: string };

/** Git gets this long to answer: a wedged repository must not hang a run or the server. */
const GIT_TIMEOUT_MS = 5000;

export function fileAtRef(path: string, ref: string): AtRef {
  const run = spawnSync('git', ['show', `${ref}:./${basename(path)}`], {
    cwd: dirname(path),
    encoding: 'utf8',
    timeout: GIT_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
    // Reading must not take the index lock a user's own git command may need.
    env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' },
  });
  if (run.error) return { failed: `git cannot run (${run.error.message})` };
  if (run.status === 0 && typeof run.stdout === 'string') return { text: run.stdout };
  const why = (run.stderr ?? '').trim().split('\n')[0] || `git show exited ${run.status ?? run.signal}`;
  return /does not exist in|exists on disk, but not in/.test(why) ? { missing: true } : { failed: why };
}

/** What a whole work tree has at a ref: the files there, and those the work tree has changed since (paths from its top). */
export interface TreeAtRef {
  files: Set<string>;
  changed: Set<string>;
}

/** A listing of a kernel tree (80,000 files) and a `git diff` that stats each of them take longer than one `git show`. */
const TREE_TIMEOUT_MS = 60_000;

/** Two git runs for a whole tree at `top`, where `git show` would be one run per file. */
export function treeAtRef(top: string, ref: string): TreeAtRef | { failed: string } {
  const files = gitLines(top, ['ls-tree', '--full-tree', '-r', '-z', '--name-only', ref]);
  if (!Array.isArray(files)) return files;
  // Against the work tree, staged or not; untracked files are not in `files`, so they are new.
  const changed = gitLines(top, ['diff', '--name-only', '-z', '--no-renames', ref, '--']);
  if (!Array.isArray(changed)) return changed;
  return { files: new Set(files), changed: new Set(changed) };
}

function gitLines(cwd: string, args: string[]): string[] | { failed: string } {
  const run = spawnSync('git', args, { cwd, encoding: 'utf8', timeout: TREE_TIMEOUT_MS, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } });
  if (run.error) return { failed: `git cannot run (${run.error.message})` };
  if (run.status !== 0) return { failed: (run.stderr ?? '').trim().split('\n')[0] || `git ${args[0]} exited ${run.status ?? run.signal}` };
  return run.stdout.split('\0').filter((line) => line !== '');
}
