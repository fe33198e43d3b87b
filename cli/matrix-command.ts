// `sysarg matrix [--json] [--struct clone_args|long_clone_arg] [--kernel K]...`: struct versions x kernel models.
import { buildMatrix, DEFAULT_MATRIX_KERNELS } from '../core/sim/matrix';
import { formatMatrix } from '../core/sim/text';
import type { MatrixParams } from '../core/sim/types';
import { parseCommand, optionValue, optionValues, type OptionSpec } from './args';
import { AUTHOR_OPTIONS, simulatorOptions, simulating } from './author-option';
import { UsageError } from './errors';
import type { CliIo } from './io';

const HELP = `usage: sysarg matrix [--json] [--struct clone_args|long_clone_arg] [--kernel K]... [--author FILE]

Compatibility matrix: each userspace struct version (every *_SIZE_VER, then a newer struct with a zero and with a
non-zero tail) against kernel models. clone_args rows call clone3(); long_clone_arg rows call the 2008 RFC's
clone(CLONE_LONGARG). Without --struct both are shown.

  --struct S   clone_args or long_clone_arg
  --kernel K   a column (repeatable): 2.6.24, 2.6.24+longarg-rfc, a release such as 6.1 or 6.9, host
               (default: ${DEFAULT_MATRIX_KERNELS.join(' ')})
  --json       print the matrix as JSON
  --author FILE  add a column for the kernel extended with FILE's struct clone_args / long_clone_arg and flags
                 (FILE may be a patch: applied to the tree at --tree DIR, default .)
`;

const OPTIONS: OptionSpec[] = [{ name: 'json' }, { name: 'struct', value: true }, { name: 'kernel', value: true, repeat: true }, ...AUTHOR_OPTIONS];

export function matrixCommand(argv: string[], io: CliIo): number {
  const args = parseCommand(argv, { options: OPTIONS, help: HELP, positionals: false }, io);
  if (!args) return 0;
  const params: MatrixParams = {};
  const struct = optionValue(args, 'struct');
  if (struct !== undefined) {
    if (struct !== 'clone_args' && struct !== 'long_clone_arg') throw new UsageError(`--struct must be clone_args or long_clone_arg, not '${struct}'`);
    params.struct = struct;
  }
  const kernels = optionValues(args, 'kernel');
  if (kernels.length > 0) params.kernels = kernels;
  const options = simulatorOptions(args);
  const result = simulating(() => buildMatrix(params, options));
  io.out(args.flags.has('json') ? `${JSON.stringify(result, null, 2)}\n` : formatMatrix(result));
  return 0;
}

