// The C preprocessor: directives, conditional inclusion, #include search and macro expansion with hide sets.
import type { Target } from '../abi/targets';
import { predefinedMacros } from '../abi/targets';
import { appendAll } from '../append';
import { emptyList } from '../empty';
import type { FrontEndDiagnostic, Severity, SourceFile } from '../source';
import { dirname, joinPath, normalizePath } from './include-paths';
import { lexSnippet, strayMessage } from './lexer';
import { MAX_NESTING } from './nesting';
import type { HeaderSegment } from './parser';
import { IncludeMemo, type IncludeAnswer, type IncludeQuery, type MemoEntry } from './include-memo';
import { macroBody, macrosFromText, parseDefine, sameDefinition, type MacroDef } from './macro';
import { MacroTable } from './macro-table';
import { evaluatePPExpression, PPExpressionError } from './pp-expression';
import type { CachedSource, SourceCache } from './source-cache';
import { TokenFlag, hideSetAdd, hideSetHolds, hideSetIntersect, hideSetUnion, Token, TokenKind, type HideSet } from './token';

export interface PreprocessLimits {
  /** Nested #include depth (gcc's is 200): stops include cycles without guards. */
  includeDepth: number;
  /** Tokens one top-level macro invocation may produce: stops macro bombs. */
  expansionTokens: number;
  /** Tokens a translation unit may produce in all. */
  outputTokens: number;
  /**
   * #include directives a translation unit may carry out, entered or replayed: stops include bombs (a file that
   * includes itself twice or more without a guard is exponential up to the depth limit, in gcc too). The largest
   * unit in /usr/include carries out ~450.
   */
  includes: number;
}

export const DEFAULT_LIMITS: Readonly<PreprocessLimits> = { includeDepth: 200, expansionTokens: 250_000, outputTokens: 2_000_000, includes: 20_000 };

export interface PreprocessOptions {
  target: Target;
  /** -I directories, searched for "" and <> includes before the system ones. */
  includePaths: string[];
  /** System directories (see systemIncludeDirs). */
  systemIncludePaths: string[];
  /** -D NAME[=VALUE] */
  defines?: string[];
  /** -U NAME */
  undefines?: string[];
  /** `-imacros FILE` and `-include FILE`, in the order gcc reads them: before the root file's first line. */
  forcedIncludes?: readonly ForcedInclude[];
  limits?: Partial<PreprocessLimits>;
}

/**
 * A compile command's `-include FILE` or `-imacros FILE`: gcc reads `path` (FILE from the command's directory) if it
 * is there, else searches `name` as for `#include <...>` (the search list lumps -iquote in with -I, see flagsFrom).
 */
export interface ForcedInclude {
  path: string;
  name: string;
  /** `-imacros FILE`: its macros are kept, what it produces is not. */
  macrosOnly?: boolean;
}

export interface IncludeRecord {
  from: SourceFile;
  start: number;
  end: number;
  name: string;
  path: string | null;
}

export interface PreprocessResult {
  /** Output tokens for the parser, ending with an Eof token. */
  tokens: Token[];
  /** Macro table at the end of the translation unit. */
  macros: MacroTable;
  /** Every `#define` of the root file processed in active code, in order. */
  definitions: MacroDef[];
  includes: IncludeRecord[];
  /** Every file read, root first (for comments and positions). */
  sources: CachedSource[];
  /**
   * Token runs that one #include produced (at any depth, so a header parses once however it was reached), sorted by
   * start and, for the same start, outermost first: the parser's memo keys.
   */
  segments: HeaderSegment[];
  diagnostics: FrontEndDiagnostic[];
}

interface CondFrame {
  parentActive: boolean;
  taken: boolean;
  active: boolean;
  sawElse: boolean;
  token: Token;
}

interface FileFrame {
  source: CachedSource;
  /** A memo recording began when this file was entered. */
  recording: boolean;
  /** Output length when the file was entered. */
  outStart: number;
  /** Segments already found when the file was entered (the later ones lie inside it). */
  segmentMark: number;
  tokens: Token[];
  pos: number;
  /** Index in the search list where the file was found (for #include_next); -1 otherwise. */
  dirIndex: number;
  conds: CondFrame[];
}

class ExpansionLimit extends Error {}

const NO_TOKENS: Token[] = [];

/**
 * A token as written, for `#`: a digraph keeps its spelling (`<:`, not `[`), and so does a UCN in a name, as gcc keeps
 * them; only line splices go. Tokens of a macro expansion are spelled by their text.
 */
function spelling(t: Token): string {
  return t.origin === null && t.end - t.start !== t.text.length ? t.file.text.slice(t.start, t.end).replace(/\\\r?\n/g, '') : t.text;
}


const searchLists = new WeakMap<string[], WeakMap<string[], { dirs: string[]; key: string }>>();

/** searchList and its key, once per pair of arrays (a batch passes the same two to every unit). */
function searchListOf(includePaths: string[], systemIncludePaths: string[]): { dirs: string[]; key: string } {
  let bySystem = searchLists.get(includePaths);
  if (!bySystem) searchLists.set(includePaths, (bySystem = new WeakMap()));
  let list = bySystem.get(systemIncludePaths);
  if (!list) {
    const dirs = searchList(includePaths, systemIncludePaths);
    bySystem.set(systemIncludePaths, (list = { dirs, key: dirs.join('\n') }));
  }
  return list;
}

/**
 * The directories #include searches, in order, as gcc builds the list: a directory named twice is searched once
 * (at its first place), and a -I directory that is also a system directory is searched as the system one.
 */
function searchList(includePaths: string[], systemIncludePaths: string[]): string[] {
  const system = new Set(systemIncludePaths.map(normalizePath));
  const seen = new Set<string>();
  const dirs: string[] = [];
  const add = (dir: string): void => {
    const normal = normalizePath(dir);
    if (seen.has(normal)) return;
    seen.add(normal);
    dirs.push(dir);
  };
  for (const dir of includePaths) if (!system.has(normalizePath(dir))) add(dir);
  for (const dir of systemIncludePaths) add(dir);
  return dirs;
}

