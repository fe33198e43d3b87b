// The CLI's stdout writer on a real pipe (a FIFO): a reader that went away stops the command; a non-blocking pipe
// still gets everything, the rest through the fallback.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fdWriter, OutputClosed } from '../../cli/io';

/** Both ends of a new FIFO: the read end non-blocking, the write end as asked. */
function fifo(writeFlags: number): { r: number; w: number } | undefined {
  const path = join(mkdtempSync(join(tmpdir(), 'sysarg-io-')), 'out');
  if (spawnSync('mkfifo', [path]).status !== 0) return undefined;
  const r = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  return { r, w: openSync(path, constants.O_WRONLY | writeFlags) };
}

function drain(fd: number): Buffer {
  const parts: Buffer[] = [];
  const buf = Buffer.alloc(1 << 16);
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buf);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') break;
      throw error;
    }
    if (n === 0) break;
    parts.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(parts);
}

describe('fdWriter', () => {
  it('throws OutputClosed once the reader has gone away', (t) => {
    const pipe = fifo(0);
    if (!pipe) return t.skip('mkfifo is missing');
    const fallback: Uint8Array[] = [];
    const write = fdWriter(pipe.w, (b) => fallback.push(b));
    write('{"version":1,');
    assert.equal(drain(pipe.r).toString(), '{"version":1,');
    closeSync(pipe.r);
    assert.throws(() => write('"records":[]}'), OutputClosed);
    assert.equal(fallback.length, 0);
    closeSync(pipe.w);
  });

  it('hands what a full non-blocking pipe cannot take to the fallback, in order, and nothing is lost', (t) => {
    const pipe = fifo(constants.O_NONBLOCK);
    if (!pipe) return t.skip('mkfifo is missing');
    const text = Array.from({ length: 40_000 }, (_, i) => `line ${i} ü\n`).join('');
    const queued: Uint8Array[] = [];
    const write = fdWriter(pipe.w, (b) => queued.push(b));
    write(text.slice(0, 250_000));
    write(text.slice(250_000));
    assert.equal(queued.length, 2, 'the pipe filled up: the rest of the first write, then all of the second');
    const got = Buffer.concat([drain(pipe.r), ...queued]);
    assert.ok(got.equals(Buffer.from(text)), 'every byte, in order');
    closeSync(pipe.r);
    closeSync(pipe.w);
  });
});
