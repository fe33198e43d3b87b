// Remembers what including a header produced and which macros that depended on, so the next translation unit
// (or target) that includes it in the same macro state replays the result instead of preprocessing it again.
import { emptyList } from '../empty';
import type { FrontEndDiagnostic } from '../source';
import type { MacroDef } from './macro';
import type { MacroTable } from './macro-table';
import type { CachedSource } from './source-cache';
import type { Token } from './token';

export interface IncludeRecordLike {
  from: CachedSource['file'];
  start: number;
  end: number;
  name: string;
  path: string | null;
}

/**
 * An #include search made while recording: the name, the including file's directory for `"..."` (else ''), and
 * for #include_next the search directory the including file was found in (else '').
 */
export interface IncludeQuery {
  name: string;
  local: string;
  after: string;
}

/** Where a search ended: the file (null: not found) and the search directory it was found in ('' if none). */
export interface IncludeAnswer {
  path: string | null;
  dir: string;
}

/** The complete effect of one #include, valid whenever every dependency has the recorded value. */
export interface MemoEntry {
  /**
   * Macro names looked up, and the definition each had then (undefined: not defined), as parallel arrays: there are
   * hundreds per header (most are identifiers that are not macros) and every include of the header checks them all.
   */
  depNames: string[];
  depDefs: (MacroDef | undefined)[];
  /** Files whose `#pragma once` state was consulted, with that state. */
  onceDeps: Map<string, boolean>;
  /** The include search list the entry was recorded with (joined), and the searches made, with their answers. */
  searchKey: string;
  queries: IncludeQuery[];
  answers: IncludeAnswer[];
  /**
   * Whether the searches end at the same files with another search list, by list, once worked out. It is kept as
   * long as the entry: SourceCache.changed drops an entry whose searches a new file could end at, as it does one
   * that read a file that changed (the recorded answers themselves are trusted the same way).
   */
  otherLists: Map<string, boolean>;
  /** The search directory the file was found in, and whether an #include_next inside made that (or any) matter. */
  dir: string;
  usesNext: boolean;
  /** Macro table changes, in order. */
  effects: { name: string; def: MacroDef | undefined }[];
  /** Files marked #pragma once. */
  onceAdded: string[];
  tokens: Token[];
  diagnostics: FrontEndDiagnostic[];
  includes: IncludeRecordLike[];
  /** Every file entered, this one first. */
  sources: CachedSource[];
  /** Deepest include nesting below this file (the depth limit must still hold on replay). */
  depth: number;
  /** The recorded includes inside this one, as token runs relative to its first token (the parser's memo keys). */
  segments: { start: number; end: number; key: { tokens: Token[] } }[];
}

/** Marks in the preprocessor's output arrays where a recording began. */
export interface OutputMarks {
  tokens: number;
  diagnostics: number;
  includes: number;
}

interface Recording {
  key: string;
  /**
   * Index of the first event (a macro looked up or changed) at or after which the recording began: a name whose
   * latest event is older was not touched inside it, so looking it up now makes it a dependency.
   */
  start: number;
  depNames: string[];
  depDefs: (MacroDef | undefined)[];
  onceDeps: Map<string, boolean>;
  queries: IncludeQuery[];
  answers: IncludeAnswer[];
  /** The searches already noted (name, local and after, joined). */
  asked: Set<string>;
  dir: string;
  usesNext: boolean;
  /** Files the recording has marked #pragma once (its later checks of them are no dependencies). */
  onceChanged: Set<string>;
  /** Where the recording's part of the effect, #pragma once and source logs begins. */
  effectsMark: number;
  onceMark: number;
  sourcesMark: number;
  depth: number;
  poisoned: boolean;
  marks: OutputMarks;
  frameDepth: number;
}

const MAX_ENTRIES_PER_FILE = 16;

/**
 * Include results kept across units: entries by file and search key, the files they were recorded from, and how many
 * tokens they hold (counted as they come and go: a batch asks after every 64 files, and summing thousands of entries
 * each time cost more than the count).
 */
export class MemoStore {
  readonly entries = new Map<string, MemoEntry[]>();
  /** Files some entry was recorded from (every file an entry read has an entry of its own). */
  readonly paths = new Set<string>();
  private tokenCount = 0;

  get tokens(): number {
    return this.tokenCount;
  }

  get(key: string): MemoEntry[] | undefined {
    return this.entries.get(key);
  }

  add(key: string, entry: MemoEntry): void {
    let list = this.entries.get(key);
    if (list === undefined) {
      list = [];
      this.entries.set(key, list);
    }
    if (list.length >= MAX_ENTRIES_PER_FILE) return;
    list.push(entry);
    this.tokenCount += entry.tokens.length;
    this.paths.add(entry.sources[0].file.path);
  }

