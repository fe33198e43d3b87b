// The parser's file-scope tables, with a recorder so the declarations of an included header parse once and replay
// in every translation unit whose typedef and tag names the header depends on are the same.
import type { FrontEndDiagnostic } from '../source';
import type { EnumDecl, RecordDecl, TranslationUnitDecls, TypedefDecl } from './ast';

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

export function packKey(state: PackState): string {
  return `${state.pack}/${state.stack.join(',')}`;
}

/** File-scope names seen by the parser; when recording, every lookup and change is noted. */
export class Scope {
  readonly typedefs: Map<string, TypedefDecl>;
  readonly tags: Map<string, Tag>;
  readonly enumConstants: Map<string, { decl: EnumDecl; index: number }>;
  readonly records: RecordDecl[] = [];
  readonly enums: EnumDecl[] = [];
  private recording: ParseMemo | undefined;
  private changedTypedefs = new Set<string>();
  private changedTags = new Set<string>();

  constructor(shared?: TranslationUnitDecls) {
    this.typedefs = shared?.typedefs ?? new Map();
    this.tags = shared?.tags ?? new Map();
    this.enumConstants = shared?.enumConstants ?? new Map();
  }

  typedef(name: string): TypedefDecl | undefined {
    const found = this.typedefs.get(name);
    const rec = this.recording;
    if (rec && !this.changedTypedefs.has(name) && !rec.typedefDeps.has(name)) rec.typedefDeps.set(name, found);
    return found;
  }

  tag(name: string): Tag | undefined {
    const found = this.tags.get(name);
    const rec = this.recording;
    if (rec && !this.changedTags.has(name) && !rec.tagDeps.has(name)) rec.tagDeps.set(name, found);
    return found;
  }

  setTypedef(decl: TypedefDecl): void {
    this.typedefs.set(decl.name, decl);
    if (this.recording) {
      this.changedTypedefs.add(decl.name);
      this.recording.typedefs.push(decl);
    }
  }

  setTag(name: string, decl: Tag): void {
    this.tags.set(name, decl);
    if (this.recording) {
      this.changedTags.add(name);
      this.recording.tags.push([name, decl]);
    }
  }

  addEnumConstant(name: string, value: { decl: EnumDecl; index: number }): void {
    this.enumConstants.set(name, value);
    this.recording?.enumConstants.push([name, value]);
  }

  addRecord(decl: RecordDecl): void {
    this.records.push(decl);
    this.recording?.records.push(decl);
  }

  addEnum(decl: EnumDecl): void {
    this.enums.push(decl);
    this.recording?.enums.push(decl);
  }

  startRecording(pack: PackState): void {
    this.recording = {
      typedefDeps: new Map(),
      tagDeps: new Map(),
      packIn: packKey(pack),
      packOut: pack,
      typedefs: [],
      tags: [],
      enumConstants: [],
      records: [],
      enums: [],
      diagnostics: [],
    };
    this.changedTypedefs = new Set();
    this.changedTags = new Set();
  }

  stopRecording(): ParseMemo | undefined {
    const rec = this.recording;
    this.recording = undefined;
    return rec;
  }

  /** A memo whose lookups all give the same answers in this scope now. */
  static matches(memo: ParseMemo, scope: Scope, pack: PackState): boolean {
    if (memo.packIn !== packKey(pack)) return false;
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
  }
}