const KNOWN_ATTRIBUTES = new Set([
  'aligned', 'packed', 'unused', 'used', 'deprecated', 'noreturn', 'always_inline', 'noinline', 'const', 'pure',
  'format', 'section', 'visibility', 'weak', 'alias', 'nonnull', 'warn_unused_result', 'may_alias', 'mode',
  'vector_size', 'fallthrough', 'designated_init', 'counted_by', 'nonstring', 'cold', 'hot', 'malloc',
]);

const predefinedCache = new Map<string, MacroDef[]>();
const commandLineCache = new Map<string, MacroDef[]>();

const BUILTINS: MacroDef[] = (
  [
    ['__LINE__', 'line'],
    ['__FILE__', 'file'],
    ['__COUNTER__', 'counter'],
    ['__INCLUDE_LEVEL__', 'include-level'],
    ['__BASE_FILE__', 'base-file'],
  ] as const
).map(([name, builtin]) => ({ name, params: null, variadic: false, tokens: [], bodyStart: 0, bodyEnd: 0, file: null, start: 0, end: 0, builtin }));

const initialCache = new Map<string, Map<string, MacroDef>>();

/** The macro table a translation unit starts with: predefined, built-in, -D and -U (shared objects, copied per unit). */
function initialMacros(options: PreprocessOptions): Map<string, MacroDef> {
  const key = `${options.target.name}\0${(options.defines ?? []).join('\0')}\0\0${(options.undefines ?? []).join('\0')}`;
  let table = initialCache.get(key);
  if (!table) {
    table = new Map();
    for (const m of predefinedFor(options.target)) table.set(m.name, m);
    for (const m of BUILTINS) table.set(m.name, m);
    for (const m of commandLineMacros(options.defines ?? [])) table.set(m.name, m);
    for (const name of options.undefines ?? []) table.delete(name);
    if (initialCache.size > 64) initialCache.clear();
    initialCache.set(key, table);
  }
  return table;
}

/** -D macros, the same objects for the same command line (memo entries compare definitions by identity). */
function commandLineMacros(defines: string[]): MacroDef[] {
  const key = defines.join('\0');
  let defs = commandLineCache.get(key);
  if (!defs) {
    defs = macrosFromText(defines, '<command line>', true);
    if (commandLineCache.size > 64) commandLineCache.clear();
    commandLineCache.set(key, defs);
  }
  return defs;
}

function predefinedFor(target: Target): MacroDef[] {
  let defs = predefinedCache.get(target.name);
  if (!defs) {
    defs = macrosFromText(predefinedMacros(target), `<predefined ${target.name}>`, false);
    predefinedCache.set(target.name, defs);
  }
  return defs;
}

export function preprocess(root: CachedSource, cache: SourceCache, options: PreprocessOptions): PreprocessResult {
  const result = new Preprocessor(cache, options).run(root);
  // Here, not at the end of `run`: called there, V8 inlined it into the main loop's function, which then had less of
  // its inlining budget (the CLI's --max-inlined-bytecode-size-cumulative) for the loop's own calls, and a run
  // allocated twice as much (docs/performance.md, session 25).
  result.diagnostics = firstStrays(result.diagnostics);
  return result;
}

/** Fully expands `tokens` with a given macro table (e.g. a macro's body with the table at the end of the file). */
export function expandWithMacros(tokens: Token[], macros: MacroTable, cache: SourceCache, target: Target): Token[] {
  const pp = new Preprocessor(cache, { target, includePaths: [], systemIncludePaths: [] }, macros);
  return pp.expandAlone(tokens);
}

class Preprocessor {
  private readonly macros: MacroTable;
  private readonly definitions: MacroDef[] = [];
  private readonly includes: IncludeRecord[] = [];
  private readonly diagnostics: FrontEndDiagnostic[] = [];
  /** Lexer problems of every file read, reported once per translation unit. */
  private readonly lexDiagnostics: FrontEndDiagnostic[] = [];
  private readonly memo: IncludeMemo;
  /** > 0 while a function-like macro looks ahead for its `(` or reads its arguments. */
  private peekDepth = 0;
  private readonly sources: CachedSource[] = [];
  private readonly segments: HeaderSegment[] = [];
  private readonly seenSources = new Set<string>();
  private readonly once = new Set<string>();
  private readonly out: Token[] = [];
  private readonly frames: FileFrame[] = [];
  private readonly searchDirs: string[];
  private readonly searchKey: string;
  /** Where searches with this unit's list ended (shared by every unit with the same list), by name, local dir and start. */
  private readonly answers: Map<string, { path: string; dirIndex: number } | null>;
  private readonly limits: Readonly<PreprocessLimits>;
  /** Tokens waiting to be read again (expansion results), the next one last. */
  private pending: Token[] = [];
  /** False while an argument is expanded on its own: reading stops at its end. */
  private readFromFile = true;
  private expansionCount = 0;
  private counter = 0;
  private eof!: Token;
  private stopped = false;
  /** Stray characters said so far, by file. */
  private readonly strays = new Map<SourceFile, number>();
  /** `-imacros` and `-include` files not read yet: each is entered when the one before it has been left. */
  private forced: ForcedInclude[] = [];
  /** Where the output stood when an `-imacros` file was entered: what it produced is dropped when it is left. */
  private macrosOnly: { out: number; segments: number } | undefined;

  constructor(
    private readonly cache: SourceCache,
    private readonly options: PreprocessOptions,
    macros?: MacroTable,
  ) {
    const list = searchListOf(options.includePaths, options.systemIncludePaths);
    this.searchDirs = list.dirs;
    this.searchKey = list.key;
    let answers = cache.resolutions.get(this.searchKey);
    if (!answers) {
      answers = new Map();
      cache.resolutions.set(this.searchKey, answers);
    }
    this.answers = answers;
    this.limits = options.limits ? { ...DEFAULT_LIMITS, ...options.limits } : DEFAULT_LIMITS;
    this.macros = macros ?? new MacroTable(initialMacros(options));
    this.memo = new IncludeMemo(cache.memos, this.searchKey);
  }

