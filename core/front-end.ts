// One file through the C front end for one target: preprocess, parse, and the layout engine over its declarations.
import { LayoutEngine } from './abi/layout';
import { TARGETS, type Target } from './abi/targets';
import type { ParseResult } from './c/parser';
import { parse } from './c/parser';
import { systemIncludeDirs, type SystemIncludeOptions } from './c/include-paths';
import { preprocess, type PreprocessLimits, type PreprocessResult } from './c/preprocessor';
import type { CachedSource, SourceCache } from './c/source-cache';
import { sameTokenRun } from './c/token';
import type { TargetName } from './protocol';
import type { FrontEndDiagnostic } from './source';

export interface FrontEndOptions extends SystemIncludeOptions {
  includePaths?: string[];
  defines?: string[];
  undefines?: string[];
  limits?: Partial<PreprocessLimits>;
}

/** A translation unit on one target. */
export interface TargetUnit {
  target: Target;
  root: CachedSource;
  pp: PreprocessResult;
  decls: ParseResult;
  engine: LayoutEngine;
  diagnostics: FrontEndDiagnostic[];
}

const NO_PATHS: string[] = [];

/**
 * The system include directories per cache, options object and target: the cache keeps what it learnt of the
 * directories for its lifetime, so the list is the same for every unit a batch translates with the same options.
 * (One array for all of them also lets the preprocessor reuse the search list it builds from it.)
 */
const systemDirs = new WeakMap<SourceCache, WeakMap<FrontEndOptions, Map<string, string[]>>>();

function systemDirsFor(cache: SourceCache, target: Target, options: FrontEndOptions): string[] {
  let byOptions = systemDirs.get(cache);
  if (!byOptions) systemDirs.set(cache, (byOptions = new WeakMap()));
  let byTarget = byOptions.get(options);
  if (!byTarget) byOptions.set(options, (byTarget = new Map()));
  let dirs = byTarget.get(target.name);
  if (!dirs) byTarget.set(target.name, (dirs = systemIncludeDirs(target, (p) => cache.isDirectory(p), options)));
  return dirs;
}

/**
 * Translates `root` for one target. When `sibling` (the same file on another target) produced exactly the same
 * tokens, its declarations are reused: the parse does not depend on the target, only the layout does. Otherwise the
 * runs of the root file's own tokens between its includes that read the same as the sibling's replay its
 * declarations; `more` (other targets follow) records this unit's runs for them.
 */
export function translate(
  cache: SourceCache,
  root: CachedSource,
  targetName: TargetName,
  options: FrontEndOptions = {},
  sibling?: TargetUnit,
  more = false,
): TargetUnit {
  const target = TARGETS[targetName];
  const systemIncludePaths = systemDirsFor(cache, target, options);
  const pp = preprocess(root, cache, {
    target,
    includePaths: options.includePaths ?? NO_PATHS,
    systemIncludePaths,
    defines: options.defines,
    undefines: options.undefines,
    limits: options.limits,
  });
  const sharing = sibling || more ? { record: more, sibling: sibling && { tokens: sibling.pp.tokens, runs: sibling.decls.rootRuns } } : undefined;
  const decls = sibling && sameTokenRun(sibling.pp.tokens, pp.tokens) ? sibling.decls : parse(pp.tokens, pp.segments, sharing);
  const engine = new LayoutEngine(target, decls);
  return { target, root, pp, decls, engine, diagnostics: pp.diagnostics.concat(decls.diagnostics) };
}
