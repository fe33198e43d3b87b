// The published versions `sysarg check` compares with: a patch's preimage, the file at a git ref, older files or trees.
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { SourceCache } from '../core/c/source-cache';
import type { Published } from '../core/check-report';
import { analyzeDocument, type DocumentAnalysis } from '../core/document-analysis';
import type { FrontEndOptions } from '../core/front-end';
import { allFindings } from '../core/new-findings';
import type { TargetName } from '../core/protocol';
import { baselineOf, NOTHING_PUBLISHED, preimageBaseline, publishedRecords, readLock, type Baseline, type PublishedRecord } from '../core/published-records';
import type { FileHost } from '../core/source';
import { UsageError } from './errors';
import { GitTrees } from './git-trees';
import { cFilesBelow } from './node-host';

/** Whether `path` is `dir` or below it. */
function isBelow(path: string, dir: string): boolean {
  const rel = relative(resolve(dir), resolve(path));
  return !rel.startsWith('..') && !isAbsolute(rel);
}

export type BaselineSpec = { kind: 'none' } | { kind: 'git'; ref: string; implied?: boolean } | { kind: 'path'; path: string } | { kind: 'lock'; baseline: Baseline };

/** `none`, `git:REF`, `lock:FILE` (written by sysarg snapshot, read here), or a file or directory. */
export function parseBaseline(spec: string, host: FileHost & { isFile(path: string): boolean }): BaselineSpec {
  if (spec === 'none') return { kind: 'none' };
  if (spec.startsWith('git:')) {
    const ref = spec.slice(4);
    if (!/^[\w./@^~{}-]+$/.test(ref) || ref.startsWith('-')) throw new UsageError(`--baseline ${spec}: not a git ref`);
    return { kind: 'git', ref };
  }
  if (spec.startsWith('lock:')) {
    const text = host.readFile(spec.slice(5));
    if (text === undefined) throw new UsageError(`--baseline ${spec}: cannot read the lock file`);
    try {
      return { kind: 'lock', baseline: readLock(text) };
    } catch (error) {
      throw new UsageError(`--baseline ${spec}: ${(error as Error).message}`);
    }
  }
  if (!host.isFile(spec) && !host.isDirectory?.(spec)) throw new UsageError(`--baseline ${spec}: no such file or directory (none, git:REF, or a file or directory holding the older version)`);
  return { kind: 'path', path: spec };
}

/** An analysed file and the cache it was read in (whose files its rules' constants may read). */
interface Analysed {
  analysis: DocumentAnalysis;
  cache: SourceCache;
}

/** The records of the published version of each input file, from every baseline that has one. */
export class Baselines {
  private readonly cache: SourceCache;
  private shared: PublishedRecord[] | undefined;
  private readonly git = new GitTrees();

  /**
   * `inputs`: the paths the command was given, which say where each file's older copy is in an older tree (see
   * olderText).
   */
  constructor(
    private readonly specs: BaselineSpec[],
    private readonly host: FileHost,
    private readonly targets: TargetName[],
    private readonly options: FrontEndOptions,
    private readonly inputs: readonly string[] = [],
  ) {
    this.cache = new SourceCache(host);
  }

  /**
   * What `path` (`current`: as the run analysed it) is checked against: a preimage's records first, then each
   * --baseline's (none: nothing to compare), and the macros of those read from the same file's earlier text (a
   * preimage, git), which tell new flags from old. A file git has not changed since the ref is its own baseline. With
   * `newOnly`, also what that earlier text had (the preimage, else the first --baseline's: the file at a git ref, or its
   * older copy in a file or tree), judged against the same baseline as the file is (a `fragment` of a patch without its
   * front-end problems).
   */
  publishedFor(path: string, preimage: string | undefined, current: Analysed, newOnly = false, fragment = false): Published {
    const found: PublishedRecord[] = [];
    let macros: Set<string> | undefined;
    // Whether some baseline says what was published of the file: then a record none of them has is new.
    let complete = false;
    // The earlier version: the first one read; null where the file was not there (it had nothing).
    let earlier: Analysed | null | undefined;
    const add = (baseline: Baseline) => {
      found.push(...baseline.records);
      if (baseline.macros) macros = new Set([...(macros ?? []), ...baseline.macros]);
      complete = true;
    };
    const analysed = (text: string) => {
      const analysis = this.analyse(path, text);
      earlier ??= { analysis, cache: this.cache };
      return analysis;
    };
    if (preimage !== undefined) {
      add(preimageBaseline(preimage, analysed));
      earlier ??= null; // a file the patch creates
    }
    for (const spec of this.specs) {
      if (spec.kind === 'path') {
        add({ records: this.fromPaths() });
        const older = newOnly && earlier === undefined ? this.olderText(path, spec.path) : undefined;
        if (older !== undefined) analysed(older);
        else if (newOnly) earlier ??= null; // the older tree has no such file
      }
      if (spec.kind === 'lock') add(spec.baseline);
      if (spec.kind !== 'git') continue;
      const text = this.gitText(path, spec);
      if (text === 'new') {
        add(NOTHING_PUBLISHED);
        earlier ??= null;
      } else if (text === 'same' && preimage === undefined) {
        // Not patched: the run read the file from disk, where it is as the ref has it.
        add(baselineOf(current.analysis));
        earlier ??= current;
      } else if (text !== undefined) {
        // A patched file unchanged on disk since the ref: the disk's text is the ref's.
        add(baselineOf(analysed(text === 'same' ? (this.host.readFile(path) ?? '') : text)));
      }
    }
    // The same struct in two baselines: the first says what was published.
    const seen = new Set<string>();
    const baseline: Baseline = { records: found.filter((r) => !seen.has(r.key) && seen.add(r.key)), macros, complete };
    const had = newOnly && earlier !== undefined ? (earlier ? allFindings(earlier.analysis, earlier.cache, baseline, !fragment) : []) : undefined;
    this.cache.invalidate(path);
    return { baseline, earlier: had };
  }

