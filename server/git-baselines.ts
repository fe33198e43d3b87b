// The published version of an open file in a trusted workspace: the same path at git's HEAD, read with `git show`.
import { fileAtRef } from '../cli/git-show';
import { SourceCache, type CachedSource } from '../core/c/source-cache';
import { analyzeDocument, type DocumentAnalysis } from '../core/document-analysis';
import type { FrontEndOptions } from '../core/front-end';
import { allFindings } from '../core/new-findings';
import type { TargetName } from '../core/protocol';
import { baselineOf, NOTHING_PUBLISHED, type Baseline } from '../core/published-records';
import type { FileHost, FrontEndDiagnostic } from '../core/source';

/** The file's text at HEAD; null where git has no such file at HEAD (it is new); undefined (no git, no work tree, a timeout). */
export function textAtHead(path: string): string | null | undefined {
  const at = fileAtRef(path, 'HEAD');
  return 'text' in at ? at.text : 'missing' in at ? null : undefined;
}

/** A HEAD text read this long ago is read again (a commit moves HEAD and no file event says so). */
const FRESH_MS = 30_000;

/** Each open file's HEAD text (read again when the file is saved, changes on disk, or the text is old) and its analysis. */
export class GitBaselines {
  private readonly texts = new Map<string, { text: string | null | undefined; at: number }>();
  private cache: SourceCache;
  private readonly analyses = new Map<string, { source: CachedSource; analysis: DocumentAnalysis }>();

  constructor(
    private readonly host: FileHost,
    private readonly read: (path: string) => string | null | undefined = textAtHead,
  ) {
    this.cache = new SourceCache(host);
  }

  /** `path` as HEAD has it, analysed on `targets`; nothing published where git has no such file; undefined where git cannot say. */
  baselineFor(path: string, targets: TargetName[], options: FrontEndOptions): Baseline | undefined {
    const head = this.headAnalysis(path, targets, options);
    return head === null ? NOTHING_PUBLISHED : head && baselineOf(head);
  }

  /**
   * What the rules and the front end found in `path` at HEAD, judged against itself as the open file is against HEAD
   * (sysarg.newOnly leaves these out); none where git has no such file; undefined where git cannot say.
   */
  findingsAtHead(path: string, targets: TargetName[], options: FrontEndOptions): FrontEndDiagnostic[] | undefined {
    const head = this.headAnalysis(path, targets, options);
    return head === null ? [] : head && allFindings(head, this.cache, baselineOf(head));
  }

  /** The analysis of `path` at HEAD (kept while HEAD's text is the same); null: git has no such file; undefined: git cannot say. */
  private headAnalysis(path: string, targets: TargetName[], options: FrontEndOptions): DocumentAnalysis | null | undefined {
    let head = this.texts.get(path);
    if (!head || Date.now() - head.at > FRESH_MS) this.texts.set(path, (head = { text: this.read(path), at: Date.now() }));
    const text = head.text;
    if (text === undefined || text === null) return text;
    const key = `${targets.join()}\0${path}`;
    const source = this.cache.setText(path, text);
    const known = this.analyses.get(key);
    if (known?.source === source) return known.analysis;
    const analysis = analyzeDocument(this.cache, source, targets, options);
    this.analyses.set(key, { source, analysis });
    this.cache.trimIfOver();
    return analysis;
  }

  /** `path` was saved or changed on disk (a commit may have moved HEAD): read it again when next asked. */
  forget(path: string): void {
    this.texts.delete(path);
  }

  /** Settings or files on disk changed: start afresh. */
  reset(): void {
    this.texts.clear();
    this.analyses.clear();
    this.cache = new SourceCache(this.host);
  }
}
