// Preloaded by the layout benchmark (node -r): at exit, reports the main thread's CPU time, the time it waited for a
// core while runnable, and the CPU time of all threads, from Linux's /proc/<pid>/task/<tid>/schedstat (ns).
process.on('exit', () => {
  const fs = require('node:fs');
  const read = (tid) => fs.readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ').map(Number);
  try {
    const [mainCpu, mainWait] = read(process.pid);
    let allCpu = 0;
    for (const tid of fs.readdirSync('/proc/self/task')) {
      try {
        allCpu += read(tid)[0];
      } catch {
        // the thread ended meanwhile
      }
    }
    fs.writeSync(2, `\nsysarg-bench-threads ${mainCpu / 1e6} ${mainWait / 1e6} ${allCpu / 1e6}\n`);
  } catch {
    // no schedstat here: the benchmark reports wall time only
  }
});
