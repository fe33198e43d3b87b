// `sysarg layout`: struct and union layouts of the named files on each target, as pahole-style text or CONTRACTS.md JSON.
import { formatLayoutText } from '../core/layout-text';
import { parseArgs } from './args';
import { UsageError } from './errors';
import { FRONT_END_OPTIONS, frontEndOptionsFrom, targetsFrom } from './front-end-options';
import type { CliIo } from './io';
import { unreadablePath } from './node-host';
import { parallelLayout } from './parallel-layout';

const HELP = `usage: sysarg layout [--target T]... [-I DIR]... [-D NAME[=VALUE]]... [-U NAME]... [--nostdinc] [--json] FILE...

Lays out every struct and union defined in FILE on each target (default x86_64; several with
--target x86_64 --target i386 or --target x86_64,i386). Targets: x86_64 i386 x32 aarch64 arm riscv64.
`;

export async function layoutCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, [...FRONT_END_OPTIONS, { name: 'json' }, { name: 'help', short: 'h' }]);
  if (args.flags.has('help')) {
    io.out(HELP);
    return 0;
  }
  if (args.positionals.length === 0) throw new UsageError('no input files (try --help)');
  for (const path of args.positionals) {
    const problem = unreadablePath(path);
    if (problem) throw new UsageError(problem);
  }
  const targets = targetsFrom(args);
  const options = frontEndOptionsFrom(args);
  const result = await parallelLayout(args.positionals, targets, options, __filename);
  io.out(args.flags.has('json') ? JSON.stringify(result) + '\n' : formatLayoutText(result));
  return 0;
}
