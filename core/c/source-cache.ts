// Reads each file once through the host and keeps its tokens, shared by every translation unit and target.
import { SourceFile, type FileHost, type FrontEndDiagnostic } from '../source';
import { builtinHeader, isVirtualPath } from './builtin-headers';
import { MemoStore } from './include-memo';
import type { DefineResult } from './macro';
import { lex, type LexResult } from './lexer';
import { forgetHideSets, TokenFlag, type Token, TokenKind } from './token';

/** Files above this size are not analysed: they are reported instead (kernel headers are far smaller). */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

export interface CachedSource {
  file: SourceFile;
  lexed: LexResult;
  /** Parsed `#define` lines by the offset of their `define` word (one MacroDef object per directive). */
  defines: Map<number, DefineResult>;
  /** The macro of an include guard wrapping the whole file (`#ifndef X ... #endif`), if there is one. */
  guard: string | null;
  /** Every path the cache knows the file by (the one it was read by, its canonical path, other links to it). */
  paths: string[];
}

/**
 * Tokens a cache's include results may hold before it is trimmed: /usr/include/linux's 763 headers on two targets
 * leave 0.5 million; a batch over a kernel tree's .c files passed 8 million (2.5 GB of heap) within 20,000 files.
 */
export const MEMO_TOKEN_BUDGET = 2_000_000;

/** How often a batch checks the budget, in files: counting the include results' tokens is cheap, but not free. */
const TRIM_CHECK_EVERY = 64;

export class SourceCache {
  private readonly byPath = new Map<string, CachedSource | null>();
  /** What including each file produced, per macro state (see include-memo.ts). */
  readonly memos = new MemoStore();
  /** Where `#include` searches ended, by search list, name and starting point (null: not found). */
  readonly resolutions = new Map<string, Map<string, { path: string; dirIndex: number } | null>>();
  private nextId = 1;
  /** Files whose text was given (setText), not read: only the disk's copy can be read again. */
  private readonly buffers = new WeakSet<CachedSource>();

  constructor(private readonly host: FileHost) {}

  /** The file at `path`, lexed; undefined when it cannot be read. A file already read by another path is that one. */
  get(path: string): CachedSource | undefined {
    const known = this.byPath.get(path);
    if (known !== undefined) return known ?? undefined;
    const text = isVirtualPath(path) ? builtinHeader(path) : this.host.readFile(path);
    // Resolved only for files that exist (a failed include probe costs no more than before).
    const canonical = text === undefined || isVirtualPath(path) ? undefined : this.host.realPath?.(path);
    const same = canonical !== undefined && canonical !== path ? this.byPath.get(canonical) : undefined;
    if (same) {
      this.byPath.set(path, same);
      same.paths.push(path);
      return same;
    }
    const entry = text === undefined ? null : this.create(path, text);
    this.byPath.set(path, entry);
    if (entry && canonical !== undefined && canonical !== path) {
      this.byPath.set(canonical, entry);
      entry.paths.push(canonical);
    }
    return entry ?? undefined;
  }

  /** The file's text as get() would read it (a buffer or a patched text first), without lexing or keeping it. */
  text(path: string): string | undefined {
    const known = this.byPath.get(path);
    if (known !== undefined) return known?.file.text;
    return isVirtualPath(path) ? builtinHeader(path) : this.host.readFile(path);
  }

  /**
   * Uses `text` for `path` from now on (an open editor buffer); keeps the cached tokens if nothing changed. A buffer
   * opened by a symbolic link stands for the file it names: includes that reach that file by its own path read the
   * buffer too.
   */
  setText(path: string, text: string): CachedSource {
    const known = this.byPath.get(path);
    if (known && known.file.text === text) return known;
    this.forget(path, known);
    const canonical = isVirtualPath(path) ? undefined : this.host.realPath?.(path);
    const linked = canonical !== undefined && canonical !== path ? canonical : undefined;
    // Unless the buffer's file was already known by both paths, and forgotten by both just now.
    if (linked !== undefined && !known?.paths.includes(linked)) this.forget(linked, this.byPath.get(linked));
    const entry = this.create(path, text);
    this.buffers.add(entry);
    this.byPath.set(path, entry);
    if (linked !== undefined) {
      this.byPath.set(linked, entry);
      entry.paths.push(linked);
    }
    return entry;
  }

