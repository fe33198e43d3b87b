// Bundles the extension, the server, the CLI and the webview script with esbuild (and, with --tests, every test suite).
import { build } from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';
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
const CLI_BANNER = '#!/usr/bin/env -S -u NODE_EXTRA_CA_CERTS node --v8-pool-size=0';

const jobs = [
  build({ ...common, entryPoints: ['client/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['server/main.ts'], outfile: 'dist/server.js' }),
  build({ ...common, entryPoints: ['cli/main.ts'], outfile: 'dist/cli.js', banner: { js: CLI_BANNER }, external: ['./server.js'] }),
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
// Executable as built, so `dist/cli.js` runs through its own launcher line, as the installed `sysarg` does.
chmodSync(join(root, 'dist/cli.js'), 0o755);
