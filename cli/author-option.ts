// `--author FILE` for simulate and matrix: the header (or .c file) whose struct and flags extend a kernel model.
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

export const AUTHOR_OPTIONS: OptionSpec[] = [{ name: 'author', value: true }, ...FRONT_END_OPTIONS.filter((o) => o.name !== 'target')];

export function authorFrom(args: ParsedArgs): AuthorModel | undefined {
  const path = optionValue(args, 'author');
  if (path === undefined) return undefined;
  const problem = unreadablePath(path);
  if (problem) throw new UsageError(`--author ${problem}`);
  const cache = new SourceCache(nodeFileHost);
  const analysis = analyzeDocument(cache, cache.get(path)!, ['x86_64'], frontEndOptionsFrom(args));
  const model = authorModel(analysis, cache);
  if (!model) throw new UsageError(`--author ${path}: defines neither struct clone_args nor struct long_clone_arg`);
  return model;
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
