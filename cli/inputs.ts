// The files a C-reading command reads: files as named, every C file below a named directory, patches applied to --tree.
import { SourceCache } from '../core/c/source-cache';
import type { FrontEndOptions } from '../core/front-end';
import type { TargetName } from '../core/protocol';
import { optionValue, type ParsedArgs } from './args';
import { UsageError } from './errors';
import { frontEndOptionsFrom, targetsFrom } from './front-end-options';
import { cFilesBelow, cliFileHost, unreadablePath } from './node-host';
import { expandPatchInputs } from './patch-inputs';

export type CommandInputs = ReturnType<typeof expandPatchInputs> & { cache: SourceCache };

/** The inputs `positionals` name, read through one cache; a patch stands for its files, patched in the cache. */
export function commandInputs(positionals: string[], tree: string, kernelTree: boolean): CommandInputs {
  if (positionals.length === 0) throw new UsageError('no input files (try --help)');
  const host = cliFileHost();
  const named = positionals.flatMap((path) => {
    if (host.isFile(path)) return [path];
    if (!host.isDirectory?.(path)) throw new UsageError(unreadablePath(path) ?? `${path}: cannot read`);
    const below = cFilesBelow(path);
    if (below.length === 0) throw new UsageError(`${path}: no C files below it`);
    return below;
  });
  if (!host.isDirectory?.(tree)) throw new UsageError(`--tree ${tree}: not a directory`);
  const cache = new SourceCache(host);
  return { ...expandPatchInputs(named, tree, host, cache, kernelTree), cache };
}

/** What a C-reading command's arguments say: the front end's options, the targets (`fallback` if none), the inputs. */
export function sourcesFrom(args: ParsedArgs, fallback: TargetName[]): { options: FrontEndOptions; targets: TargetName[]; inputs: CommandInputs } {
  const options = frontEndOptionsFrom(args);
  const targets = targetsFrom(args, fallback);
  return { options, targets, inputs: commandInputs(args.positionals, optionValue(args, 'tree') ?? '.', options.kernelTree !== false) };
}