  /**
   * The file's earlier text, for --new-only on a file read as written (no analysis): a patch's preimage, else the first
   * --baseline's: the file at a git ref, or its older copy in a file or tree (empty where they have no such file: it is
   * new); undefined where there is none (a lock file says what was published, not which findings it had).
   */
  earlierText(path: string, preimage: string | undefined): string | undefined {
    if (preimage !== undefined) return preimage;
    const spec = this.specs.find((s) => s.kind === 'git' || s.kind === 'path');
    if (spec?.kind === 'path') return this.olderText(path, spec.path) ?? '';
    const text = spec?.kind === 'git' ? this.gitText(path, spec) : undefined;
    return text === 'new' ? '' : text === 'same' ? this.host.readFile(path) : text;
  }

  /**
   * The text of `path`'s older copy in the --baseline file or directory `older`: below a directory, the file at the path
   * `path` has below the input directory that named it (its own name, for a file named directly); a file, for the
   * inputs of its name or the only input. Undefined: the older tree has no such file.
   */
  private olderText(path: string, older: string): string | undefined {
    if (!this.cache.isDirectory(older)) return basename(older) === basename(path) || (this.inputs.length === 1 && this.inputs[0] === path) ? this.host.readFile(older) : undefined;
    const named = this.inputDirectories().find((dir) => isBelow(path, dir));
    return this.host.readFile(join(older, named === undefined ? basename(path) : relative(resolve(named), resolve(path))));
  }

  private inputDirs: string[] | undefined;

  /** The input directories, the deepest first (the one that named a file is the deepest it is below); found once. */
  private inputDirectories(): string[] {
    this.inputDirs ??= this.inputs.filter((input) => this.cache.isDirectory(input)).sort((a, b) => resolve(b).length - resolve(a).length);
    return this.inputDirs;
  }

  /**
   * The file at the spec's ref (see GitTrees.at); undefined where the file is in no work tree, or git failed, and the
   * ref was only implied. An explicit ref git cannot read is a usage error.
   */
  private gitText(path: string, spec: Extract<BaselineSpec, { kind: 'git' }>): string | 'same' | 'new' | undefined {
    const at = this.git.at(path, spec.ref);
    if (typeof at === 'string') return at;
    if (spec.implied) return undefined;
    throw new UsageError(`--baseline git:${spec.ref}: ${at ? at.failed : `${path} is not in a git work tree`}`);
  }

  /** `text` analysed as the file at `path` was (its includes resolve as the file's own do; publishedFor forgets it). */
  private analyse(path: string, text: string): DocumentAnalysis {
    return analyzeDocument(this.cache, this.cache.setText(path, text), this.targets, this.options);
  }

  /** Every record the --baseline files and directories define, read once. */
  private fromPaths(): PublishedRecord[] {
    if (this.shared) return this.shared;
    this.shared = [];
    for (const spec of this.specs) {
      if (spec.kind !== 'path') continue;
      const files = this.cache.isDirectory(spec.path) ? cFilesBelow(spec.path) : [spec.path];
      for (const file of files) {
        const source = this.cache.get(file);
        if (source) this.shared.push(...publishedRecords(analyzeDocument(this.cache, source, this.targets, this.options).records));
      }
    }
    return this.shared;
  }
}