  run(root: CachedSource): PreprocessResult {
    const rootLen = root.file.text.length;
    this.eof = new Token(TokenKind.Eof, '', root.file, rootLen, rootLen, TokenFlag.BOL);
    if (this.options.forcedIncludes?.length) {
      // The unit no longer starts in the state another unit's #include of the root was recorded in.
      this.enterFile(root, -1, false);
      this.forced = [...this.options.forcedIncludes];
      this.enterForcedIncludes();
    } else if (!this.replayRoot(root)) this.enterFile(root, -1, false);
    for (;;) {
      let t: Token;
      try {
        t = this.next();
        if (t.kind === TokenKind.Eof) break;
        if (t.kind === TokenKind.Identifier) {
          if (this.tryExpand(t)) continue;
          // Its lookahead reads on like a macro's arguments, through directives (`#include BOMB` too).
          if (t.text === '_Pragma' && this.pragmaOperator(t)) continue;
        } else if (t.kind === TokenKind.Other) this.reportStray(t);
      } catch (error) {
        if (!(error instanceof ExpansionLimit)) throw error;
        this.memo.poisonAll();
        this.pending = [];
        this.readFromFile = true;
        this.peekDepth = 0;
        continue;
      }
      this.out.push(t);
      // Only the output limit can be passed here (#includes are counted where they are carried out).
      if (this.out.length > this.limits.outputTokens && this.overLimits(t)) break;
    }
    this.out.push(this.eof);
    this.segments.sort((a, b) => a.start - b.start || b.end - a.end);
    return {
      tokens: this.out,
      macros: this.macros,
      definitions: this.definitions,
      includes: this.includes,
      sources: this.sources,
      segments: this.segments,
      diagnostics: this.lexDiagnostics.concat(this.diagnostics),
    };
  }

  /** A token that is no C token has reached the program: said a few times per file (a binary file has thousands). */
  private reportStray(t: Token): void {
    const file = t.written.file;
    const reported = this.strays.get(file) ?? 0;
    if (reported >= MAX_STRAY_REPORTS) return;
    this.strays.set(file, reported + 1);
    this.report(t, strayMessage(t.text), 'stray-character');
  }

  /** Whether the unit has grown past a limit; if so, says so at `at` and stops it (the rest is not analysed). */
  private overLimits(at: Token): boolean {
    if (this.stopped) return true;
    let message: string | undefined;
    let code = 'too-large';
    if (this.out.length > this.limits.outputTokens) message = `translation unit exceeds ${this.limits.outputTokens} tokens; the rest is not analysed`;
    else if (this.includes.length > this.limits.includes) {
      message = `translation unit carries out more than ${this.limits.includes} #includes (an include bomb?); the rest is not analysed`;
      code = 'include-limit';
    }
    if (message === undefined) return false;
    this.report(at, message, code);
    this.memo.poisonAll();
    this.pending = [];
    this.stopped = true;
    return true;
  }

  /** Expands a token list on its own, outside any file (errors from limits give an empty result). */
  expandAlone(tokens: Token[]): Token[] {
    const first = tokens[0];
    if (!first) return [];
    this.eof = new Token(TokenKind.Eof, '', first.file, first.end, first.end, TokenFlag.BOL);
    try {
      return this.expandList(tokens);
    } catch (error) {
      if (error instanceof ExpansionLimit) return [];
      throw error;
    }
  }

  // ---- reading -------------------------------------------------------------------------------------------

  private next(): Token {
    const pending = this.pending;
    if (pending.length > 0) return pending.pop() as Token;
    if (!this.readFromFile) return this.eof;
    this.expansionCount = 0;
    return this.nextFromFile();
  }

  private nextFromFile(): Token {
    for (;;) {
      const frame = this.frames.length > 0 ? this.frames[this.frames.length - 1] : undefined;
      if (!frame || this.stopped) return this.eof;
      if (frame.pos >= frame.tokens.length) {
        this.leaveFile(frame);
        if ((this.forced.length > 0 || this.macrosOnly) && this.frames.length === 1) this.enterForcedIncludes();
        continue;
      }
      const t = frame.tokens[frame.pos];
      if (t.flags & TokenFlag.BOL && t.kind === TokenKind.Punct && t.text === '#') {
        this.directive(frame);
        continue;
      }
      if (frame.conds.length > 0 && !frame.conds[frame.conds.length - 1].active) {
        this.skipToDirective(frame);
        continue;
      }
      frame.pos++;
      return t;
    }
  }

  private skipToDirective(frame: FileFrame): void {
    const tokens = frame.tokens;
    let i = frame.pos + 1;
    while (i < tokens.length && !(tokens[i].flags & TokenFlag.BOL && tokens[i].text === '#' && tokens[i].kind === TokenKind.Punct)) i++;
    frame.pos = i;
  }

  private enterFile(source: CachedSource, dirIndex: number, record: boolean): void {
    this.noteSource(source);
    if (record) {
      const marks = { tokens: this.out.length, diagnostics: this.diagnostics.length, includes: this.includes.length };
      this.memo.begin(source, this.searchDir(dirIndex), marks, this.frames.length + 1);
    }
    this.frames.push({ source, recording: record, outStart: this.out.length, segmentMark: this.segments.length, tokens: source.lexed.tokens, pos: 0, dirIndex, conds: emptyList() });
  }

  private noteSource(source: CachedSource): void {
    if (this.seenSources.has(source.file.path)) return;
    this.seenSources.add(source.file.path);
    this.sources.push(source);
    appendAll(this.lexDiagnostics, source.lexed.diagnostics);
  }

  private leaveFile(frame: FileFrame): void {
    for (const open of frame.conds) this.report(open.token, `unterminated #${open.token.text}: no matching #endif in this file`, 'unterminated-conditional');
    this.frames.pop();
    if (!frame.recording) return;
    // A macro still collecting its `(` or arguments past the end of the file: what the file produced depends on what follows.
    if (this.peekDepth > 0) this.memo.poisonTop();
    const start = frame.outStart;
    const entry = this.memo.end({ tokens: this.out, diagnostics: this.diagnostics, includes: this.includes });
    if (!entry) return;
    entry.segments = this.segments.slice(frame.segmentMark).map((s) => ({ start: s.start - start, end: s.end - start, key: s.key }));
    this.segments.push({ start, end: this.out.length, key: entry });
  }

