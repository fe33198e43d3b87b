// Reading a command's JSON input from a file or standard input, with one-line errors.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from './errors';
import type { CliIo } from './io';

/** Reads and parses the input file (or stdin, for '-'). */
export function readJson(path: string, io: CliIo): unknown {
  let text: string;
  if (path === '-') text = io.readStdin();
  else {
    try {
      text = readFileSync(resolve(io.cwd, path), 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read ${path}: ${firstLine(error)}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path === '-' ? 'standard input' : path} is not JSON: ${firstLine(error)}`);
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

