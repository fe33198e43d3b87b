// Remembers what including a header produced and which macros that depended on, so the next translation unit
// (or target) that includes it in the same macro state replays the result instead of preprocessing it again.
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
  entry: MemoEntry;
  deps: Map<string, MacroDef | undefined>;
  /** Names the recording has changed and files it has marked #pragma once (its later lookups of them are no dependencies). */
  changed: Set<string>;
  onceChanged: Set<string>;
  poisoned: boolean;
  marks: OutputMarks;
  frameDepth: number;
}

const MAX_ENTRIES_PER_FILE = 16;

export class IncludeMemo {
  private readonly stack: Recording[] = [];

  constructor(
    private readonly store: Map<string, MemoEntry[]>,
    private readonly storedPaths: Set<string>,
  ) {}

  /** A recorded entry for `key` whose dependencies all hold now. */
  find(key: string, macros: MacroTable, once: Set<string>): MemoEntry | undefined {
    const entries = this.store.get(key);
    if (!entries) return undefined;
    // Iterated with forEach: for-of over a Map allocates an array per entry, a measured cost on this hot path.
    for (const entry of entries) {
      const names = entry.depNames;
      const defs = entry.depDefs;
      let holds = true;
      for (let i = 0; i < names.length && holds; i++) holds = macros.get(names[i]) === defs[i];
      if (holds) entry.onceDeps.forEach((has, path) => {
        if (holds && once.has(path) !== has) holds = false;
      });
      if (holds) return entry;
    }
    return undefined;
  }

  begin(key: string, source: CachedSource, marks: OutputMarks, frameDepth: number): void {
    const entry: MemoEntry = {
      depNames: [],
      depDefs: [],
      onceDeps: new Map(),
      effects: [],
      onceAdded: [],
      tokens: [],
      diagnostics: [],
      includes: [],
      sources: [source],
      depth: 0,
      segments: [],
    };
    this.stack.push({ key, entry, deps: new Map(), changed: new Set(), onceChanged: new Set(), poisoned: false, marks, frameDepth });
  }

  /** Ends the innermost recording; stores and returns it unless something made it unrepeatable. */
  end(output: { tokens: Token[]; diagnostics: FrontEndDiagnostic[]; includes: IncludeRecordLike[] }): MemoEntry | undefined {
    const rec = this.stack.pop();
    if (!rec) return undefined;
    rec.deps.forEach((def, name) => {
      rec.entry.depNames.push(name);
      rec.entry.depDefs.push(def);
    });
    const parent = this.stack[this.stack.length - 1];
    if (parent) this.mergeInto(parent, rec.entry, rec.poisoned, rec.frameDepth - parent.frameDepth);
    if (rec.poisoned) return undefined;
    const { entry, marks } = rec;
    entry.tokens = output.tokens.slice(marks.tokens);
    entry.diagnostics = output.diagnostics.slice(marks.diagnostics);
    entry.includes = output.includes.slice(marks.includes);
    const list = this.store.get(rec.key) ?? [];
    if (list.length < MAX_ENTRIES_PER_FILE) list.push(entry);
    this.store.set(rec.key, list);
    this.storedPaths.add(entry.sources[0].file.path);
    return entry;
  }

  /** A replayed entry counts for the recordings around it as if it had been processed. */
  replayed(entry: MemoEntry, frameDepth: number): void {
    const top = this.stack[this.stack.length - 1];
    if (!top) return;
    this.mergeInto(top, entry, false, frameDepth - top.frameDepth);
  }

  /** The parent depends on what the child looked up before changing it, and changes what the child changed. */
  private mergeInto(parent: Recording, child: MemoEntry, poisoned: boolean, relativeDepth: number): void {
    if (poisoned) parent.poisoned = true;
    const deps = parent.deps;
    const names = child.depNames;
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      if (!parent.changed.has(name) && !deps.has(name)) deps.set(name, child.depDefs[i]);
    }
    const onceDeps = parent.entry.onceDeps;
    child.onceDeps.forEach((has, path) => {
      if (!parent.onceChanged.has(path) && !onceDeps.has(path)) onceDeps.set(path, has);
    });
    for (const effect of child.effects) parent.changed.add(effect.name);
    for (const path of child.onceAdded) parent.onceChanged.add(path);
    parent.entry.effects.push(...child.effects);
    parent.entry.onceAdded.push(...child.onceAdded);
    parent.entry.sources.push(...child.sources);
    parent.entry.depth = Math.max(parent.entry.depth, child.depth + relativeDepth);
  }

  lookup(name: string, def: MacroDef | undefined): void {
    const top = this.stack[this.stack.length - 1];
    if (top && !top.changed.has(name) && !top.deps.has(name)) top.deps.set(name, def);
  }

  lookupOnce(path: string, has: boolean): void {
    const top = this.stack[this.stack.length - 1];
    if (top && !top.onceChanged.has(path) && !top.entry.onceDeps.has(path)) top.entry.onceDeps.set(path, has);
  }

  change(name: string, def: MacroDef | undefined): void {
    const top = this.stack[this.stack.length - 1];
    if (!top) return;
    top.changed.add(name);
    top.entry.effects.push({ name, def });
  }

  addOnce(path: string): void {
    const top = this.stack[this.stack.length - 1];
    if (!top) return;
    top.onceChanged.add(path);
    top.entry.onceAdded.push(path);
  }

  /** What happened cannot be replayed (a macro read past the file's end, __COUNTER__, a limit hit...). */
  poisonAll(): void {
    for (const rec of this.stack) rec.poisoned = true;
  }

  poisonTop(): void {
    const top = this.stack[this.stack.length - 1];
    if (top) top.poisoned = true;
  }

  get recording(): boolean {
    return this.stack.length > 0;
  }
}