  /**
   * A root file that an earlier unit included in the same macro state is that include's memo entry: replaying it is
   * the whole unit (and the parser replays the header's parse memo for it). Of the 763 headers of /usr/include/linux,
   * 77 are included by a header that comes before them. A root that includes itself is preprocessed: its own
   * #defines could not be told from its nested copy's.
   */
  private replayRoot(root: CachedSource): boolean {
    const entry = this.memo.find(root.file.path, '', this.macros, this.once, this.answer);
    if (!entry || entry.depth >= this.limits.includeDepth || entry.includes.some((i) => i.path === root.file.path)) return false;
    this.replay(entry);
    for (const { def } of entry.effects) if (def && def.file === root.file) this.definitions.push(def);
    return true;
  }

  /** Applies a memo entry as if the file had been preprocessed here. */
  private replay(entry: MemoEntry): void {
    const start = this.out.length;
    for (const { name, def } of entry.effects) {
      if (def) this.macros.set(name, def);
      else this.macros.delete(name);
    }
    for (const path of entry.onceAdded) this.once.add(path);
    appendAll(this.out, entry.tokens);
    appendAll(this.diagnostics, entry.diagnostics);
    appendAll(this.includes, entry.includes as IncludeRecord[]);
    for (const source of entry.sources) this.noteSource(source);
    this.memo.replayed(entry, this.frames.length + 1);
    this.segments.push({ start, end: this.out.length, key: entry });
    for (const s of entry.segments) this.segments.push({ start: start + s.start, end: start + s.end, key: s.key });
  }

  // ---- directives ----------------------------------------------------------------------------------------

  private directive(frame: FileFrame): void {
    const tokens = frame.tokens;
    const hash = tokens[frame.pos];
    const first = frame.pos + 1;
    let end = first;
    while (end < tokens.length && !(tokens[end].flags & TokenFlag.BOL)) end++;
    frame.pos = end;
    if (first >= end) return;
    const nameTok = tokens[first];
    const name = nameTok.text;
    // Sliced only when used: most directives sit in skipped regions and need nothing but their name, and most
    // #defines were parsed before (no closure either: one per directive was a measured share of all allocation).
    const active = frame.conds.length === 0 || frame.conds[frame.conds.length - 1].active;
    switch (name) {
      case 'if':
      case 'ifdef':
      case 'ifndef':
        this.openConditional(frame, name, nameTok, active ? tokens.slice(first + 1, end) : NO_TOKENS, active);
        return;
      case 'elif':
      case 'elifdef':
      case 'elifndef':
      case 'else':
        this.switchConditional(frame, name, nameTok, tokens, first + 1, end);
        return;
      case 'endif':
        if (frame.conds.length === 0) this.report(nameTok, '#endif without #if', 'unbalanced-conditional');
        else frame.conds.pop();
        return;
    }
    if (!active) return;
    if (name === 'define') return this.define(frame.source, tokens, first + 1, end, nameTok);
    const args = tokens.slice(first + 1, end);
    switch (name) {
      case 'undef':
        if (args[0]?.kind === TokenKind.Identifier) {
          this.macros.delete(args[0].text);
          this.memo.change(args[0].text, undefined);
        }
        else this.report(nameTok, 'macro name missing after #undef', 'bad-directive');
        return;
      case 'include':
      case 'include_next':
      case 'import':
        return this.include(frame, hash, nameTok, args, name === 'include_next');
      case 'pragma':
        return this.pragma(frame, nameTok, args);
      case 'error':
      case 'warning':
        this.report(nameTok, `#${name} ${args.map((a) => a.text).join(' ')}`, 'user-' + name, name === 'error' ? 'error' : 'warning');
        return;
      case 'line':
      case 'ident':
      case 'sccs':
      case 'assert':
      case 'unassert':
        return;
    }
    if (nameTok.kind === TokenKind.Number) return; // `# 33 "file"` line markers
    this.report(nameTok, `invalid preprocessing directive #${name}`, 'bad-directive');
  }

  private openConditional(frame: FileFrame, kind: string, token: Token, args: Token[], parentActive: boolean): void {
    let active = false;
    if (parentActive) active = this.condition(kind, token, args);
    frame.conds.push({ parentActive, taken: active, active, sawElse: false, token });
  }

  /** `#elif`/`#else` and the like; the condition is `line` from `from` to `end`. */
  private switchConditional(frame: FileFrame, kind: string, token: Token, line: Token[], from: number, end: number): void {
    const top = frame.conds[frame.conds.length - 1];
    if (!top) {
      this.report(token, `#${kind} without #if`, 'unbalanced-conditional');
      return;
    }
    if (top.sawElse) {
      this.report(token, `#${kind} after #else`, 'unbalanced-conditional');
      return;
    }
    if (kind === 'else') {
      top.sawElse = true;
      top.active = top.parentActive && !top.taken;
    } else {
      const cond = kind === 'elif' ? 'if' : kind === 'elifdef' ? 'ifdef' : 'ifndef';
      top.active = top.parentActive && !top.taken && this.condition(cond, token, line.slice(from, end));
    }
    if (top.active) top.taken = true;
  }

  private condition(kind: string, token: Token, args: Token[]): boolean {
    if (kind !== 'if') {
      const name = args[0];
      if (!name || name.kind !== TokenKind.Identifier) {
        this.report(token, `macro name missing after #${kind}`, 'bad-directive');
        return false;
      }
      const def = this.macros.get(name.text);
      this.memo.lookup(name.text, def);
      return (def !== undefined) === (kind === 'ifdef');
    }
    try {
      const expanded = this.expandCondition(args);
      return evaluatePPExpression(expanded, this.options.target.charSigned) !== 0n;
    } catch (error) {
      if (error instanceof PPExpressionError) {
        this.report(error.token?.written ?? token, error.message, 'bad-if-expression');
        return false;
      }
      if (error instanceof ExpansionLimit) {
        this.memo.poisonAll();
        return false;
      }
      throw error;
    }
  }

  /** Replaces defined/__has_* operators, expands macros, and does the operators again (macros may produce them). */
  private expandCondition(args: Token[]): Token[] {
    return this.replaceOperators(this.expandList(this.replaceOperators(args)));
  }

