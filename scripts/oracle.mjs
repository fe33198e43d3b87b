// Reruns the kernel oracle: simulates every generated case, makes it on this machine's kernel, prints the agreement figure.
// usage: node scripts/oracle.mjs [--jobs N] [--filter TEXT] [--json FILE]     (npm run oracle builds first)
import { writeFileSync } from 'node:fs';
import { release } from 'node:os';
import { loadTypeScript } from './load-typescript.mjs';

const args = process.argv.slice(2);
const option = (name) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};

// The harness is TypeScript under test/kernel; load it with the simulator and the C export.
const oracle = await loadTypeScript(`
  export { generateCases } from './test/kernel/oracle-cases';
  export { runOracle, skipReason, formatReport } from './test/kernel/oracle-harness';
  export { simulate } from './core/sim/simulate';
  export { normalizeInput } from './core/sim/input';
  export { exportC } from './core/sim/export-c';`);

const reason = await oracle.skipReason(oracle.exportC);
if (reason) {
  console.log(`oracle skipped: ${reason}`);
  process.exit(0);
}
const filter = option('--filter');
const cases = oracle.generateCases().filter((c) => !filter || c.id.includes(filter));
const options = { hostRelease: release() };
const report = await oracle.runOracle(
  cases,
  {
    simulate: (input) => oracle.simulate(input, options),
    normalize: (input) => oracle.normalizeInput(input, options),
    exportC: oracle.exportC,
  },
  {
    jobs: Number(option('--jobs') ?? 2),
    onProgress: (done, total) => {
      if (process.stderr.isTTY) process.stderr.write(`\r${done}/${total}`);
    },
  },
);
if (process.stderr.isTTY) process.stderr.write('\r');
console.log(oracle.formatReport(report));
const json = option('--json');
if (json) writeFileSync(json, JSON.stringify(report, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2));
process.exitCode = report.outcomes.some((o) => o.status === 'disagree' || o.status === 'error') ? 1 : 0;
