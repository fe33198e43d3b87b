// The batch layout run lowers V8's helper threads below its main thread (Linux), checked in a child process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { getPriority } from 'node:os';
import { describe, it } from 'node:test';
import { helperNice, lowerHelperThreadPriority } from '../../cli/helper-thread-priority';

const CHILD = 'SYSARG_PRIORITY_TEST_CHILD';

if (process.env[CHILD]) {
  // Child mode: lower this process's helper threads and report every thread's priority.
  const lowered = lowerHelperThreadPriority();
  const threads = readdirSync('/proc/self/task').map((tid) => ({ tid: Number(tid), nice: getPriority(Number(tid)) }));
  process.stdout.write(JSON.stringify({ pid: process.pid, lowered, threads }));
  process.exit(0);
}

describe('helper thread priority', { skip: existsSync('/proc/self/task') ? false : 'no /proc/self/task (not Linux)' }, () => {
  it('lowers every thread but the main one, which keeps its priority', () => {
    const run = spawnSync(process.execPath, [__filename], { env: { ...process.env, [CHILD]: '1' }, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout) as { pid: number; lowered: number; threads: { tid: number; nice: number }[] };
    const main = report.threads.find((t) => t.tid === report.pid);
    const helpers = report.threads.filter((t) => t.tid !== report.pid);
    assert.ok(helpers.length >= 1, 'Node runs V8 helper threads');
    assert.equal(report.lowered, helpers.length);
    assert.equal(main?.nice, getPriority(process.pid), 'the main thread keeps the priority it started with');
    for (const t of helpers) assert.equal(t.nice, helperNice(getPriority(process.pid)), `thread ${t.tid}`);
    assert.ok(helperNice(getPriority(process.pid)) > getPriority(process.pid) || getPriority(process.pid) === 19);
  });
});
