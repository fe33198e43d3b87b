// The `sysarg` executable: runs the CLI bundle from V8's code cache made when it was built, so a run compiles none of it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';

/** A hash of the bundle's text, set by scripts/build.mjs: a cache made from another build is never looked at. */
declare const CLI_BUNDLE_ID: string;

/**
 * Batch commands are over before V8's optimising compiler pays back big inlined functions: with a smaller inlining
 * budget the 763 headers of /usr/include/linux lay out ~10 % faster (docs/performance.md). The language server keeps
 * V8's defaults: it runs long enough for them to pay off. Set before the bundle is compiled, because V8 accepts a code
 * cache only under the flags it was made with.
 */
const BATCH_V8_FLAGS = '--max-inlined-bytecode-size-cumulative=200';

/**
 * SYSARG_CODE_CACHE: unset, the cache is used when V8 accepts it (same Node, same flags, this very bundle); `off`
 * compiles the bundle as Node would (for measuring); `check` says on stderr whether V8 took the cache; `write` saves
 * the cache after the run (scripts/build.mjs does this once, over a training input).
 */
type CacheMode = 'use' | 'off' | 'check' | 'write';

function cacheMode(): CacheMode {
  const mode = process.env.SYSARG_CODE_CACHE;
  return mode === 'off' || mode === 'check' || mode === 'write' ? mode : 'use';
}

function readCache(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/** Compiles and runs the bundle as Node's CommonJS loader would, as the main module. */
function run(dir: string, batch: boolean): void {
  const bundle = join(dir, 'cli-main.js');
  const cachePath = join(dir, `cli-main.${CLI_BUNDLE_ID}.cache`);
  const mode = cacheMode();
  if (batch) setFlagsFromString(BATCH_V8_FLAGS);
  const cachedData = mode === 'off' || mode === 'write' || !batch ? undefined : readCache(cachePath);
  const script = new Script(Module.wrap(readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
  if (mode === 'check') {
    const verdict = cachedData === undefined ? (existsSync(cachePath) ? 'not read' : 'missing') : script.cachedDataRejected ? 'rejected' : 'accepted';
    process.stderr.write(`sysarg: code cache ${verdict}\n`);
  }
  if (mode === 'write') process.on('exit', () => writeFileSync(cachePath, script.createCachedData()));
  const module = new Module(bundle);
  module.filename = bundle;
  module.loaded = true;
  // The bundle asks `require.main === module`, and requires Node's modules and ./server.js (resolved from its folder).
  const require = Object.assign(createRequire(bundle), { main: module });
  (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, require, module, bundle, dir);
}

// `sysarg lsp` runs the language server in this process: it keeps V8's defaults, and so compiles without the cache.
run(__dirname, process.argv[2] !== 'lsp');