  /** Keeps only the entries `keep` accepts. */
  retain(keep: (entry: MemoEntry) => boolean): void {
    for (const [key, list] of this.entries) {
      const kept = list.filter(keep);
      if (kept.length === list.length) continue;
      for (const entry of list) if (!kept.includes(entry)) this.tokenCount -= entry.tokens.length;
      if (kept.length === 0) this.entries.delete(key);
      else this.entries.set(key, kept);
    }
  }

  clear(): void {
    this.entries.clear();
    this.paths.clear();
    this.tokenCount = 0;
  }
}

/**
 * Recordings nest (a header including a header), and what happens inside an inner one happens inside every outer
 * one. Rather than merging each inner recording into its parent when it ends (a cost per nesting level), macro
 * events are numbered: the first event on a name inside a recording is the one that finds the name's previous event
 * older than the recording's start, and if it is a lookup the name is a dependency of that recording and of every
 * other recording it is first for. Effects, #pragma once marks and entered files are kept in one log each, of
 * which a recording's own are the part from its start.
 */
export class IncludeMemo {
  private readonly stack: Recording[] = [];
  /**
   * When each macro name was last looked up or changed inside a recording. Numbers only grow, so an event older than
   * a recording's start lies outside it however old it is: the map is never cleared (clearing it after each top-level
   * recording made it grow again for the next). It is per unit on purpose: one map shared by every unit grew to every
   * name of the run, and its lookups, missing the CPU caches, cost three times as much.
   */
  private readonly lastEvent = new Map<string, number>();
  private events = 0;
  private readonly effectLog: { name: string; def: MacroDef | undefined }[] = [];
  private readonly onceLog: string[] = [];
  private readonly sourceLog: CachedSource[] = [];

  constructor(
    private readonly store: MemoStore,
    private readonly searchKey: string,
  ) {}

  /**
   * A recorded entry for the file at `path`, found in search directory `dir`, whose dependencies all hold now. An
   * entry recorded with another search list (another target) holds only if every search it made ends at the same
   * file with this one (`search`), and, where an #include_next inside it made directories matter, in the same one.
   */
  find(path: string, dir: string, macros: MacroTable, once: Set<string>, search: (query: IncludeQuery) => IncludeAnswer): MemoEntry | undefined {
    const entries = this.store.get(path);
    if (!entries) return undefined;
    for (const entry of entries) {
      if (entry.usesNext && entry.dir !== dir) continue;
      if (entry.searchKey !== this.searchKey && !this.holdsWithThisList(entry, search)) continue;
      const names = entry.depNames;
      const defs = entry.depDefs;
      let holds = true;
      for (let i = 0; i < names.length && holds; i++) holds = macros.get(names[i]) === defs[i];
      // Iterated with forEach: for-of over a Map allocates an array per entry, a measured cost on this hot path.
      if (holds) entry.onceDeps.forEach((has, path) => {
        if (holds && once.has(path) !== has) holds = false;
      });
      if (holds) return entry;
    }
    return undefined;
  }

  /** The innermost recording under way. (An empty array's `[-1]` is a property lookup, a runtime call in V8.) */
  private top(): Recording | undefined {
    const n = this.stack.length;
    return n > 0 ? this.stack[n - 1] : undefined;
  }

  private holdsWithThisList(entry: MemoEntry, search: (query: IncludeQuery) => IncludeAnswer): boolean {
    let same = entry.otherLists.get(this.searchKey);
    if (same === undefined) {
      same = sameAnswers(entry, search);
      entry.otherLists.set(this.searchKey, same);
    }
    return same;
  }

  begin(source: CachedSource, dir: string, marks: OutputMarks, frameDepth: number): void {
    this.stack.push({
      key: source.file.path,
      dir,
      usesNext: false,
      start: this.events,
      depNames: emptyList(),
      depDefs: emptyList(),
      onceDeps: new Map(),
      queries: emptyList(),
      answers: emptyList(),
      asked: new Set(),
      onceChanged: new Set(),
      effectsMark: this.effectLog.length,
      onceMark: this.onceLog.length,
      sourcesMark: this.sourceLog.length,
      depth: 0,
      poisoned: false,
      marks,
      frameDepth,
    });
    this.sourceLog.push(source);
  }

  /** Ends the innermost recording; stores and returns it unless something made it unrepeatable. */
  end(output: { tokens: Token[]; diagnostics: FrontEndDiagnostic[]; includes: IncludeRecordLike[] }): MemoEntry | undefined {
    const rec = this.stack.pop();
    if (!rec) return undefined;
    const entry: MemoEntry = {
      depNames: rec.depNames,
      depDefs: rec.depDefs,
      onceDeps: rec.onceDeps,
      searchKey: this.searchKey,
      queries: rec.queries,
      answers: rec.answers,
      otherLists: new Map(),
      dir: rec.dir,
      usesNext: rec.usesNext,
      effects: this.effectLog.slice(rec.effectsMark),
      onceAdded: this.onceLog.slice(rec.onceMark),
      tokens: emptyList(),
      diagnostics: emptyList(),
      includes: emptyList(),
      sources: this.sourceLog.slice(rec.sourcesMark),
      depth: rec.depth,
      segments: emptyList(),
    };
    const parent = this.top();
    if (parent) {
      if (rec.poisoned) parent.poisoned = true;
      this.mergeOnce(parent, rec.onceDeps, entry.onceAdded);
      parent.depth = Math.max(parent.depth, rec.depth + rec.frameDepth - parent.frameDepth);
    } else {
      this.effectLog.length = 0;
      this.onceLog.length = 0;
      this.sourceLog.length = 0;
    }
    if (rec.poisoned) return undefined;
    const marks = rec.marks;
    entry.tokens = output.tokens.slice(marks.tokens);
    entry.diagnostics = output.diagnostics.slice(marks.diagnostics);
    entry.includes = output.includes.slice(marks.includes);
    this.store.add(rec.key, entry);
    return entry;
  }

