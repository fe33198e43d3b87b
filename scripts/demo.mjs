// `npm run demo`: serves VS Code (code-server from .e2e/) with the Sysarg extension loaded on test/e2e/workspace and prints the URL.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const e2e = join(root, '.e2e');
const node24 = join(e2e, 'node', 'node_modules', 'node', 'bin', 'node');
const entry = join(e2e, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const workspace = join(root, 'test', 'e2e', 'workspace');
const home = join(e2e, 'demo');
const host = process.env.SYSARG_DEMO_HOST ?? '127.0.0.1';
const port = process.env.SYSARG_DEMO_PORT ?? '8080';

for (const [file, fix] of [[node24, 'scripts/install-e2e.sh'], [entry, 'scripts/install-e2e.sh'], [join(root, 'dist', 'extension.js'), 'node scripts/build.mjs']]) {
  if (!existsSync(file)) {
    console.error(`demo: ${file} is missing; run ${fix} (npm run demo does both)`);
    process.exit(1);
  }
}

// The same quiet, offline editor as the end-to-end test (test/e2e/code-server.json).
const launch = JSON.parse(readFileSync(join(root, 'test', 'e2e', 'code-server.json'), 'utf8'));
mkdirSync(join(home, 'user-data', 'User'), { recursive: true });
writeFileSync(join(home, 'config.yaml'), launch.config);
writeFileSync(join(home, 'user-data', 'User', 'settings.json'), JSON.stringify(launch.userSettings, null, 2));

// The extension is loaded as under development (payload URL parameter), which code-server honours with the
// smoke-test driver on: the same way the e2e test loads it, so the demo shows exactly what is tested.
const child = spawn(
  node24,
  [
    entry,
    '--bind-addr', `${host}:${port}`,
    '--config', join(home, 'config.yaml'),
    '--user-data-dir', join(home, 'user-data'),
    '--extensions-dir', join(home, 'extensions'),
    ...launch.flags,
  ],
  {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    env: { ...process.env, XDG_CONFIG_HOME: join(home, 'xdg-config'), XDG_DATA_HOME: join(home, 'xdg-data') },
  },
);

function stop() {
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}
process.on('SIGINT', () => { stop(); process.exit(130); });
process.on('SIGTERM', () => { stop(); process.exit(143); });

function workbenchUrl(base) {
  const authority = new URL(base).host;
  const payload = [
    ['extensionDevelopmentPath', `vscode-remote://${authority}${encodeURI(root)}`],
    ['skipWelcome', 'true'],
  ];
  const url = new URL(base);
  url.searchParams.set('folder', workspace);
  url.searchParams.set('payload', JSON.stringify(payload));
  return url.toString();
}

let output = '';
let announced = false;
function onData(chunk) {
  output += chunk.toString();
  const match = /HTTP server listening on (http:\/\/[^\s]+\/)/.exec(output);
  if (match && !announced) {
    announced = true;
    const base = match[1].replace('0.0.0.0', 'localhost');
    console.log(`Sysarg demo: VS Code with the extension on ${workspace}`);
    console.log(`open ${workbenchUrl(base)}`);
    console.log('(from another machine: ssh -L <port>:localhost:<port> first; Ctrl-C stops the demo)');
  }
}
child.stdout.on('data', onData);
child.stderr.on('data', onData);
child.on('exit', (code, signal) => {
  if (!announced) console.error(`demo: code-server exited (${signal ?? code}) before listening:\n${output}`);
  process.exit(code ?? 1);
});
