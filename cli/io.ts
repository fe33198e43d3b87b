// The process-facing side of a CLI command: where output goes and how input is read.
import { readFileSync } from 'node:fs';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
  readStdin(): string;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  readStdin: () => readFileSync(0, 'utf8'),
};

export type Command = (argv: string[], io: CliIo) => Promise<number> | number;
