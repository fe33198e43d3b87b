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

/** Whether `dir` is inside a git work tree. */
export function inWorkTree(dir: string): boolean {
  const run = spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: dir, encoding: 'utf8', timeout: GIT_TIMEOUT_MS, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } });
  return run.stdout?.trim() === 'true';
}
