// The CLI's directory-listing file host answers as the stat-based one does, on every kind of directory entry.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { cliFileHost, listingFileHost, nodeFileHost } from '../../cli/node-host';

const root = mkdtempSync(join(tmpdir(), 'sysarg-listing-host-'));
mkdirSync(join(root, 'inc/sub'), { recursive: true });
writeFileSync(join(root, 'inc/a.h'), 'struct a { int i; };\n');
writeFileSync(join(root, 'inc/sub/b.h'), 'struct b { int i; };\n');
symlinkSync(join(root, 'inc/a.h'), join(root, 'inc/link.h'));
symlinkSync(join(root, 'inc/sub'), join(root, 'inc/linkdir'));
symlinkSync(join(root, 'inc/missing.h'), join(root, 'inc/dangling.h'));
const hasFifo = spawnSync('mkfifo', [join(root, 'inc/fifo.h')]).status === 0;

const paths = [
  'inc/a.h',
  'inc/sub/b.h',
  'inc/link.h',
  'inc/linkdir/b.h',
  'inc/linkdir/../a.h',
  'inc/dangling.h',
  'inc/missing.h',
  'inc/A.H',
  'inc/SUB/b.h',
  'nowhere/a.h',
  'inc/a.h/x.h',
  'inc/sub',
  'inc/sub/',
  'inc/linkdir',
  'inc/.',
  'inc/..',
  ...(hasFifo ? ['inc/fifo.h'] : []),
].map((p) => join(root, p));

describe('listingFileHost', () => {
  it('reads, and refuses, the same files as the stat-based host', () => {
    const host = listingFileHost();
    for (const path of paths) assert.equal(host.readFile(path), nodeFileHost.readFile(path), path);
    assert.equal(host.readFile(join(root, 'inc/link.h')), 'struct a { int i; };\n');
  });

  it('sees the same directories', () => {
    const host = listingFileHost();
    for (const path of [...paths, '/', root]) assert.equal(host.isDirectory!(path), nodeFileHost.isDirectory!(path), path);
  });

  it('gives the same canonical paths, links resolved', () => {
    const host = listingFileHost();
    for (const path of paths) assert.equal(host.realPath!(path), nodeFileHost.realPath!(path), path);
    assert.equal(host.realPath!(join(root, 'inc/linkdir/b.h')), realpathSync(join(root, 'inc/sub/b.h')));
  });

  it('takes paths relative to the working directory', () => {
    const host = listingFileHost();
    const rel = relative(process.cwd(), join(root, 'inc/a.h'));
    assert.equal(host.readFile(rel), 'struct a { int i; };\n');
    assert.equal(host.realPath!(rel), realpathSync(join(root, 'inc/a.h')));
  });

  it('says which named paths are regular files', () => {
    const host = listingFileHost();
    assert.equal(host.isFile(join(root, 'inc/a.h')), true);
    assert.equal(host.isFile(join(root, 'inc/sub')), false);
    assert.equal(host.isFile(join(root, 'inc/missing.h')), false);
    // A link is not known to be a file until stat says so: the caller looks closer.
    assert.equal(host.isFile(join(root, 'inc/link.h')), false);
  });


  it('is what the CLI uses on Linux; elsewhere the CLI asks stat about every path', () => {
    const host = cliFileHost();
    assert.equal(host.isFile(join(root, 'inc/a.h')), process.platform === 'linux');
    assert.equal(host.readFile(join(root, 'inc/a.h')), 'struct a { int i; };\n');
  });
});
