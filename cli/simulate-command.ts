// `sysarg simulate [--json] --input FILE|-`: predicts a clone/clone3/unshare call on a kernel model (CONTRACTS.md).
import { readFileSync } from 'node:fs';
import { release } from 'node:os';
import { resolve } from 'node:path';
import { SimInputError } from '../core/sim/input';
import { simulate } from '../core/sim/simulate';
import { formatSimulation } from '../core/sim/text';
import { parseArgs, optionValue } from './args';
import { AUTHOR_OPTIONS, authorFrom } from './author-option';
import { UsageError } from './errors';
import type { CliIo } from './io';

const HELP = `usage: sysarg simulate [--json] --input FILE|-

Predicts what a kernel model does with a clone, clone3 or unshare call (the input is JSON, see CONTRACTS.md):
the errno or success, the check that decided it, every check on the way, and what the child (or caller) gets.
An errno is a result: the exit code is 0 for any simulated outcome, 2 for bad input.

  --input FILE|-   the call as JSON ('-' reads standard input)
  --json           print the result as JSON
  --author FILE    a header defining struct clone_args (or the RFC's long_clone_arg) and CLONE_* flags: kernel
                   "<base>+patch" (e.g. 6.1+patch) is then that model extended with the file's struct and flags
                   (-I DIR and -D NAME[=VALUE] apply to reading it)
`;

export function simulateCommand(argv: string[], io: CliIo): number {
  const args = parseArgs(argv, [
    { name: 'input', value: true },
    { name: 'json' },
    { name: 'help', short: 'h' },
    ...AUTHOR_OPTIONS,
  ]);
  if (args.flags.has('help')) {
    io.out(HELP);
    return 0;
  }
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0]}' (the call is read from --input)`);
  const input = optionValue(args, 'input');
  if (input === undefined) throw new UsageError('--input FILE|- is required');
  const value = readJson(input, io);
  let out;
  try {
    out = simulate(value, { hostRelease: release(), ...withAuthor(args) });
  } catch (error) {
    if (error instanceof SimInputError) throw new UsageError(error.message);
    throw error;
  }
  io.out(args.flags.has('json') ? `${JSON.stringify(out, null, 2)}\n` : formatSimulation(out));
  return 0;
}

/** Reads and parses the input file (or stdin); shared with `sysarg matrix`-style commands that take JSON. */
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

function withAuthor(args: Parameters<typeof authorFrom>[0]): { author?: NonNullable<ReturnType<typeof authorFrom>> } {
  const author = authorFrom(args);
  return author ? { author } : {};
}
