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

/**
 * Translates `root` for one target. When `sibling` (the same file on another target) produced exactly the same
 * tokens, its declarations are reused: the parse does not depend on the target, only the layout does.
 */
export function translate(cache: SourceCache, root: CachedSource, targetName: TargetName, options: FrontEndOptions = {}, sibling?: TargetUnit): TargetUnit {
  const target = TARGETS[targetName];
  const systemIncludePaths = systemIncludeDirs(target, (p) => cache.isDirectory(p), options);
  const pp = preprocess(root, cache, {
    target,
    includePaths: options.includePaths ?? [],
    systemIncludePaths,
    defines: options.defines,
    undefines: options.undefines,
    limits: options.limits,
  });
  const decls = sibling && sameTokenRun(sibling.pp.tokens, pp.tokens) ? sibling.decls : parse(pp.tokens, pp.segments);
  const engine = new LayoutEngine(target, decls);
  return { target, root, pp, decls, engine, diagnostics: pp.diagnostics.concat(decls.diagnostics) };
}
