// One file through the C front end for one target: preprocess, parse, and the layout engine over its declarations.
import { LayoutEngine } from './abi/layout';
import { TARGETS, type Target } from './abi/targets';
import type { ParseResult } from './c/parser';
import { parse } from './c/parser';
import { compileFlagsFor, type CompilationDatabase, type CompileFlags } from './c/compile-commands';
import { systemIncludeDirs, type SystemIncludeOptions } from './c/include-paths';
import { KERNEL_UAPI_DEFINES, kernelArchOf, kernelTreeOf, kernelUapiDirs, selftestsDirs, selftestsSuiteOf } from './c/kernel-tree';
import { preprocess, type ForcedInclude, type PreprocessLimits, type PreprocessResult } from './c/preprocessor';
import type { CachedSource, SourceCache } from './c/source-cache';
import { sameTokenRun } from './c/token';
import { TARGET_NAMES, type TargetName } from './protocol';
import type { FrontEndDiagnostic } from './source';

export interface FrontEndOptions extends SystemIncludeOptions {
  includePaths?: string[];
  /**
   * A file under a Linux source tree's `include/uapi/`, `arch/<arch>/include/uapi/` or selftests includes from the
   * tree's UAPI directories after `includePaths`, with what `make headers_install` does to their text
   * (kernel-tree.ts); false reads it as gcc would with only the options given. Default true.
   */
  kernelTree?: boolean;
  defines?: string[];
  undefines?: string[];
  /**
   * The include directories and macros each file was built with (compile_commands.json): a file with an entry, or a
   * header borrowing one (compileFlagsOf), is read with them after `includePaths` and `defines`, instead of a kernel
   * tree's UAPI directories; with its `-imacros` and `-include` files first, without system directories where it
   * says `-nostdinc`, and on its ABI alone where it is a kernel build's.
   */
  compileCommands?: CompilationDatabase;
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

/** What a unit is preprocessed with besides the target: one array each, as the caches under them key by identity. */
interface UnitOptions {
  includePaths: string[];
  defines?: string[];
  undefines?: string[];
  forcedIncludes?: readonly ForcedInclude[];
  /** No system directories for this unit (its compile command's -nostdinc). */
  nostdinc?: boolean;
}

/** Include paths and defines per cache, options object, tree and target. */
const treeOptions = new WeakMap<SourceCache, WeakMap<FrontEndOptions, Map<string, UnitOptions>>>();

/** Include paths and macros per options object and compile command. */
const compiledOptions = new WeakMap<FrontEndOptions, WeakMap<CompileFlags, UnitOptions>>();

/**
 * `options.includePaths` and `options.defines`: for a file the compilation database has flags for, followed by
 * those; for a UAPI header of a kernel tree, followed by the tree's UAPI directories (for a selftest, after its
 * suite's own directories) and what headers_install would have done to its text (kernel-tree.ts).
 */
function unitOptionsFor(cache: SourceCache, root: CachedSource, target: Target, options: FrontEndOptions): UnitOptions {
  const own = { includePaths: options.includePaths ?? NO_PATHS, defines: options.defines, undefines: options.undefines };
  const compiled = compileFlagsOf(cache, root.file.path, options);
  if (compiled) return compiledUnitOptions(options, compiled);
  if (options.kernelTree === false) return own;
  const isDirectory = (p: string) => cache.isDirectory(p);
  const tree = kernelTreeOf(root.file.path, isDirectory);
  if (tree === undefined) return own;
  let byOptions = treeOptions.get(cache);
  if (!byOptions) treeOptions.set(cache, (byOptions = new WeakMap()));
  let byTree = byOptions.get(options);
  if (!byTree) byOptions.set(options, (byTree = new Map()));
  const suite = selftestsSuiteOf(tree, root.file.path);
  const key = `${tree}\0${target.kernelArch}\0${suite ?? ''}`;
  let unit = byTree.get(key);
  if (!unit) {
    const dirs = suite === undefined ? kernelUapiDirs(tree, target, isDirectory) : selftestsDirs(tree, suite, target, isDirectory);
    unit = { includePaths: [...own.includePaths, ...dirs], defines: [...KERNEL_UAPI_DEFINES, ...(own.defines ?? [])], undefines: own.undefines };
    byTree.set(key, unit);
  }
  return unit;
}

/**
 * The compile command `path` is read with: its entry's, a source file's beside it, else the nearest source file's,
 * except that a kernel tree's UAPI headers and selftests, read as userspace sees them (kernel-tree.ts), borrow none.
 */
function compileFlagsOf(cache: SourceCache, path: string, options: FrontEndOptions): CompileFlags | undefined {
  const db = options.compileCommands;
  if (!db) return undefined;
  const userspace = options.kernelTree !== false && kernelTreeOf(path, (p) => cache.isDirectory(p)) !== undefined;
  return compileFlagsFor(db, path, !userspace);
}

/** The options given, then a compile command's: gcc applies -D and -U in order, so the user's own come last. */
function compiledUnitOptions(options: FrontEndOptions, flags: CompileFlags): UnitOptions {
  let byFlags = compiledOptions.get(options);
  if (!byFlags) compiledOptions.set(options, (byFlags = new WeakMap()));
  let unit = byFlags.get(flags);
  if (!unit) {
    unit = {
      includePaths: [...(options.includePaths ?? NO_PATHS), ...flags.includePaths],
      defines: [...flags.defines, ...(options.defines ?? [])],
      undefines: [...flags.undefines, ...(options.undefines ?? [])],
      forcedIncludes: flags.forcedIncludes,
      nostdinc: flags.nostdinc,
    };
    byFlags.set(flags, unit);
  }
  return unit;
}

/**
 * The targets a file is laid out on: `targets`, except that a file a kernel build's compile command reads is laid
 * out on that command's ABI only, and a UAPI header under a Linux tree's
 * `arch/<arch>/include/uapi/` is laid out on that architecture's ABIs only: those of them asked for, else all of them
 * (arm64's headers on aarch64 when x86_64 and i386 were asked: on x86_64 its `<asm/...>` would be x86's), else none
 * (an architecture Sysarg has no target for: alpha, s390...). `arch` names the architecture when it narrowed them.
 */
export function targetsFor(cache: SourceCache, path: string, targets: readonly TargetName[], options: FrontEndOptions): { targets: TargetName[]; arch?: string } {
  // A kernel build's command reads one configuration, made for one ABI: laid out on another, its structs are not the kernel's.
  const abi = compileFlagsOf(cache, path, options)?.abi;
  if (abi) return { targets: [abi] };
  const arch = options.kernelTree === false ? undefined : kernelArchOf(path, (p) => cache.isDirectory(p));
  if (arch === undefined) return { targets: [...targets] };
  const own = TARGET_NAMES.filter((t) => TARGETS[t].kernelArch === arch);
  const asked = targets.filter((t) => own.includes(t));
  return { targets: asked.length > 0 ? asked : own, arch };
}

/** Which of Sysarg's targets lay out each kernel architecture's headers (for messages). */
export function archTargetsText(): string {
  const byArch = new Map<string, string[]>();
  for (const t of TARGET_NAMES) byArch.set(TARGETS[t].kernelArch, [...(byArch.get(TARGETS[t].kernelArch) ?? []), t]);
  return [...byArch].map(([arch, names]) => `${arch} on ${names.join(', ')}`).join('; ');
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
  const unitOptions = unitOptionsFor(cache, root, target, options);
  const systemIncludePaths = unitOptions.nostdinc ? NO_PATHS : systemDirsFor(cache, target, options);
  const pp = preprocess(root, cache, {
    target,
    includePaths: unitOptions.includePaths,
    systemIncludePaths,
    defines: unitOptions.defines,
    undefines: unitOptions.undefines,
    forcedIncludes: unitOptions.forcedIncludes,
    limits: options.limits,
  });
  const sharing = sibling || more ? { record: more, sibling: sibling && { tokens: sibling.pp.tokens, runs: sibling.decls.rootRuns } } : undefined;
  const decls = sibling && sameTokenRun(sibling.pp.tokens, pp.tokens) ? sibling.decls : parse(pp.tokens, pp.segments, sharing);
  const engine = new LayoutEngine(target, decls);
  return { target, root, pp, decls, engine, diagnostics: pp.diagnostics.concat(decls.diagnostics) };
}
