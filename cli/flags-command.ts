// `sysarg flags`: the flag families of the named files (CLONE_* and others), their words and bits, as text or JSON.
import { flagsReport, formatFlagsText } from '../core/flags-report';
import { parseCommand, type OptionSpec } from './args';
import { FRONT_END_OPTIONS } from './front-end-options';
import { sourcesFrom } from './inputs';
import type { CliIo } from './io';

const HELP = `usage: sysarg flags [--json] [--target T]... [-I DIR]... [-D NAME[=VALUE]]... [--tree DIR] FILE...

The flag families each FILE defines: #define families sharing a prefix, the word they live in, which bits they use
and which are free, and the bits two of them claim. Found three ways:
  - the clone flags (four or more one-bit CLONE_ values): legacy clone()'s 32-bit word, whose low byte CSIGNAL is the
    exit signal, and clone3()'s 64-bit flags;
  - an annotation in a comment: sysarg: flags PREFIX_ [width=N] [reserved=MASK_NAME[,NAME]] [word=NAME];
  - evidence: four or more one-bit values written in hex, octal or as shifts, sharing a name prefix, in one block of
    #defines (a blank line ends a block). Their words' widths are guessed, and the rules do not judge them.
Then what the flag rules find (docs/rules.md): flag-bit-duplicate, flag-bit-overlap, flag-out-of-range,
flag-bits-exhausted. Values are the first target's (default x86_64); a flag whose value differs on another --target
is reported (1UL << 32 is 0 on i386).

FILE may be a directory (every C file below it) or a patch, applied in memory to the tree at --tree DIR as
sysarg layout applies it.
`;

const OPTIONS: OptionSpec[] = [...FRONT_END_OPTIONS, { name: 'json' }, { name: 'tree', value: true }];

export function flagsCommand(argv: string[], io: CliIo): number {
  const args = parseCommand(argv, { options: OPTIONS, help: HELP, positionals: true }, io);
  if (!args) return 0;
  const { options, targets, inputs } = sourcesFrom(args, ['x86_64', 'i386']);
  const result = flagsReport(inputs.cache, inputs.paths, targets, options, inputs);
  io.out(args.flags.has('json') ? `${JSON.stringify(result)}\n` : formatFlagsText(result));
  return 0;
}
