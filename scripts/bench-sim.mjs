// Benchmarks the simulator in-process: simulations per second over a realistic mix, and the time of the full clone_args matrix.
import { loadTypeScript } from './load-typescript.mjs';

const { simulate, simulateCall, normalizeInput, buildMatrix } = await loadTypeScript(
  `export { simulate, simulateCall } from './core/sim/simulate'; export { normalizeInput } from './core/sim/input'; export { buildMatrix } from './core/sim/matrix';`,
);
const options = { hostRelease: '6.18.44-fc-v782' };

// A mix like the panel and the oracle produce: plain forks, threads, namespaces, size/tail variants, errors, old kernels.
const MIX = [
  { kernel: '6.1', syscall: 'clone3', flags: [], size: 88, fields: { exit_signal: 17 } },
  { kernel: '6.1', syscall: 'clone3', flags: ['CLONE_NEWPID', 'CLONE_PIDFD'], size: 88, fields: { exit_signal: 17, pidfd: 'ptr', set_tid: [1, 42], set_tid_size: 2 } },
  { kernel: 'host', syscall: 'clone3', flags: ['CLONE_VM', 'CLONE_FS', 'CLONE_FILES', 'CLONE_SIGHAND', 'CLONE_THREAD', 'CLONE_SYSVSEM', 'CLONE_SETTLS', 'CLONE_PARENT_SETTID', 'CLONE_CHILD_CLEARTID'], fields: { stack: 'ptr', stack_size: 65536, tls: 'ptr', parent_tid: 'ptr', child_tid: 'ptr' } },
  { kernel: '6.1', syscall: 'clone3', flags: [], size: 96, tail: 'nonzero', fields: { exit_signal: 17 } },
  { kernel: '6.1', syscall: 'clone3', flags: [], size: 56 },
  { kernel: '6.1', syscall: 'clone3', flags: ['CLONE_INTO_CGROUP'], size: 80, fields: { exit_signal: 17, cgroup: 3 } },
  { kernel: '6.9', syscall: 'clone3', flags: ['CLONE_PIDFD', 'CLONE_THREAD', 'CLONE_SIGHAND', 'CLONE_VM'], fields: { pidfd: 'ptr', stack: 'ptr', stack_size: 8192 } },
  { kernel: 'host', syscall: 'clone3', flags: ['CLONE_NEWUSER', 'CLONE_NEWNET', 'CLONE_NEWNS'], fields: { exit_signal: 17 }, context: { privileged: false } },
  { kernel: '5.3', syscall: 'clone3', flags: ['CLONE_CLEAR_SIGHAND'], fields: { exit_signal: 17 } },
  { kernel: '6.1', syscall: 'clone', flags: ['CLONE_NEWTIME', 'CLONE_VM'], fields: { exit_signal: 17, stack: 'ptr' } },
  { kernel: '6.1', syscall: 'clone', flags: '0x100000011' },
  { kernel: 'host', syscall: 'clone', flags: ['CLONE_PIDFD', 'CLONE_PARENT_SETTID'], fields: { exit_signal: 17, parent_tid: 'ptr' } },
  { kernel: '2.6.24', syscall: 'clone', flags: ['CLONE_NEWPID', 'CLONE_THREAD', 'CLONE_SIGHAND', 'CLONE_VM'] },
  { kernel: '2.6.24+longarg-rfc', syscall: 'clone', flags: ['CLONE_LONGARG'], size: 12, fields: { exit_signal: 17 } },
  { kernel: '6.1', syscall: 'unshare', flags: ['CLONE_NEWUSER', 'CLONE_NEWNS'], context: { privileged: false } },
  { kernel: 'host', syscall: 'unshare', flags: ['CLONE_NEWPID', 'CLONE_NEWTIME'] },
  { kernel: '6.1', syscall: 'unshare', flags: ['CLONE_VM'], context: { threads: 4 } },
  { kernel: '2.6.24', syscall: 'unshare', flags: ['CLONE_NEWPID'] },
  { kernel: '6.1', syscall: 'unshare', flags: ['CLONE_NEWIPC', 'CLONE_SYSVSEM'], context: { privileged: false } },
  { kernel: '6.1', syscall: 'clone3', flags: [], fields: { exit_signal: 17, set_tid: [1], set_tid_size: 1 }, context: { privileged: false } },
];

function rate(label, fn, count) {
  for (let i = 0; i < 20_000; i++) fn(i); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) fn(i);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const perSecond = Math.round(count / seconds);
  console.log(`${label}: ${perSecond.toLocaleString('en-US')} simulations/s (${count.toLocaleString('en-US')} in ${seconds.toFixed(2)} s)`);
  return perSecond;
}

const calls = MIX.map((input) => normalizeInput(input, options));
const n = MIX.length;
const hot = rate('simulateCall (validated calls, hot path)', (i) => simulateCall(calls[i % n], options), 1_000_000);
const full = rate('simulate (JSON input, validation included)', (i) => simulate(MIX[i % n], options), 500_000);

const t0 = process.hrtime.bigint();
buildMatrix({ struct: 'clone_args' }, options);
const cold = Number(process.hrtime.bigint() - t0) / 1e6;
const times = [];
for (let i = 0; i < 200; i++) {
  const s = process.hrtime.bigint();
  buildMatrix({ struct: 'clone_args' }, options);
  times.push(Number(process.hrtime.bigint() - s) / 1e6);
}
times.sort((a, b) => a - b);
const median = times[times.length >> 1];
const cells = buildMatrix({ struct: 'clone_args' }, options).rows.reduce((sum, r) => sum + r.cells.length, 0);
console.log(`full clone_args matrix (${cells} cells): first ${cold.toFixed(2)} ms, median ${median.toFixed(3)} ms, worst ${times[times.length - 1].toFixed(3)} ms`);
console.log(`goals: >= 200,000/s ${hot >= 200_000 && full >= 200_000 ? 'met' : 'NOT met'}; matrix < 50 ms ${cold < 50 ? 'met' : 'NOT met'}`);
