// The parser's file-scope tables, with a recorder so the declarations of an included header parse once and replay
// in every translation unit whose typedef and tag names the header depends on are the same; so do the runs of a file's
// own tokens between the headers it includes.
import { emptyList } from '../empty';
import type { FrontEndDiagnostic } from '../source';
import type { SourceFile } from '../source';
import type { EnumDecl, RecordDecl, TranslationUnitDecls, TypedefDecl } from './ast';
import { sameTokenRange, type Token } from './token';

type Tag = RecordDecl | EnumDecl;

export interface PackState {
  pack: number;
  stack: number[];
}

/** What parsing one header segment did, valid while its lookups give the same answers. */
export interface ParseMemo {
  typedefDeps: Map<string, TypedefDecl | undefined>;
  tagDeps: Map<string, Tag | undefined>;
  packIn: string;
  packOut: PackState;
  typedefs: TypedefDecl[];
  tags: [string, Tag][];
  enumConstants: [string, { decl: EnumDecl; index: number }][];
  records: RecordDecl[];
  enums: EnumDecl[];
  diagnostics: FrontEndDiagnostic[];
}

/** What identifies a header segment: the preprocessor's memo entry, which holds the segment's tokens. */
export interface SegmentKey {
  tokens: Token[];
}

interface SegmentGroup {
  tokens: Token[];
  memos: ParseMemo[];
}

/** Parse memos per memo entry; entries with equal tokens (e.g. the same header on two targets) share one list. */
const memosByKey = new WeakMap<SegmentKey, ParseMemo[]>();
/** Segment groups by the file, offset and length of their first written token (collected with the file). */
const groupsByFile = new WeakMap<SourceFile, Map<string, SegmentGroup[]>>();

/** The parse memos recorded for segments with these tokens (a shared list: add to it to remember one). */
export function segmentMemos(key: SegmentKey): ParseMemo[] {
  const known = memosByKey.get(key);
  if (known) return known;
  const memos = groupOf(key.tokens, 0, key.tokens.length).memos;
  memosByKey.set(key, memos);
  return memos;
}

/**
 * The parse memos recorded for tokens `from`..`to`, a run of a header's own tokens between the headers it includes
 * (a shared list, as for segments).
 */
export function runMemos(tokens: Token[], from: number, to: number): ParseMemo[] {
  return groupOf(tokens, from, to).memos;
}

function groupOf(tokens: Token[], from: number, to: number): SegmentGroup {
  const first = tokens[from].written;
  let byPlace = groupsByFile.get(first.file);
  if (!byPlace) {
    byPlace = new Map();
    groupsByFile.set(first.file, byPlace);
  }
  const place = `${first.start}:${to - from}`;
  const groups = byPlace.get(place) ?? [];
  let group = groups.find((g) => sameTokenRange(g.tokens, 0, tokens, from, to - from));
  if (!group) {
    group = { tokens: from === 0 && to === tokens.length ? tokens : tokens.slice(from, to), memos: [] };
    groups.push(group);
    byPlace.set(place, groups);
  }
  return group;
}

export function packKey(state: PackState): string {
  return `${state.pack}/${state.stack.join(',')}`;
}

/** A memo being recorded, with the names it has set itself (its later lookups of those are not dependencies). */
interface Recording {
  memo: ParseMemo;
  changedTypedefs: Set<string>;
  changedTags: Set<string>;
}

/**
 * File-scope names seen by the parser; while recording, every lookup and change is noted. Recordings nest (a header
 * included by a header): what an inner one looked up and changed counts for the outer ones too.
 */
export class Scope {
  readonly typedefs: Map<string, TypedefDecl>;
  readonly tags: Map<string, Tag>;
  readonly enumConstants: Map<string, { decl: EnumDecl; index: number }>;
  readonly records: RecordDecl[] = [];
  readonly enums: EnumDecl[] = [];
  private readonly recordings: Recording[] = [];
  private top: Recording | undefined;

  constructor(shared?: TranslationUnitDecls) {
    this.typedefs = shared?.typedefs ?? new Map();
    this.tags = shared?.tags ?? new Map();
    this.enumConstants = shared?.enumConstants ?? new Map();
  }

