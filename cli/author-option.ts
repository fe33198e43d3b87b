// `--author FILE` for simulate and matrix: the header (or .c file, or patch) whose struct and flags extend a kernel model.
import { authorModel } from '../core/author-model';
import { SourceCache } from '../core/c/source-cache';
import { analyzeDocument } from '../core/document-analysis';
import { SimInputError } from '../core/sim/input';
import type { AuthorModel, SimulateOptions } from '../core/sim/types';
import { release } from 'node:os';
import { optionValue, type OptionSpec, type ParsedArgs } from './args';
import { inputErrorsAsUsage, UsageError } from './errors';
import { FRONT_END_OPTIONS, frontEndOptionsFrom } from './front-end-options';
import { nodeFileHost, unreadablePath } from './node-host';
import { expandPatchInputs } from './patch-inputs';

export const AUTHOR_OPTIONS: OptionSpec[] = [
  { name: 'author', value: true },
  { name: 'tree', value: true },
  ...FRONT_END_OPTIONS.filter((o) => o.name !== 'target'),
];

/**
 * The model of --author's file; a patch is applied to the tree at --tree (default .) and the first C file it changes
 * that defines the struct is the model, as patched.
 */
export function authorFrom(args: ParsedArgs): AuthorModel | undefined {
  const path = optionValue(args, 'author');
  if (path === undefined) return undefined;
  const problem = unreadablePath(path);
  if (problem) throw new UsageError(`--author ${problem}`);
  const tree = optionValue(args, 'tree') ?? '.';
  if (!nodeFileHost.isDirectory?.(tree)) throw new UsageError(`--tree ${tree}: not a directory`);
  const cache = new SourceCache(nodeFileHost);
  const options = frontEndOptionsFrom(args);
  for (const file of expandPatchInputs([path], tree, nodeFileHost, cache, options.kernelTree !== false).paths) {
    const root = cache.get(file);
    const model = root && authorModel(analyzeDocument(cache, root, ['x86_64'], options), cache);
    if (model) return model;
  }
  throw new UsageError(`--author ${path}: defines neither struct clone_args nor struct long_clone_arg`);
}

/** Simulator options for a command: the running kernel's release, and the --author model when given. */
export function simulatorOptions(args: ParsedArgs): SimulateOptions {
  const author = authorFrom(args);
  return { hostRelease: release(), ...(author ? { author } : {}) };
}

/** Calls the simulator; its input errors become one-line usage errors. */
export function simulating<T>(compute: () => T): T {
  return inputErrorsAsUsage(compute, (error) => error instanceof SimInputError);
}
