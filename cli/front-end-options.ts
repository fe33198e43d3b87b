// The gcc-style options every C-reading command shares: --target, -I, -D, -U, --nostdinc, --no-kernel-tree and --compile-commands.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isTargetName } from '../core/abi/targets';
import { COMPILE_COMMANDS_FILE, readCompilationDatabase, type CompilationDatabase } from '../core/c/compile-commands';
import type { FrontEndOptions } from '../core/front-end';
import { TARGET_NAMES, type TargetName } from '../core/protocol';
import { optionValue, optionValues, type OptionSpec, type ParsedArgs } from './args';
import { UsageError } from './errors';
import { findCompilerIncludeDir, unreadablePath } from './node-host';

export const FRONT_END_OPTIONS: OptionSpec[] = [
  { name: 'target', value: true, repeat: true },
  { name: 'include', short: 'I', value: true, repeat: true },
  { name: 'define', short: 'D', value: true, repeat: true },
  { name: 'undefine', short: 'U', value: true, repeat: true },
  { name: 'nostdinc' },
  { name: 'no-kernel-tree' },
  { name: 'compile-commands', value: true },
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
    compileCommands: compileCommandsFrom(optionValue(args, 'compile-commands')),
  };
}

/** The compilation database --compile-commands names (a file, or a directory holding compile_commands.json). */
function compileCommandsFrom(named: string | undefined): CompilationDatabase | undefined {
  if (named === undefined) return undefined;
  const inDirectory = unreadablePath(named)?.endsWith(': is a directory') ? resolve(named, COMPILE_COMMANDS_FILE) : undefined;
  const path = inDirectory ?? resolve(named);
  const why = unreadablePath(path);
  if (why) throw new UsageError(`--compile-commands ${why}`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--compile-commands ${named}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const db = readCompilationDatabase(path, text, process.cwd());
  if ('error' in db) throw new UsageError(`--compile-commands ${named}: ${db.error}`);
  return db;
}
