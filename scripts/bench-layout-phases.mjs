#!/usr/bin/env node
// Where a layout run's time goes, in one process: a cold pass, passes with a fresh source cache once the JIT is warm
// (every header's include and parse memos built again), and passes that reuse the cache (memos already built),
// each with the GC time Node reports. The difference between the last two is the cost of building the memos.
// Then, with two or more targets, what each target after the first costs: the first target alone on a fresh cache,
// the others after it on the same cache (they replay what of its memos they can), and the first again on its own.
//
// usage: node scripts/bench-layout-phases.mjs [--dir DIR] [--targets x86_64,i386]
import { PerformanceObserver } from 'node:perf_hooks';
import { filesUnder } from './files-under.mjs';
import { loadTypeScript } from './load-typescript.mjs';

const args = process.argv.slice(2);
const dir = args.includes('--dir') ? args[args.indexOf('--dir') + 1] : '/usr/include/linux';
const targets = (args.includes('--targets') ? args[args.indexOf('--targets') + 1] : 'x86_64,i386').split(',');

const core = await loadTypeScript(`
export { SourceCache } from './core/c/source-cache';
export { nodeFileHost } from './cli/node-host';
export { layoutFile } from './core/layout-report';
`);

const files = filesUnder(dir, '.h');
let gcMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMs += entry.duration;
}).observe({ entryTypes: ['gc'] });

/** One pass over every file; GC entries arrive asynchronously, so the figure is read after a tick. */
async function pass(label, cache, passTargets = targets) {
  gcMs = 0;
  const start = performance.now();
  for (const file of files) {
    core.layoutFile(cache, file, passTargets, {});
    cache.release(file);
  }
  const ms = performance.now() - start;
  await new Promise((resolve) => setTimeout(resolve, 20));
  console.log(`${label.padEnd(34)} ${ms.toFixed(0).padStart(5)} ms, GC ${gcMs.toFixed(0).padStart(4)} ms`);
}

console.log(`${files.length} headers under ${dir}, targets ${targets.join(', ')}, node ${process.version}`);
await pass('cold (fresh cache, cold JIT)', new core.SourceCache(core.nodeFileHost));
await pass('fresh cache, warm JIT', new core.SourceCache(core.nodeFileHost));
await pass('fresh cache, warm JIT', new core.SourceCache(core.nodeFileHost));
const cache = new core.SourceCache(core.nodeFileHost);
await pass('fresh cache, warm JIT', cache);
await pass('same cache (memos built), warm JIT', cache);
await pass('same cache (memos built), warm JIT', cache);
if (targets.length > 1) {
  const split = new core.SourceCache(core.nodeFileHost);
  await pass(`${targets[0]} alone, fresh cache`, split, targets.slice(0, 1));
  await pass(`${targets.slice(1).join(', ')} after it, same cache`, split, targets.slice(1));
  await pass(`${targets[0]} again, its own memos`, split, targets.slice(0, 1));
}
