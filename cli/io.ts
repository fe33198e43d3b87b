// The process-facing side of a CLI command: where output goes and how input is read.
import { readFileSync, writeFileSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from './errors';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
  readStdin(): string;
}

/**
 * Thrown by `out` once the reader has gone away (`sysarg layout ... | head`): the command stops at its next write
 * instead of doing the rest of its work for nobody. Not an error of ours: the command exits 0, quietly.
 */
export class OutputClosed extends Error {
  constructor() {
    super('output closed');
    this.name = 'OutputClosed';
  }
}

/** Output that could not be written for another reason than its reader going away (a full disk, say): exit 2. */
export class OutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputError';
  }
}

/**
 * Writes to file descriptor `fd` as the text comes, throwing OutputClosed once the reader has gone away.
 * process.stdout queues what a pipe cannot take at once, so a run writing to a pipe held its whole output in memory
 * and learnt only at its end that `head` had stopped reading. Where the descriptor is non-blocking (EAGAIN, a pipe
 * some other process made so), the rest goes through `fallback`, which queues.
 */
export function fdWriter(fd: number, fallback: (bytes: Uint8Array) => void): (text: string) => void {
  let queued = false;
  return (text) => {
    const bytes = Buffer.from(text, 'utf8');
    if (queued) return fallback(bytes);
    for (let done = 0; done < bytes.length; ) {
      try {
        done += writeSync(fd, bytes, done);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') throw new OutputClosed();
        if (code !== 'EAGAIN') throw new OutputError((error as Error).message);
        queued = true;
        return fallback(bytes.subarray(done));
      }
    }
  };
}

/** process.stdout, whose 'error' event only comes once the synchronous work in progress is over. */
function queuedStdout(bytes: Uint8Array): void {
  if (process.stdout.listenerCount('error') === 0) exitQuietlyOnEpipe(process.stdout);
  process.stdout.write(bytes);
}

/** A reader that goes away early (`sysarg layout ... | head`) is not an error of ours. */
export function exitQuietlyOnEpipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    process.stderr.write(`sysarg: cannot write output: ${error.message}\n`);
    process.exit(2);
  });
}

export const processIo: CliIo = {
  out: fdWriter(1, queuedStdout),
  err: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  readStdin: () => readFileSync(0, 'utf8'),
};

export type Command = (argv: string[], io: CliIo) => Promise<number> | number;

/** `text` to the file `output` names (relative to the command's folder), or to stdout when it is undefined or `-`. */
export function writeOutput(io: CliIo, output: string | undefined, text: string): void {
  if (output === undefined || output === '-') {
    io.out(text);
    return;
  }
  try {
    writeFileSync(resolve(io.cwd, output), text);
  } catch (error) {
    throw new UsageError(`cannot write ${output}: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`);
  }
}
