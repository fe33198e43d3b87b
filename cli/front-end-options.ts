// The gcc-style options every C-reading command shares: --target, -I, -D, -U, --nostdinc, and --no-kernel-tree.
import { isTargetName } from '../core/abi/targets';
import type { FrontEndOptions } from '../core/front-end';
import { TARGET_NAMES, type TargetName } from '../core/protocol';
import { optionValues, type OptionSpec, type ParsedArgs } from './args';
import { UsageError } from './errors';
import { findCompilerIncludeDir } from './node-host';

export const FRONT_END_OPTIONS: OptionSpec[] = [
  { name: 'target', value: true, repeat: true },
  { name: 'include', short: 'I', value: true, repeat: true },
  { name: 'define', short: 'D', value: true, repeat: true },
  { name: 'undefine', short: 'U', value: true, repeat: true },
  { name: 'nostdinc' },
  { name: 'no-kernel-tree' },
];

/** The targets named by --target (repeated, comma-separated; `all` is every one), else `fallback`. */
export function targetsFrom(args: ParsedArgs, fallback: TargetName[] = ['x86_64']): TargetName[] {
  const named = optionValues(args, 'target')
    .flatMap((t) => t.split(','))
    .flatMap((t) => (t === 'all' ? [...TARGET_NAMES] : [t]));
  for (const t of named) {
    if (!isTargetName(t)) throw new UsageError(`unknown target '${t}' (known: ${TARGET_NAMES.join(', ')}, or all)`);
  }
  const unique = [...new Set(named)] as TargetName[];
  return unique.length > 0 ? unique : fallback;
}

export function frontEndOptionsFrom(args: ParsedArgs): FrontEndOptions {
  for (const d of optionValues(args, 'define')) {
    if (!/^[A-Za-z_]\w*(\(.*\))?(=.*)?$/s.test(d)) throw new UsageError(`-D ${d}: expected NAME or NAME=VALUE`);
  }
  const nostdinc = args.flags.has('nostdinc');
  return {
    includePaths: optionValues(args, 'include'),
    defines: optionValues(args, 'define'),
    undefines: optionValues(args, 'undefine'),
    nostdinc,
    kernelTree: !args.flags.has('no-kernel-tree'),
    compilerIncludeDir: nostdinc ? undefined : findCompilerIncludeDir(),
  };
}