  private replaceOperators(tokens: Token[]): Token[] {
    const out: Token[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      if (t.kind !== TokenKind.Identifier) {
        out.push(t);
        continue;
      }
      if (t.text === 'defined') {
        let j = i + 1;
        const paren = tokens[j]?.is('(');
        if (paren) j++;
        const name = tokens[j];
        if (!name || name.kind !== TokenKind.Identifier) throw new PPExpressionError("operator 'defined' requires an identifier", t);
        if (paren && !tokens[j + 1]?.is(')')) throw new PPExpressionError("missing ')' after 'defined'", name);
        const def = this.macros.get(name.text);
        this.memo.lookup(name.text, def);
        out.push(this.number(t, def ? '1' : '0'));
        i = paren ? j + 1 : j;
        continue;
      }
      if (t.text.startsWith('__has_') && tokens[i + 1]?.is('(')) {
        let j = i + 2;
        let depth = 1;
        while (j < tokens.length && depth > 0) {
          if (tokens[j].is('(')) depth++;
          else if (tokens[j].is(')')) depth--;
          j++;
        }
        out.push(this.number(t, this.hasOperator(t.text, tokens.slice(i + 2, j - 1)) ? '1' : '0'));
        i = j - 1;
        continue;
      }
      out.push(t);
    }
    return out;
  }

  private hasOperator(op: string, inner: Token[]): boolean {
    switch (op) {
      case '__has_include':
      case '__has_include_next': {
        const spec = this.headerName(inner);
        if (!spec) return false;
        const frame = this.frames[this.frames.length - 1];
        return this.searchFor(spec, frame, op === '__has_include_next') !== undefined;
      }
      case '__has_attribute':
      case '__has_c_attribute':
        return KNOWN_ATTRIBUTES.has((inner[inner.length - 1]?.text ?? '').replace(/^__(.*)__$/, '$1'));
      case '__has_builtin':
        return ['__builtin_offsetof', '__builtin_expect', '__builtin_constant_p'].includes(inner[0]?.text ?? '');
      default:
        return false;
    }
  }

  private number(at: Token, text: string): Token {
    const t = new Token(TokenKind.Number, text, at.file, at.start, at.end, at.flags);
    t.origin = at.origin;
    return t;
  }

  /** `#define`; its name and body are `line` from `from` to `end`. */
  private define(source: CachedSource, line: Token[], from: number, end: number, directive: Token): void {
    // The same directive always yields the same MacroDef object: include memos compare definitions by identity.
    let parsed = source.defines.get(directive.start);
    if (!parsed) {
      parsed = parseDefine(line.slice(from, end), source.lexed.defineBodies.get(directive.start));
      source.defines.set(directive.start, parsed);
    }
    const { macro, error } = parsed;
    if (error) {
      this.report(error.token ?? directive, error.message, 'bad-define');
      return;
    }
    if (!macro) return;
    const old = this.macros.get(macro.name);
    this.memo.lookup(macro.name, old);
    this.memo.change(macro.name, macro);
    if (old && old !== macro && old.file && !sameDefinition(old, macro)) {
      this.report(line[from], `'${macro.name}' redefined (previous definition at ${old.file.path}:${old.file.positionAt(old.start).line + 1})`, 'macro-redefined', 'warning');
    }
    this.macros.set(macro.name, macro);
    if (this.frames.length === 1) this.definitions.push(macro);
  }

  private pragma(frame: FileFrame, token: Token, args: Token[]): void {
    const first = args[0]?.text;
    if (first === 'once') {
      this.once.add(frame.source.file.path);
      this.memo.addOnce(frame.source.file.path);
      return;
    }
    if (first === 'pack') this.emitPragma(token, args);
  }

  private emitPragma(at: Token, args: Token[]): void {
    const text = args.map((a) => a.text).join('');
    const t = new Token(TokenKind.Pragma, text, at.file, at.start, args.length ? args[args.length - 1].end : at.end, at.flags);
    t.origin = at.origin;
    this.out.push(t);
  }

