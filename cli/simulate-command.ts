// `sysarg simulate [--json] --input FILE|-`: predicts a clone/clone3/unshare call on a kernel model (CONTRACTS.md).
import { simulate } from '../core/sim/simulate';
import { formatSimulation } from '../core/sim/text';
import { parseCommand, optionValue, type OptionSpec } from './args';
import { AUTHOR_OPTIONS, simulatorOptions, simulating } from './author-option';
import { UsageError } from './errors';
import type { CliIo } from './io';
import { readJson } from './json-input';

const HELP = `usage: sysarg simulate [--json] --input FILE|-

Predicts what a kernel model does with a clone, clone3 or unshare call (the input is JSON, see CONTRACTS.md):
the errno or success, the check that decided it, every check on the way, and what the child (or caller) gets.
An errno is a result: the exit code is 0 for any simulated outcome, 2 for bad input.

  --input FILE|-   the call as JSON ('-' reads standard input)
  --json           print the result as JSON
  --author FILE    a header defining struct clone_args (or the RFC's long_clone_arg) and CLONE_* flags: kernel
                   "<base>+patch" (e.g. 6.1+patch) is then that model extended with the file's struct and flags
                   (-I DIR, -D NAME[=VALUE] and --no-kernel-tree apply to reading it; a patch is applied to the
                   tree at --tree DIR, default .)
`;

const OPTIONS: OptionSpec[] = [{ name: 'input', value: true }, { name: 'json' }, ...AUTHOR_OPTIONS];

export function simulateCommand(argv: string[], io: CliIo): number {
  const args = parseCommand(argv, { options: OPTIONS, help: HELP, positionals: false, strayHint: 'the call is read from --input' }, io);
  if (!args) return 0;
  const input = optionValue(args, 'input');
  if (input === undefined) throw new UsageError('--input FILE|- is required');
  const value = readJson(input, io);
  const options = simulatorOptions(args);
  const out = simulating(() => simulate(value, options));
  io.out(args.flags.has('json') ? `${JSON.stringify(out, null, 2)}\n` : formatSimulation(out));
  return 0;
}