  /** A replayed entry counts for the recordings around it as if it had been processed. */
  replayed(entry: MemoEntry, frameDepth: number): void {
    const top = this.top();
    if (!top) return;
    const names = entry.depNames;
    for (let i = 0; i < names.length; i++) this.lookup(names[i], entry.depDefs[i]);
    for (const effect of entry.effects) this.logChange(effect);
    for (let i = 0; i < entry.queries.length; i++) this.searched(entry.queries[i], entry.answers[i]);
    if (entry.usesNext) for (const rec of this.stack) rec.usesNext = true;
    this.mergeOnce(top, entry.onceDeps, entry.onceAdded);
    for (const path of entry.onceAdded) this.onceLog.push(path);
    for (const source of entry.sources) this.sourceLog.push(source);
    top.depth = Math.max(top.depth, entry.depth + frameDepth - top.frameDepth);
  }

  /** The #pragma once states an inner recording (or replay) consulted before marking them, then its marks. */
  private mergeOnce(outer: Recording, onceDeps: Map<string, boolean>, onceAdded: string[]): void {
    if (onceDeps.size > 0) onceDeps.forEach((has, path) => {
      if (!outer.onceChanged.has(path) && !outer.onceDeps.has(path)) outer.onceDeps.set(path, has);
    });
    for (const path of onceAdded) outer.onceChanged.add(path);
  }

  lookup(name: string, def: MacroDef | undefined): void {
    const n = this.stack.length;
    if (n === 0) return;
    const previous = this.lastEvent.get(name);
    // Touched since the innermost recording began: not a first event for it, nor for any recording around it.
    if (previous !== undefined && previous >= this.stack[n - 1].start) return;
    this.lastEvent.set(name, this.events++);
    for (let i = n - 1; i >= 0; i--) {
      const rec = this.stack[i];
      if (previous !== undefined && previous >= rec.start) break;
      rec.depNames.push(name);
      rec.depDefs.push(def);
    }
  }

  /** An #include search and its answer: what the recordings under way depend on besides macros. */
  searched(query: IncludeQuery, answer: IncludeAnswer): void {
    if (this.stack.length === 0) return;
    const key = `${query.name}\0${query.local}\0${query.after}`;
    for (const rec of this.stack) {
      if (query.after) rec.usesNext = true;
      if (rec.asked.has(key)) continue;
      rec.asked.add(key);
      rec.queries.push(query);
      rec.answers.push(answer);
    }
  }

  lookupOnce(path: string, has: boolean): void {
    const top = this.top();
    if (top && !top.onceChanged.has(path) && !top.onceDeps.has(path)) top.onceDeps.set(path, has);
  }

  change(name: string, def: MacroDef | undefined): void {
    if (this.stack.length > 0) this.logChange({ name, def });
  }

  /** A macro change inside the recordings under way (a replayed entry's own effect objects are logged as they are). */
  private logChange(effect: { name: string; def: MacroDef | undefined }): void {
    const n = this.stack.length;
    if (n === 0) return;
    const previous = this.lastEvent.get(effect.name);
    if (previous === undefined || previous < this.stack[n - 1].start) this.lastEvent.set(effect.name, this.events++);
    this.effectLog.push(effect);
  }

  addOnce(path: string): void {
    const top = this.top();
    if (!top) return;
    top.onceChanged.add(path);
    this.onceLog.push(path);
  }

  /** What happened cannot be replayed (a macro read past the file's end, __COUNTER__, a limit hit...). */
  poisonAll(): void {
    for (const rec of this.stack) rec.poisoned = true;
  }

  poisonTop(): void {
    const top = this.top();
    if (top) top.poisoned = true;
  }

  get recording(): boolean {
    return this.stack.length > 0;
  }
}

function sameAnswers(entry: MemoEntry, search: (query: IncludeQuery) => IncludeAnswer): boolean {
  for (let i = 0; i < entry.queries.length; i++) {
    const now = search(entry.queries[i]);
    const then = entry.answers[i];
    if (now.path !== then.path || (entry.usesNext && now.dir !== then.dir)) return false;
  }
  return true;
}
