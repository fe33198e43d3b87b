// `--author FILE` for simulate and matrix: the header (or .c file) whose struct and flags extend a kernel model.
import { authorModel } from '../core/author-model';
import { SourceCache } from '../core/c/source-cache';
import { analyzeDocument } from '../core/document-analysis';
import type { AuthorModel } from '../core/sim/types';
import { optionValue, type OptionSpec, type ParsedArgs } from './args';
import { UsageError } from './errors';
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