  /** `_Pragma("pack(1)")`: the operator form of #pragma. */
  private pragmaOperator(t: Token): boolean {
    // Reading ahead, as for a macro's arguments: an #include met meanwhile must be entered, not replayed, or its
    // tokens would go straight to the output instead of to this lookahead (found by fuzzing, against a fresh cache).
    // (If the lookahead throws ExpansionLimit, run() sets peekDepth back to 0.)
    this.peekDepth++;
    const open = this.next();
    const str = open.is('(') ? this.next() : undefined;
    const close = str ? this.next() : undefined;
    this.peekDepth--;
    if (!str || !close) {
      if (open.kind !== TokenKind.Eof) this.pending.push(open);
      return false;
    }
    if (str.kind !== TokenKind.String || !close.is(')')) {
      this.report(t, '_Pragma takes a parenthesized string literal', 'bad-pragma');
      return true;
    }
    const body = str.text.slice(1, -1).replace(/\\(["\\])/g, '$1');
    const inner = lexSnippet(t.file.path, body);
    if (inner[0]?.text === 'pack') this.emitPragma(t, inner);
    return true;
  }

  // ---- #include ------------------------------------------------------------------------------------------

  private headerName(tokens: Token[]): { name: string; angle: boolean } | undefined {
    const first = tokens[0];
    if (!first) return undefined;
    if (first.kind === TokenKind.String && first.text.startsWith('"')) return { name: first.text.slice(1, -1), angle: false };
    if (first.is('<')) {
      // Header names are not tokens (`<linux/if.h>` must not be split): read the written text up to `>`.
      if (first.origin === null) {
        const text = first.file.text;
        const close = text.indexOf('>', first.end);
        const nl = text.indexOf('\n', first.end);
        if (close >= 0 && (nl < 0 || close < nl)) return { name: text.slice(first.end, close), angle: true };
        return undefined;
      }
      let name = '';
      for (let i = 1; i < tokens.length && !tokens[i].is('>'); i++) name += (tokens[i].flags & TokenFlag.SPACE && name ? ' ' : '') + tokens[i].text;
      return { name, angle: true };
    }
    return undefined;
  }

  private include(frame: FileFrame, hash: Token, directive: Token, args: Token[], next: boolean): void {
    let spec = this.headerName(args);
    if (!spec && args.length > 0) spec = this.headerName(this.expandList(args));
    if (!spec || spec.name === '') {
      this.report(directive, '#include expects "FILENAME" or <FILENAME>', 'bad-include');
      return;
    }
    const found = this.searchFor(spec, frame, next);
    const last = args[args.length - 1] ?? directive;
    this.includes.push({ from: frame.source.file, start: hash.start, end: last.end, name: spec.name, path: found?.source.file.path ?? null });
    this.enterInclude(found, spec.name, directive, args[0] ?? directive);
  }

  /**
   * Reads the `-imacros` and `-include` files still waiting, in order, while the root file is the only one open: one
   * that is entered is read to its end before the next (and what an `-imacros` file produced is then dropped).
   */
  private enterForcedIncludes(): void {
    this.dropMacrosOnlyOutput();
    while (this.forced.length > 0 && this.frames.length === 1 && !this.stopped) {
      const { path, name, macrosOnly } = this.forced.shift() as ForcedInclude;
      if (macrosOnly) this.macrosOnly = { out: this.out.length, segments: this.segments.length };
      const root = this.frames[0].source.file;
      // What a command-line include says is said at the root file's first character, as gcc's `<command-line>`.
      const at = new Token(TokenKind.Identifier, 'include', root, 0, 0, TokenFlag.BOL);
      const direct = this.cache.get(path);
      const found = direct ? { source: direct, dirIndex: -1 } : this.searchFor({ name, angle: true }, undefined, false);
      this.includes.push({ from: root, start: 0, end: 0, name, path: found?.source.file.path ?? null });
      this.enterInclude(found, name, at, at, ` (${macrosOnly ? '-imacros' : '-include'} in the compile command)`);
      // Replayed from its memo, or not entered at all: done with already.
      if (this.frames.length === 1) this.dropMacrosOnlyOutput();
    }
  }

  private dropMacrosOnlyOutput(): void {
    if (!this.macrosOnly) return;
    this.out.length = this.macrosOnly.out;
    this.segments.length = this.macrosOnly.segments;
    this.macrosOnly = undefined;
  }

  /** Enters (or replays) the file an #include found, or says why not: `directive` for limits, `at` for messages. */
  private enterInclude(found: { source: CachedSource; dirIndex: number } | undefined, name: string, directive: Token, at: Token, what = ''): void {
    if (this.overLimits(directive)) return;
    if (!found) {
      this.report(at, `'${name}' file not found${what}`, 'include-not-found');
      return;
    }
    if (this.frames.length >= this.limits.includeDepth) {
      this.report(at, `#include nested ${this.limits.includeDepth} levels deep (an include cycle?): '${name}' not entered`, 'include-depth');
      // What the files around this one produce depends on how deep they were included: none of it may be replayed.
      this.memo.poisonAll();
      return;
    }
    const source = found.source;
    const once = this.once.has(source.file.path);
    this.memo.lookupOnce(source.file.path, once);
    if (once) return;
    if (source.guard) {
      const guard = this.macros.get(source.guard);
      this.memo.lookup(source.guard, guard);
      if (guard) return;
    }
    const replayable = this.peekDepth === 0;
    if (replayable) {
      // Memos are kept per file, not per position in the search list: the same header replays on targets whose lists differ.
      const entry = this.memo.find(source.file.path, this.searchDir(found.dirIndex), this.macros, this.once, this.answer);
      if (entry && this.frames.length + entry.depth < this.limits.includeDepth) {
        this.replay(entry);
        this.overLimits(directive);
        return;
      }
    }
    this.enterFile(source, found.dirIndex, replayable);
  }

  /** Searches for the header `spec` names from `frame` (the memos under way depend on the answer). */
  private searchFor(spec: { name: string; angle: boolean }, frame: FileFrame | undefined, next: boolean): { source: CachedSource; dirIndex: number } | undefined {
    const query: IncludeQuery = {
      name: spec.name,
      local: !spec.angle && !next && frame ? dirname(frame.source.file.path) : '',
      after: next && frame ? this.searchDir(frame.dirIndex) : '',
    };
    // #include_next goes on after the directory the including file was found in (from the start if it was not).
    const found = this.resolve(query.name, query.local, next && frame && frame.dirIndex >= 0 ? frame.dirIndex + 1 : 0);
    if (this.memo.recording) this.memo.searched(query, { path: found?.source.file.path ?? null, dir: this.searchDir(found?.dirIndex ?? -1) });
    return found;
  }

  /** The search directory at `dirIndex` in this unit's list ('' for none: found beside the includer, or absolute). */
  private searchDir(dirIndex: number): string {
    return dirIndex >= 0 ? this.searchDirs[dirIndex] : '';
  }

  /** Where `query` ends with this unit's search list (for include memos recorded with another list). */
  private readonly answer = (query: IncludeQuery): IncludeAnswer => {
    const found = this.resolve(query.name, query.local, query.after ? this.searchDirs.indexOf(query.after) + 1 : 0);
    return { path: found?.source.file.path ?? null, dir: this.searchDir(found?.dirIndex ?? -1) };
  };

  private resolve(name: string, local: string, start: number): { source: CachedSource; dirIndex: number } | undefined {
    // The answer depends only on the search list, the name and where the search starts: remember it per cache.
    const key = `${name}\0${local}\0${start}`;
    const known = this.answers.get(key);
    if (known === null) return undefined;
    if (known) {
      const source = this.cache.get(known.path);
      if (source) return { source, dirIndex: known.dirIndex };
    }
    const found = this.search(name, local, start);
    this.answers.set(key, found ? { path: found.source.file.path, dirIndex: found.dirIndex } : null);
    return found;
  }

  private search(name: string, localDir: string, start: number): { source: CachedSource; dirIndex: number } | undefined {
    if (name.startsWith('/')) {
      const source = this.cache.get(name);
      return source ? { source, dirIndex: -1 } : undefined;
    }
    if (localDir) {
      const local = this.cache.get(joinPath(localDir, name));
      if (local) return { source: local, dirIndex: -1 };
    }
    for (let i = start; i < this.searchDirs.length; i++) {
      const source = this.cache.get(joinPath(this.searchDirs[i], name));
      if (source) return { source, dirIndex: i };
    }
    return undefined;
  }

  // ---- macro expansion -----------------------------------------------------------------------------------

  /** Expands `t` if it names a macro it may expand; the result is pushed back to be read again. */
  private tryExpand(t: Token): boolean {
    const macro = this.macros.get(t.text);
    this.memo.lookup(t.text, macro);
    if (!macro || hideSetHolds(t.hideset, t.text)) return false;
    if (macro.builtin) {
      this.pending.push(this.builtinToken(t, macro));
      return true;
    }
    if (macro.params === null) {
      const hs = hideSetAdd(t.hideset, macro.name);
      this.pushExpansion(this.paste(this.copyBody(macroBody(macro), t), t), hs, t);
      return true;
    }
    this.peekDepth++;
    let collected: { args: Token[][]; rparen: Token } | null;
    try {
      const paren = this.next();
      if (!paren.is('(')) {
        if (paren.kind !== TokenKind.Eof) this.pending.push(paren);
        return false;
      }
      collected = this.collectArgs(t, macro);
    } finally {
      this.peekDepth--;
    }
    if (!collected) return true;
    const { args, rparen } = collected;
    const hs = hideSetAdd(hideSetIntersect(t.hideset, rparen.hideset), macro.name);
    this.pushExpansion(this.substitute(macro, args, t), hs, t);
    return true;
  }

  private pushExpansion(tokens: Token[], hs: HideSet | null, invocation: Token): void {
    this.expansionCount += tokens.length;
    if (this.expansionCount > this.limits.expansionTokens) {
      const written = invocation.written;
      this.report(written, `expansion of macro '${written.text}' exceeds ${this.limits.expansionTokens} tokens (a macro bomb?); expansion stopped`, 'macro-expansion-limit');
      throw new ExpansionLimit();
    }
    for (let i = tokens.length - 1; i >= 0; i--) {
      const t = tokens[i];
      t.hideset = hideSetUnion(t.hideset, hs);
      this.pending.push(t);
    }
    if (tokens.length > 0) {
      tokens[0].flags = (tokens[0].flags & ~TokenFlag.SPACE) | (invocation.flags & TokenFlag.SPACE);
    }
  }

  private copyBody(body: Token[], invocation: Token): Token[] {
    const origin = invocation.written;
    return body.map((b) => {
      const t = b.copy();
      t.origin = origin;
      return t;
    });
  }

  private builtinToken(t: Token, macro: MacroDef): Token {
    const written = t.written;
    let kind: TokenKind = TokenKind.Number;
    let text: string;
    switch (macro.builtin) {
      case 'line':
        text = String(written.file.positionAt(written.start).line + 1);
        break;
      case 'counter':
        this.memo.poisonAll();
        text = String(this.counter++);
        break;
      case 'include-level':
        this.memo.poisonAll();
        text = String(Math.max(0, this.frames.length - 1));
        break;
      case 'base-file':
        // The unit's root, not the header's: what the header produced holds in this unit only.
        this.memo.poisonAll();
        kind = TokenKind.String;
        text = JSON.stringify(this.sources[0].file.path);
        break;
      default:
        kind = TokenKind.String;
        text = JSON.stringify(written.file.path);
    }
    const out = new Token(kind, text, written.file, written.start, written.end, t.flags);
    out.origin = t.origin;
    return out;
  }

  /** Reads a macro's arguments after its `(`; null (and a diagnostic) when the list never closes. */
  private collectArgs(name: Token, macro: MacroDef): { args: Token[][]; rparen: Token } | null {
    const params = macro.params as string[];
    const args: Token[][] = [[]];
    let depth = 0;
    for (;;) {
      const t = this.next();
      if (t.kind === TokenKind.Eof) {
        this.report(name.written, `unterminated argument list invoking macro '${macro.name}'`, 'macro-args');
        return null;
      }
      if (t.kind === TokenKind.Punct) {
        if (t.text === '(') depth++;
        else if (t.text === ')') {
          if (depth === 0) {
            this.checkArgCount(name, macro, args, params);
            return { args, rparen: t };
          }
          depth--;
        } else if (t.text === ',' && depth === 0 && !(macro.variadic && args.length === params.length)) {
          args.push([]);
          continue;
        }
      }
      args[args.length - 1].push(t);
    }
  }

  private checkArgCount(name: Token, macro: MacroDef, args: Token[][], params: string[]): void {
    if (params.length === 0 && args.length === 1 && args[0].length === 0) {
      args.length = 0;
      return;
    }
    if (args.length === params.length) return;
    if (macro.variadic && args.length === params.length - 1) {
      args.push([]);
      return;
    }
    const few = args.length < params.length;
    this.report(name.written, `macro '${macro.name}' takes ${params.length} argument${params.length === 1 ? '' : 's'}, given ${args.length}`, 'macro-args');
    if (few) while (args.length < params.length) args.push([]);
  }

  /** Replaces parameters in a function-like macro's body: # stringizes, ## pastes, others are pre-expanded. */
  private substitute(macro: MacroDef, args: Token[][], invocation: Token): Token[] {
    const params = macro.params as string[];
    const body = macroBody(macro);
    const expanded: (Token[] | undefined)[] = [];
    const origin = invocation.written;
    const out: Token[] = [];
    const paramIndex = (t: Token | undefined): number => (t && t.kind === TokenKind.Identifier ? params.indexOf(t.text) : -1);
    const copyArg = (tokens: Token[]): Token[] => tokens.map((a) => a.copy());
    // Copied straight into `out`: `map` makes arrays of more than one elements kind, and the code reading them was
    // thrown away by V8 (a "wrong map" deoptimisation) each time it met another.
    const copyInto = (tokens: Token[]): number => {
      const at = out.length;
      for (let k = 0; k < tokens.length; k++) out.push(tokens[k].copy());
      return at;
    };
    // Reads stay inside the arrays (`body[i + 1]` at the end, `expanded[p]` before it is filled): a read past the end
    // gives undefined, but throws the optimised substitute away the first time it happens in a run.
    for (let i = 0; i < body.length; i++) {
      const b = body[i];
      const next = i + 1 < body.length ? body[i + 1] : undefined;
      if (b.is('#') && b.kind === TokenKind.Punct) {
        const p = paramIndex(next);
        if (p >= 0) {
          out.push(this.stringize(args[p], b, origin));
          i++;
          continue;
        }
      }
      if (b.is('##') && i > 0) {
        const rightParam = paramIndex(next);
        const right = rightParam >= 0 ? copyArg(args[rightParam]) : next ? this.copyBody([next], invocation) : [];
        // GNU: `, ## __VA_ARGS__` drops the comma when the variable arguments are empty.
        const left = out[out.length - 1];
        if (rightParam >= 0 && macro.variadic && rightParam === params.length - 1 && left?.is(',')) {
          if (args[rightParam].length === 0) out.pop();
          else appendAll(out, right);
          i++;
          continue;
        }
        this.pasteInto(out, right, b);
        i++;
        continue;
      }
      const p = paramIndex(b);
      if (p >= 0) {
        const arg = args[p];
        if (next?.is('##')) {
          copyInto(arg);
          continue;
        }
        while (expanded.length <= p) expanded.push(undefined);
        let full = expanded[p];
        if (!full) expanded[p] = full = this.expandList(arg);
        const at = copyInto(full);
        if (out.length > at) out[at].flags = (out[at].flags & ~TokenFlag.SPACE) | (b.flags & TokenFlag.SPACE);
        continue;
      }
      const t = b.copy();
      t.origin = origin;
      out.push(t);
    }
    return out;
  }

  /** Pastes in an object-like macro's body (`a ## b` with no parameters). */
  private paste(tokens: Token[], at: Token): Token[] {
    if (!tokens.some((t) => t.is('##'))) return tokens;
    const out: Token[] = [];
    for (let i = 0; i < tokens.length; i++) {
      if (tokens[i].is('##') && out.length > 0 && tokens[i + 1]) {
        this.pasteInto(out, [tokens[i + 1]], at);
        i++;
      } else out.push(tokens[i]);
    }
    return out;
  }

  /** Glues the last token of `out` with the first of `right` (placemarkers: an empty side yields the other). */
  private pasteInto(out: Token[], right: Token[], at: Token): void {
    const left = out.pop();
    if (!left) {
      appendAll(out, right);
      return;
    }
    if (right.length === 0) {
      out.push(left);
      return;
    }
    const text = left.text + right[0].text;
    const kind = pastedWordKind(left, right[0]) ?? onlyTokenKind(lexSnippet(left.file.path, text));
    if (kind !== undefined) {
      const t = new Token(kind, text, left.file, left.start, left.end, left.flags);
      t.origin = left.origin;
      t.hideset = left.hideset;
      out.push(t);
      for (let k = 1; k < right.length; k++) out.push(right[k]);
    } else {
      this.report(at.written, `pasting "${left.text}" and "${right[0].text}" does not give a valid preprocessing token`, 'bad-paste');
      out.push(left);
      appendAll(out, right);
    }
  }

  private stringize(arg: Token[], at: Token, origin: Token): Token {
    let text = '';
    for (let i = 0; i < arg.length; i++) {
      const a = arg[i];
      if (i > 0 && a.flags & (TokenFlag.SPACE | TokenFlag.BOL)) text += ' ';
      text += a.kind === TokenKind.String || a.kind === TokenKind.Char ? a.text.replace(/[\\"]/g, '\\$&') : spelling(a);
    }
    const t = new Token(TokenKind.String, `"${text}"`, at.file, at.start, at.end, at.flags);
    t.origin = origin;
    return t;
  }

  /** Fully expands a token list on its own (macro arguments, #if and #include lines). */
  private expandList(tokens: Token[]): Token[] {
    if (this.listDepth >= MAX_NESTING) {
      const at = (tokens[0] ?? this.eof).written;
      this.report(at, `macro arguments nested deeper than ${MAX_NESTING} levels; expansion stopped`, 'macro-expansion-limit');
      throw new ExpansionLimit();
    }
    this.listDepth++;
    const savedPending = this.pending;
    const savedRead = this.readFromFile;
    this.pending = tokens.slice().reverse();
    this.readFromFile = false;
    const out: Token[] = [];
    try {
      for (;;) {
        const t = this.next();
        if (t.kind === TokenKind.Eof) break;
        if (t.kind === TokenKind.Identifier && this.tryExpand(t)) continue;
        out.push(t);
      }
    } finally {
      this.pending = savedPending;
      this.readFromFile = savedRead;
      this.listDepth--;
    }
    return out;
  }

  /** Token lists being expanded inside one another (a macro's arguments are expanded before they replace it). */
  private listDepth = 0;

  private report(token: Token, message: string, code: string, severity: Severity = 'error'): void {
    const w = token.written;
    this.diagnostics.push({ span: { file: w.file, start: w.start, end: w.end }, severity, message, code });
  }
}

/** At most this many "stray character" diagnostics per file: a binary file must not flood the editor. */
const MAX_STRAY_REPORTS = 3;

/**
 * The first MAX_STRAY_REPORTS stray characters of each file: an include memo replayed brings the ones it recorded,
 * which a file read twice in one unit would have said the first time.
 */
function firstStrays(diagnostics: FrontEndDiagnostic[]): FrontEndDiagnostic[] {
  if (!diagnostics.some((d) => d.code === 'stray-character')) return diagnostics;
  const counts = new Map<SourceFile, number>();
  return diagnostics.filter((d) => {
    if (d.code !== 'stray-character') return true;
    const n = (counts.get(d.span.file) ?? 0) + 1;
    counts.set(d.span.file, n);
    return n <= MAX_STRAY_REPORTS;
  });
}

/** Plain ASCII words: letters, digits and underscores. */
const WORD = /^\w+$/;

/**
 * What `left ## right` is when the right side is a plain word (`__u ## 32`, `1 ## ULL`; most pastes in kernel
 * headers): an identifier after an identifier, a pp-number after a pp-number (one may go on with any letter or
 * digit). Anything else is lexed again.
 */
function pastedWordKind(left: Token, right: Token): TokenKind | undefined {
  if ((right.kind !== TokenKind.Identifier && right.kind !== TokenKind.Number) || !WORD.test(right.text)) return undefined;
  if (left.kind === TokenKind.Number) return TokenKind.Number;
  return left.kind === TokenKind.Identifier && WORD.test(left.text) ? TokenKind.Identifier : undefined;
}

/** The kind of the one token in `tokens`; undefined if there is not exactly one. */
function onlyTokenKind(tokens: Token[]): TokenKind | undefined {
  return tokens.length === 1 ? tokens[0].kind : undefined;
}