  /**
   * The caller is done with `path` as a root file: forget its tokens unless an include result refers to them (a later
   * include reads it again). Keeps a batch over many files from holding every root file's tokens to the end. A text
   * given by setText (a patched file) is kept: a later include of it must read that text, not the disk's.
   */
  release(path: string): void {
    const known = this.byPath.get(path);
    if (known && (this.memos.paths.has(known.file.path) || this.buffers.has(known))) return;
    for (const p of known?.paths ?? [path]) this.byPath.delete(p);
  }

  private filesDone = 0;

  /**
   * What a batch does when it is done with a root file: releases it, and every TRIM_CHECK_EVERY files trims the cache
   * if its include results hold more than `budget` tokens. Without it a batch over a kernel tree's files keeps every
   * header's include results, in every macro state, to the end (`check` over 6.1's tree: 1.2–1.9 GB).
   */
  doneWith(path: string, budget = MEMO_TOKEN_BUDGET): void {
    this.release(path);
    if (++this.filesDone % TRIM_CHECK_EVERY === 0) this.trimIfOver(budget);
  }

  private readonly shownPaths = new WeakMap<SourceFile, string>();

  /**
   * The path `file` is shown by. The cache shares a file read by several paths (symbolic links: /usr/include/sys/
   * holds links into the multiarch directory, and i386 reaches its headers through them) under the path that read it
   * first, which depends on what was read before; a file first read through a link is shown by the path the link
   * names, as it is when read by that path first.
   */
  displayPath(file: SourceFile): string {
    let shown = this.shownPaths.get(file);
    if (shown === undefined) {
      const real = isVirtualPath(file.path) ? undefined : this.host.realPath?.(file.path);
      // A relative path is no link for naming's sake: its real path is the same one made absolute.
      const same = real === undefined || real === file.path || real.endsWith(`/${file.path.replace(/^(\.\/)+/, '')}`);
      shown = same ? file.path : real;
      this.shownPaths.set(file, shown);
    }
    return shown;
  }

  /** How many tokens the include results hold: what grows with the headers a batch has read, in every macro state. */
  memoTokens(): number {
    return this.memos.tokens;
  }

  /**
   * Forgets every include result and every file not given by setText: the parse memos keyed on them go with them.
   * What a batch over a whole source tree does when the cache has outgrown its budget (a kernel tree's .c files
   * include hundreds of headers each, in as many macro states); the answers after are the same, made again.
   */
  trim(): void {
    this.memos.clear();
    for (const [path, entry] of this.byPath) if (!entry || !this.buffers.has(entry)) this.byPath.delete(path);
    // The include results held most of the hide sets made so far; the tables that intern them are let go with them.
    forgetHideSets();
  }

  /** Trims the cache when its include results hold more than `budget` tokens. */
  trimIfOver(budget = MEMO_TOKEN_BUDGET): void {
    if (this.memoTokens() > budget) this.trim();
  }

  /** Forgets `path` (changed on disk, or a buffer closed) and every remembered include result. */
  invalidate(path: string): void {
    this.forget(path, this.byPath.get(path));
  }

  /** Forgets the file at `path` by every path it is known by, and what was derived from it. */
  private forget(path: string, known: CachedSource | null | undefined): void {
    const paths = known ? known.paths : [path];
    for (const p of paths) this.byPath.delete(p);
    for (const p of paths) this.changed(p, !known);
    if (!paths.includes(path)) this.changed(path, !known);
  }

