// `npm run bench:scan` keeps working: the server reads a workspace's .c files while a hover is asked again and again.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../helpers/paths';
import { writeTempTree } from '../helpers/temp-tree';

const script = join(repoRoot, 'scripts', 'bench-scan.mjs');
const skip = existsSync('/usr/include/linux/sched.h') ? false : '/usr/include/linux is not installed (linux-libc-dev)';

function bench(...args: string[]) {
  return spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', cwd: repoRoot, timeout: 60_000 });
}

describe('scripts/bench-scan.mjs', { skip }, () => {
  it('reports what the server read, the hovers answered meanwhile and its peak memory', () => {
    const dir = writeTempTree('sysarg-bench-scan-', {
      'kernel/a.c': 'int f(void) { struct clone_args args; return copy_struct_from_user(&args, sizeof(args), u, n); }\n',
      'fs/b.c': 'int g(struct open_how *how) { return copy_struct_from_user(how, sizeof(*how), u, n); }\n',
      'fs/c.c': 'int h(void) { return 0; }\n',
    });
    const run = bench(dir);
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout.trim().split('\n');
    assert.match(lines[0], new RegExp(`^server: .*dist/server\\.js over stdio, node v.*; workspace ${dir}$`));
    assert.match(lines[1], /^sysarg: 2 structs copied in with copy_struct_from_user\(\) in the workspace's \.c files \(read in \d+ ms\) \(\d+ ms after start\)$/);
    assert.match(lines[2], /^hover on struct clone_args while it read: \d+ answers, median [\d.]+ ms, slowest [\d.]+ ms$/);
    assert.match(lines[3], /^server peak RSS \d+ MB$/);
  });

  it('says in one line, exit 2, when the folder does not exist', () => {
    const run = bench('/nonexistent/sysarg-tree');
    assert.equal(run.status, 2);
    assert.equal(run.stderr.trim(), 'bench-scan: /nonexistent/sysarg-tree is not a directory');
  });
});
