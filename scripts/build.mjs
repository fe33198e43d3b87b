// Bundles the extension, the server, the CLI and the webview script with esbuild (and, with --tests, every test suite).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { filesUnder } from './files-under.mjs';

const root = new URL('..', import.meta.url).pathname;
const withTests = process.argv.includes('--tests');
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning', absWorkingDir: root };

// The CLI's launcher drops NODE_EXTRA_CA_CERTS: Node parses that certificate bundle before running any script
// (~50 ms where it is set), and sysarg never opens a TLS connection. It also sizes V8's helper-thread pool by the
// machine (`--v8-pool-size=0`: one thread fewer than the cores) instead of Node's fixed four: on a 2-core machine four
// compiler and GC threads crowd the one core the main thread leaves (layout of /usr/include/linux 4-6 % faster,
// docs/performance.md). `env -S` needs GNU coreutils >= 8.30 or a BSD env.
const LAUNCHER_NODE_FLAGS = ['--v8-pool-size=0'];
const CLI_BANNER = `#!/usr/bin/env -S -u NODE_EXTRA_CA_CERTS node ${LAUNCHER_NODE_FLAGS.join(' ')}`;

const jobs = [
  build({ ...common, entryPoints: ['client/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['server/main.ts'], outfile: 'dist/server.js' }),
  build({ ...common, entryPoints: ['cli/main.ts'], outfile: 'dist/cli-main.js', external: ['./server.js'] }).then(buildLauncher),
  // check, flags and snapshot apart: in the main bundle they slowed `sysarg layout` (cli/rule-commands.ts).
  build({ ...common, entryPoints: ['cli/rule-commands.ts'], outfile: 'dist/cli-rules.js' }),
  build({ ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: ['webview/panel.ts'], outfile: 'dist/webview.js' }),
];
if (withTests) {
  rmSync(join(root, 'out'), { recursive: true, force: true });
  const entries = filesUnder(join(root, 'test'), '.test.ts').map((file) => relative(root, file));
  jobs.push(build({ ...common, entryPoints: entries, outdir: 'out', outbase: '.', packages: 'external', external: ['vscode'] }));
  // The module real VS Code loads through extensionTestsPath (test/e2e): kept out of out/test/, which node --test runs.
  jobs.push(build({ ...common, entryPoints: ['test/e2e/in-editor/index.ts'], outfile: 'out/e2e/in-editor.js', external: ['vscode'] }));
}
await Promise.all(jobs);
trainCodeCache();

/**
 * `dist/cli.js`, the executable, loads `dist/cli-main.js` (the CLI) from a V8 code cache named after a hash of the
 * bundle's text, so that a cache left by another build is never used (V8 itself checks only the text's length).
 */
async function buildLauncher() {
  const id = createHash('sha256').update(readFileSync(join(root, 'dist/cli-main.js'))).digest('hex').slice(0, 16);
  for (const name of readdirSync(join(root, 'dist'))) if (/^cli-main\.[0-9a-f]+\.cache$/.test(name)) rmSync(join(root, 'dist', name));
  await build({ ...common, entryPoints: ['cli/launcher.ts'], outfile: 'dist/cli.js', banner: { js: CLI_BANNER }, define: { CLI_BUNDLE_ID: JSON.stringify(id) } });
  // Executable as built, so `dist/cli.js` runs through its own launcher line, as the installed `sysarg` does.
  chmodSync(join(root, 'dist/cli.js'), 0o755);
}

/**
 * Makes the code cache: one layout run over a training input with the launcher's flags, after which the cache holds
 * the bytecode of every function the run compiled (a cache made at load holds only the top level). Trained on the
 * sound and RDMA headers (Debian linux-libc-dev), not on /usr/include/linux, which the benchmark lays out; without
 * them, on the e2e workspace's headers. A failed training leaves no cache: the CLI then compiles as Node would.
 */
function trainCodeCache() {
  const dirs = ['/usr/include/sound', '/usr/include/rdma'].filter((d) => existsSync(d));
  const input = (dirs.length > 0 ? dirs : [join(root, 'test/e2e/workspace')]).flatMap((d) => filesUnder(d, '.h'));
  const layout = ['layout', '--json', '--target', 'x86_64', '--target', 'i386', ...input];
  // As the launcher line starts Node (the cache holds the V8 flags it was made with).
  const env = { ...process.env, SYSARG_CODE_CACHE: 'write' };
  delete env.NODE_EXTRA_CA_CERTS;
  delete env.NODE_OPTIONS;
  const run = spawnSync(process.execPath, [...LAUNCHER_NODE_FLAGS, join(root, 'dist/cli.js'), ...layout], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  if (run.status !== 0) console.warn(`build: no code cache for the CLI (training run: ${run.error?.message ?? `exit ${run.status}`})`);
}
