// The built CLI runs as an executable through its own launcher line, which keeps Node from loading CA bundles.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cliPath } from '../helpers/paths';

const CA_WARNING = /extra certs/i;
const POSIX = process.platform !== 'win32';
// A bundle that does not exist: Node warns when it tries to load it, so the warning shows whether it was loaded.
const env = { ...process.env, NODE_EXTRA_CA_CERTS: '/nonexistent/sysarg-test-ca.pem' };
const header = join(mkdtempSync(join(tmpdir(), 'sysarg-launcher-')), 'one.h');
writeFileSync(header, 'struct one { int a; };\n');
const args = ['layout', '--json', '--target', 'x86_64', header];

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
});
