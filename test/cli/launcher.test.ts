// The built CLI runs as an executable through its own launcher line, which keeps Node from loading CA bundles.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { accessSync, constants, copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { cliPath } from '../helpers/paths';

const CA_WARNING = /extra certs/i;
const POSIX = process.platform !== 'win32';
// A bundle that does not exist: Node warns when it tries to load it, so the warning shows whether it was loaded.
const env = { ...process.env, NODE_EXTRA_CA_CERTS: '/nonexistent/sysarg-test-ca.pem' };
const header = join(mkdtempSync(join(tmpdir(), 'sysarg-launcher-')), 'one.h');
writeFileSync(header, 'struct one { int a; };\n');
const args = ['layout', '--json', '--target', 'x86_64', header];

/** Node's V8 helper-thread pool without --v8-pool-size, and with --v8-pool-size=0 (max(1, cores - 1), node_platform.cc). */
const NODE_DEFAULT_POOL = 4;
const sizedPool = Math.max(1, availableParallelism() - 1);

/** Starts `sysarg lsp --stdio` and resolves with its thread count once it has answered `initialize`. */
async function serverThreads(command: string, commandArgs: string[]): Promise<number> {
  const server: ChildProcessWithoutNullStreams = spawn(command, [...commandArgs, 'lsp', '--stdio'], { env });
  try {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
    server.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      server.stdout.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (seen.includes('"id":1')) resolve();
      });
      server.on('exit', (code) => reject(new Error(`server exited (${code}) before answering`)));
    });
    return readdirSync(`/proc/${server.pid}/task`).length;
  } finally {
    server.kill();
  }
}

describe('sysarg launcher', { skip: POSIX ? false : 'the launcher line is for POSIX systems' }, () => {
  it('is executable and starts the CLI through env -S', () => {
    accessSync(cliPath, constants.X_OK);
    assert.match(readFileSync(cliPath, 'utf8').split('\n')[0], /^#!\/usr\/bin\/env -S /);
    const run = spawnSync(cliPath, args, { encoding: 'utf8', env });
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.equal(report.records[0].name, 'one');
    assert.equal(report.records[0].layouts.x86_64.size, 4);
  });

  it('drops NODE_EXTRA_CA_CERTS (sysarg makes no TLS connections; Node would parse the bundle before starting)', () => {
    const direct = spawnSync(cliPath, args, { encoding: 'utf8', env });
    assert.doesNotMatch(direct.stderr, CA_WARNING);
    // The same script started by node itself does load the bundle: the check above can fail.
    const viaNode = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', env });
    assert.match(viaNode.stderr, CA_WARNING);
  });

  it('sizes V8\'s helper-thread pool by the cores (--v8-pool-size=0) instead of Node\'s fixed four', {
    timeout: 30_000,
    skip: process.platform !== 'linux' ? 'threads are counted in /proc' : sizedPool === NODE_DEFAULT_POOL ? 'on this machine both pools have four threads' : false,
  }, async () => {
    const launched = await serverThreads(cliPath, []);
    const direct = await serverThreads(process.execPath, [cliPath]);
    assert.equal(launched - direct, sizedPool - NODE_DEFAULT_POOL);
  });

  describe('the code cache', () => {
    const dist = dirname(cliPath);
    const cacheName = readdirSync(dist).find((name) => /^cli-main\.[0-9a-f]{16}\.cache$/.test(name));
    const run = (cli: string, mode: string, argv = args) => spawnSync(cli, argv, { encoding: 'utf8', env: { ...env, SYSARG_CODE_CACHE: mode } });

    it('is made by the build, and V8 takes it: the CLI compiles none of its bundle', () => {
      assert.ok(cacheName, `no cli-main.<id>.cache in ${dist}: the build's training run failed`);
      const cached = run(cliPath, 'check');
      assert.equal(cached.status, 0, cached.stderr);
      assert.match(cached.stderr, /^sysarg: code cache accepted$/m);
      assert.equal(cached.stdout, run(cliPath, 'off').stdout);
    });

    it('is only skipped when V8 refuses it, and the language server never reads it', () => {
      assert.ok(cacheName);
      const copy = mkdtempSync(join(tmpdir(), 'sysarg-cache-'));
      for (const name of ['cli.js', 'cli-main.js']) copyFileSync(join(dist, name), join(copy, name));
      writeFileSync(join(copy, cacheName), Buffer.alloc(4096, 0x5a));
      const refused = run(join(copy, 'cli.js'), 'check');
      assert.equal(refused.status, 0, refused.stderr);
      assert.match(refused.stderr, /^sysarg: code cache rejected$/m);
      assert.equal(refused.stdout, run(cliPath, 'off').stdout);
      const lsp = run(cliPath, 'check', ['lsp']);
      assert.equal(lsp.status, 2);
      assert.match(lsp.stderr, /^sysarg: code cache not read$/m);
    });
  });
});