  typedef(name: string): TypedefDecl | undefined {
    const found = this.typedefs.get(name);
    const top = this.top;
    if (top && !top.changedTypedefs.has(name) && !top.memo.typedefDeps.has(name)) top.memo.typedefDeps.set(name, found);
    return found;
  }

  tag(name: string): Tag | undefined {
    const found = this.tags.get(name);
    const top = this.top;
    if (top && !top.changedTags.has(name) && !top.memo.tagDeps.has(name)) top.memo.tagDeps.set(name, found);
    return found;
  }

  setTypedef(decl: TypedefDecl): void {
    this.typedefs.set(decl.name, decl);
    const top = this.top;
    if (top) {
      top.changedTypedefs.add(decl.name);
      top.memo.typedefs.push(decl);
    }
  }

  setTag(name: string, decl: Tag): void {
    this.tags.set(name, decl);
    const top = this.top;
    if (top) {
      top.changedTags.add(name);
      top.memo.tags.push([name, decl]);
    }
  }

  addEnumConstant(name: string, value: { decl: EnumDecl; index: number }): void {
    this.enumConstants.set(name, value);
    this.top?.memo.enumConstants.push([name, value]);
  }

  addRecord(decl: RecordDecl): void {
    this.records.push(decl);
    this.top?.memo.records.push(decl);
  }

  addEnum(decl: EnumDecl): void {
    this.enums.push(decl);
    this.top?.memo.enums.push(decl);
  }

  startRecording(pack: PackState): void {
    const memo: ParseMemo = {
      typedefDeps: new Map(),
      tagDeps: new Map(),
      packIn: packKey(pack),
      packOut: pack,
      typedefs: emptyList(),
      tags: emptyList(),
      enumConstants: emptyList(),
      records: emptyList(),
      enums: emptyList(),
      diagnostics: emptyList(),
    };
    this.top = { memo, changedTypedefs: new Set(), changedTags: new Set() };
    this.recordings.push(this.top);
  }

  /** Ends the innermost recording; the one around it (if any) takes over its dependencies and results. */
  stopRecording(): ParseMemo | undefined {
    const done = this.recordings.pop();
    this.top = this.recordings.length > 0 ? this.recordings[this.recordings.length - 1] : undefined;
    if (done && this.top) this.absorb(this.top, done.memo);
    return done?.memo;
  }

  /** Whether the memo's lookups all give the same answers in `scope` now, with the `#pragma pack` state `packIn`. */
  static matches(memo: ParseMemo, scope: Scope, packIn: string): boolean {
    if (memo.packIn !== packIn) return false;
    let holds = true;
    memo.typedefDeps.forEach((decl, name) => {
      if (holds && scope.typedefs.get(name) !== decl) holds = false;
    });
    memo.tagDeps.forEach((decl, name) => {
      if (holds && scope.tags.get(name) !== decl) holds = false;
    });
    return holds;
  }

  replay(memo: ParseMemo): void {
    for (const decl of memo.typedefs) this.typedefs.set(decl.name, decl);
    for (const pair of memo.tags) this.tags.set(pair[0], pair[1]);
    for (const pair of memo.enumConstants) this.enumConstants.set(pair[0], pair[1]);
    for (const r of memo.records) this.records.push(r);
    for (const e of memo.enums) this.enums.push(e);
    if (this.top) this.absorb(this.top, memo);
  }

  /** `outer` depends on what `inner` depended on (unless outer set it first) and produced what inner produced. */
  private absorb(outer: Recording, inner: ParseMemo): void {
    const memo = outer.memo;
    inner.typedefDeps.forEach((decl, name) => {
      if (!outer.changedTypedefs.has(name) && !memo.typedefDeps.has(name)) memo.typedefDeps.set(name, decl);
    });
    inner.tagDeps.forEach((decl, name) => {
      if (!outer.changedTags.has(name) && !memo.tagDeps.has(name)) memo.tagDeps.set(name, decl);
    });
    for (const decl of inner.typedefs) {
      outer.changedTypedefs.add(decl.name);
      memo.typedefs.push(decl);
    }
    for (const pair of inner.tags) {
      outer.changedTags.add(pair[0]);
      memo.tags.push(pair);
    }
    for (const pair of inner.enumConstants) memo.enumConstants.push(pair);
    for (const r of inner.records) memo.records.push(r);
    for (const e of inner.enums) memo.enums.push(e);
  }
}
