// Lays out many files on several cores: contiguous chunks (headers of a folder share includes) to worker threads.
import { availableParallelism } from 'node:os';
import { statSync } from 'node:fs';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { SourceCache } from '../core/c/source-cache';
import type { FrontEndOptions } from '../core/front-end';
import { layoutFile } from '../core/layout-report';
import type { LayoutResult, TargetName } from '../core/protocol';
import { nodeFileHost } from './node-host';

/** Below this many files one thread is faster than starting another. */
const MIN_FILES_PER_THREAD = 24;

interface Job {
  sysargLayoutJob: true;
  paths: string[];
  targets: TargetName[];
  options: FrontEndOptions;
}

function layoutChunk(paths: string[], targets: TargetName[], options: FrontEndOptions): Omit<LayoutResult, 'version'> {
  const cache = new SourceCache(nodeFileHost);
  const out: Omit<LayoutResult, 'version'> = { records: [], errors: [] };
  for (const path of paths) {
    const { records, errors } = layoutFile(cache, path, targets, options);
    out.records.push(...records);
    out.errors.push(...errors);
  }
  return out;
}

/** Splits `paths` into `n` contiguous chunks of about equal total size. */
function chunks(paths: string[], n: number): string[][] {
  const sizes = paths.map((p) => statSync(p, { throwIfNoEntry: false })?.size ?? 0);
  const total = sizes.reduce((a, b) => a + b, 0);
  const out: string[][] = [[]];
  let acc = 0;
  paths.forEach((p, i) => {
    if (acc >= (total / n) * out.length && out.length < n) out.push([]);
    out[out.length - 1].push(p);
    acc += sizes[i];
  });
  return out.filter((c) => c.length > 0);
}

export async function parallelLayout(paths: string[], targets: TargetName[], options: FrontEndOptions, scriptPath: string): Promise<LayoutResult> {
  const threads = Math.min(availableParallelism(), Math.floor(paths.length / MIN_FILES_PER_THREAD));
  if (threads <= 1) return { version: 1, ...layoutChunk(paths, targets, options) };
  const [mine, ...theirs] = chunks(paths, threads);
  const pending = theirs.map(
    (chunk) =>
      new Promise<Omit<LayoutResult, 'version'>>((resolve, reject) => {
        const job: Job = { sysargLayoutJob: true, paths: chunk, targets, options };
        const worker = new Worker(scriptPath, { workerData: job });
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.once('exit', (code) => code !== 0 && reject(new Error(`layout worker exited with ${code}`)));
      }),
  );
  const results = [layoutChunk(mine, targets, options), ...(await Promise.all(pending))];
  return { version: 1, records: results.flatMap((r) => r.records), errors: results.flatMap((r) => r.errors) };
}

/** In a worker started by parallelLayout: do the chunk and post the result back. Returns true when it did. */
export function runLayoutWorker(): boolean {
  if (isMainThread || !(workerData as Job | undefined)?.sysargLayoutJob) return false;
  const job = workerData as Job;
  parentPort?.postMessage(layoutChunk(job.paths, job.targets, job.options));
  return true;
}
