// Lowers the scheduling priority of V8's helper threads (optimising compiler, GC) for a short batch run on Linux.
import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** How much lower than the main thread the helper threads run (in nice steps; 19 is the lowest priority). */
export const HELPER_NICE_OFFSET = 10;

/** The nice value for helper threads when the main thread runs at `mainNice`. */
export function helperNice(mainNice: number): number {
  return Math.min(19, mainNice + HELPER_NICE_OFFSET);
}

/**
 * A batch run is bound by its main thread, and on a 2-core machine the compiler and GC helper threads often take
 * both cores at once: the main thread then waits in the run queue (~120 ms of a 1 s layout run, measured with
 * /proc schedstat). At a lower priority they use the CPU the main thread leaves. Linux only (threads are listed
 * in /proc/self/task); elsewhere, or when not allowed, nothing changes. Returns how many threads were lowered.
 */
export function lowerHelperThreadPriority(): number {
  let tasks: string[];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return 0;
  }
  const nice = helperNice(getPriority(process.pid));
  let lowered = 0;
  for (const task of tasks) {
    const tid = Number(task);
    if (!Number.isInteger(tid) || tid === process.pid) continue;
    try {
      setPriority(tid, nice);
      lowered++;
    } catch {
      // A thread that has exited, or a system that refuses: the run is only slower.
    }
  }
  return lowered;
}