  /** Forgets what was derived from `path`: include results that read it, and failed searches if it is new. */
  private changed(path: string, isNew: boolean): void {
    // A new file can be what a search for its name now finds (where nothing, or a file later in the list, was found).
    const base = path.slice(path.lastIndexOf('/') + 1);
    const findsIt = (name: string) => name === base || name.endsWith('/' + base);
    this.memos.retain((e) => !e.sources.some((src) => src.file.path === path) && !(isNew && e.queries.some((q) => findsIt(q.name))));
    if (isNew) for (const answers of this.resolutions.values()) for (const key of answers.keys()) if (findsIt(key.slice(0, key.indexOf('\0')))) answers.delete(key);
  }

  private readonly directories = new Map<string, boolean>();

  isDirectory(path: string): boolean {
    if (isVirtualPath(path)) return true;
    let known = this.directories.get(path);
    if (known === undefined) {
      known = this.host.isDirectory ? this.host.isDirectory(path) : true;
      this.directories.set(path, known);
    }
    return known;
  }

  private create(path: string, text: string): CachedSource {
    const file = new SourceFile(path, text, this.nextId++);
    const problem = unreadableReason(text);
    if (problem) {
      const diagnostic: FrontEndDiagnostic = { span: { file, start: 0, end: 0 }, severity: 'error', message: problem, code: 'unreadable-file' };
      return { file, lexed: { tokens: [], directives: [], defineBodies: new Map(), comments: [], diagnostics: [diagnostic] }, guard: null, defines: new Map(), paths: [path] };
    }
    const lexed = lex(file);
    const paths = [path];
    return { file, lexed, guard: findIncludeGuard(lexed), defines: new Map(), paths };
  }
}

/** Why the file was not read as C (binary, too large), or undefined: the reason create() gave it. */
export function unreadable(source: CachedSource): string | undefined {
  return source.lexed.diagnostics.find((d) => d.code === 'unreadable-file')?.message;
}

/** Why a text is not read as C (binary, too large), or undefined. */
export function unreadableReason(text: string): string | undefined {
  if (text.length > MAX_FILE_BYTES) {
    const mb = (text.length / (1024 * 1024)).toFixed(1);
    return `file is ${mb} MB: Sysarg analyses files up to ${MAX_FILE_BYTES / (1024 * 1024)} MB, this one is skipped`;
  }
  const probe = text.length > 65536 ? text.slice(0, 65536) : text;
  if (probe.includes('\0')) return 'binary file (it contains NUL bytes): not C text, skipped';
  return undefined;
}

/** Detects `#ifndef X` (or `#if !defined(X)`) as the first directive whose `#endif` is the file's last token line. */
function findIncludeGuard({ tokens, directives }: LexResult): string | null {
  if (tokens.length < 4 || directives[0] !== 0) return null;
  let guard: string | null = null;
  if (tokens[1].text === 'ifndef' && tokens[2].kind === TokenKind.Identifier) guard = tokens[2].text;
  else if (tokens[1].text === 'if' && tokens[2].text === '!' && tokens[3].text === 'defined') {
    const name = tokens[4]?.text === '(' ? tokens[5] : tokens[4];
    if (name && name.kind === TokenKind.Identifier) guard = name.text;
  }
  if (!guard) return null;
  let depth = 0;
  for (const i of directives) {
    const name = tokens[i + 1]?.text;
    if (name === 'if' || name === 'ifdef' || name === 'ifndef') depth++;
    else if (name === 'endif') {
      depth--;
      if (depth === 0) return restIsBlankLine(tokens, i + 2) ? guard : null;
    } else if (depth === 1 && (name === 'else' || name === 'elif' || name === 'elifdef' || name === 'elifndef')) {
      return null;
    }
  }
  return null;
}

function restIsBlankLine(tokens: Token[], from: number): boolean {
  for (let i = from; i < tokens.length; i++) if (tokens[i].flags & TokenFlag.BOL) return false;
  return true;
}
