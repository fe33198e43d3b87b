// `sysarg export-c --input FILE|- [-o OUT]`: writes a simulated call as a standalone C program that makes the real call.
import { exportC } from '../core/sim/export-c';
import { normalizeInput } from '../core/sim/input';
import { parseCommand, optionValue, type OptionSpec } from './args';
import { AUTHOR_OPTIONS, simulatorOptions, simulating } from './author-option';
import { readJson } from './json-input';
import { UsageError } from './errors';
import { writeOutput, type CliIo } from './io';

const HELP = `usage: sysarg export-c --input FILE|- [-o OUT] [--author FILE]

Writes the call described by the input (the same JSON as 'sysarg simulate') as a small C program
that makes the real clone/clone3/unshare call and prints 'sysarg-result: <errno or success>'.

  --input FILE|-   the call as JSON ('-' reads standard input)
  -o, --output OUT write the program to OUT instead of standard output
  --author FILE    kernel "<base>+patch": place the fields of FILE's struct clone_args at their offsets
`;

const OPTIONS: OptionSpec[] = [{ name: 'input', value: true }, { name: 'output', short: 'o', value: true }, ...AUTHOR_OPTIONS];

export function exportCCommand(argv: string[], io: CliIo): number {
  const args = parseCommand(argv, { options: OPTIONS, help: HELP, positionals: false }, io);
  if (!args) return 0;
  const input = optionValue(args, 'input');
  if (input === undefined) throw new UsageError('--input FILE|- is required');
  const options = simulatorOptions(args);
  const call = simulating(() => normalizeInput(readJson(input, io), options));
  const program = exportC(call, options.author ? { members: options.author.members } : {});
  writeOutput(io, optionValue(args, 'output'), program);
  return 0;
}
