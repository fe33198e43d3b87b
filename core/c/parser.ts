// Parses preprocessed tokens into the declarations layouts need, recovering at `;` and `}` so half-typed code keeps the rest.
import type { BaseTypeName } from '../abi/targets';
import { appendAll } from '../append';
import { emptyList } from '../empty';
import type { FrontEndDiagnostic, Severity, Span } from '../source';
import {
  emptyAttributes,
  type CType,
  type EnumDecl,
  type Expr,
  type LayoutAttributes,
  type Member,
  type RecordDecl,
  type TranslationUnitDecls,
  type TypedefDecl,
} from './ast';
import { parseCharLiteral, parseIntegerLiteral, stringLiteralArray, type StringElement } from './literals';
import { MAX_NESTING } from './nesting';
import { packKey, runMemos, Scope, segmentMemos, type PackState, type ParseMemo, type SegmentKey } from './parse-memo';
import { sameTokenRange, TokenFlag, Token, TokenKind } from './token';

export interface ParseResult extends TranslationUnitDecls {
  diagnostics: FrontEndDiagnostic[];
  /** The root file's own runs of tokens that parsed as whole declarations, when asked to record them (`RunSharing`). */
  rootRuns: RootRun[];
}

/** A run of the root file's own tokens between two headers it includes, and what parsing it did. */
export interface RootRun {
  start: number;
  end: number;
  memo: ParseMemo;
}

/**
 * Root runs shared between the targets of one file: a run whose tokens and lookups are the same as the sibling
 * target's replays its declarations instead of being parsed again (declarations never change once made).
 */
export interface RunSharing {
  /** Record this parse's runs, for a later target. */
  record: boolean;
  sibling?: { tokens: Token[]; runs: RootRun[] };
}

/** How a stretch of declarations treats its runs of one file's own tokens between headers. */
const enum Runs {
  /** Parsed declaration by declaration. */
  Plain,
  /** The root file's, when asked to share them with the sibling target (`RunSharing`). */
  Root,
  /** A header's: memoized like the header itself (another unit may include it where it reads differently). */
  Header,
}

/**
 * A syntax error at `token`, thrown to unwind to the nearest recovery point and reported there. Not an Error: it never
 * leaves the parser, and capturing a stack trace for each (deep in the recursion) cost more than the rest of its path.
 */
class ParseError {
  constructor(
    readonly message: string,
    readonly token: Token,
  ) {}
}

const TYPE_KEYWORDS = new Set([
  'void', 'char', 'short', 'int', 'long', 'float', 'double', 'signed', 'unsigned', '_Bool', '__int128', '_Complex',
  '__complex__', '__signed__', '__signed', '_Float128', '__float128', '__float80', '_Float16', '_Float32', '_Float64',
  '_Float32x', '_Float64x', '__int128_t', '__uint128_t', '__builtin_va_list', 'bool',
]);
const QUALIFIERS = new Set([
  'const', 'volatile', 'restrict', '__restrict', '__restrict__', '__const', '__const__', '__volatile', '__volatile__',
  '_Atomic', '__extension__', 'inline', '__inline', '__inline__', '_Noreturn', 'register', 'auto', '__thread',
  '_Thread_local', 'thread_local', 'static', 'extern', '__user', '__force', '__iomem', '__kernel', '__rcu',
]);
const ATTRIBUTE_KEYWORDS = new Set(['__attribute__', '__attribute']);
const ASM_KEYWORDS = new Set(['asm', '__asm', '__asm__']);
const TYPEOF_KEYWORDS = new Set(['typeof', '__typeof', '__typeof__']);
const ALIGNOF_KEYWORDS = new Set(['_Alignof', '__alignof', '__alignof__', 'alignof']);
const STATIC_ASSERT = new Set(['_Static_assert', 'static_assert']);

/** What a word can be at the start of a declaration, other than a typedef name (a const enum: see token.ts). */
const enum SpecifierWord {
  Typedef,
  Qualifier,
  Attribute,
  Alignas,
  TypeKeyword,
  Record,
  Enum,
  Typeof,
}

/** The specifier words by spelling: one lookup classifies each word of a declaration's specifiers. */
const SPECIFIER_WORDS = new Map<string, SpecifierWord>([
  ['typedef', SpecifierWord.Typedef],
  ...[...QUALIFIERS].map((w) => [w, SpecifierWord.Qualifier] as const),
  ...[...ATTRIBUTE_KEYWORDS].map((w) => [w, SpecifierWord.Attribute] as const),
  ['_Alignas', SpecifierWord.Alignas],
  ['alignas', SpecifierWord.Alignas],
  ...[...TYPE_KEYWORDS].map((w) => [w, SpecifierWord.TypeKeyword] as const),
  ['struct', SpecifierWord.Record],
  ['union', SpecifierWord.Record],
  ['enum', SpecifierWord.Enum],
  ...[...TYPEOF_KEYWORDS].map((w) => [w, SpecifierWord.Typeof] as const),
]);

/** The element types of string literals on Linux (wchar_t's size is 4 on every target; its sign does not matter here). */
const STRING_ELEMENT_TYPES: Record<StringElement, BaseTypeName> = { char: 'char', wchar: 'int', char16: 'unsigned short', char32: 'unsigned int' };

interface Specifiers {
  type: CType;
  typeText: string;
  attributes: LayoutAttributes;
  isTypedef: boolean;
  hasType: boolean;
  start: Token;
}

interface Declarator {
  name: string | null;
  nameToken: Token | null;
  type: CType;
  attributes: LayoutAttributes;
  suffixText: string;
  pointerText: string;
  end: Token;
}

/** A run of output tokens that one `#include` produced (the preprocessor's memo entry is its key). */
export interface HeaderSegment {
  start: number;
  end: number;
  key: SegmentKey;
}

const MAX_MEMOS_PER_SEGMENT = 8;

export function parse(tokens: Token[], segments: HeaderSegment[] = [], sharing?: RunSharing): ParseResult {
  return new Parser(tokens, undefined, segments, sharing).run();
}

/**
 * Parses a constant expression (e.g. a macro's expanded body) against the declarations of a translation unit,
 * so casts to its typedefs and sizeof of its records work. Undefined when the tokens are not one expression.
 */
export function parseExpression(tokens: Token[], scope: TranslationUnitDecls): Expr | undefined {
  if (tokens.length === 0) return undefined;
  const last = tokens[tokens.length - 1];
  const eof = new Token(TokenKind.Eof, '', last.file, last.end, last.end, 0);
  const parser = new Parser([...tokens, eof], scope);
  try {
    const expr = parser.conditional();
    return parser.atEnd() ? expr : undefined;
  } catch (error) {
    if (error instanceof ParseError) return undefined;
    throw error;
  }
}

let nextDeclId = 1;

class Parser {
  private pos = 0;
  private readonly diagnostics: FrontEndDiagnostic[] = [];
  private readonly scope: Scope;
  private pack = 0;
  private packStack: number[] = [];
  private readonly recordStack: RecordDecl[] = [];
  /** Records, declarators and expressions being parsed inside one another (see MAX_NESTING). */
  private depth = 0;
  /** Records created by the declaration being parsed (a typedef may name those, and only those). */
  private readonly declared = new Set<RecordDecl>();

  constructor(
    private readonly tokens: Token[],
    shared?: TranslationUnitDecls,
    private readonly segments: HeaderSegment[] = [],
    private readonly sharing?: RunSharing,
  ) {
    this.scope = new Scope(shared);
  }

  atEnd(): boolean {
    return this.peek().kind === TokenKind.Eof;
  }

  run(): ParseResult {
    this.declarationsUntil(Infinity, this.sharing ? Runs.Root : Runs.Plain);
    const scope = this.scope;
    return {
      records: scope.records,
      enums: scope.enums,
      typedefs: scope.typedefs,
      enumConstants: scope.enumConstants,
      tags: scope.tags,
      diagnostics: this.diagnostics,
      rootRuns: this.rootRuns,
    };
  }

  private readonly rootRuns: RootRun[] = [];

  /** Index of the first header segment not yet reached. */
  private nextSegment = 0;

  /**
   * File-scope declarations up to token `end`. A header segment starting where a declaration would start is parsed as
   * a unit, and so, as `runs` says, is each run of one file's own tokens up to the next header.
   */
  private declarationsUntil(end: number, runs: Runs): void {
    const segments = this.segments;
    while (this.pos < end && this.peek().kind !== TokenKind.Eof) {
      while (this.nextSegment < segments.length && segments[this.nextSegment].start < this.pos) this.nextSegment++;
      const segment = segments[this.nextSegment];
      if (segment && segment.start === this.pos && segment.end <= end) {
        this.nextSegment++;
        if (segment.end > segment.start) this.memoized(segmentMemos(segment.key), segment.end, Runs.Header, true);
        continue;
      }
      const runEnd = Math.min(end, segment ? segment.start : end, this.tokens.length - 1);
      if (runEnd === this.pos || runs === Runs.Plain) this.topLevelDeclaration();
      else if (runs === Runs.Header) this.memoized(runMemos(this.tokens, this.pos, runEnd), runEnd, Runs.Plain, true);
      else this.rootRun(this.sharing as RunSharing, this.pos, runEnd);
    }
  }

  private rootRun(sharing: RunSharing, start: number, end: number): void {
    const shared = sharing.sibling && this.siblingRun(sharing.sibling, start, end);
    const memo = this.memoized(shared ? [shared.memo] : emptyList(), end, Runs.Plain, sharing.record);
    if (memo && sharing.record) this.rootRuns.push({ start, end, memo });
  }

  /** The sibling target's run with the same tokens as `start`..`end` here, if it recorded one. */
  private siblingRun(sibling: { tokens: Token[]; runs: RootRun[] }, start: number, end: number): RootRun | undefined {
    const first = this.tokens[start].written;
    const runs = sibling.runs;
    // Runs come in file order on both targets: look on from the last one that matched.
    for (let i = this.siblingCursor; i < runs.length; i++) {
      const run = runs[i];
      if (run.end - run.start !== end - start) continue;
      const theirs = sibling.tokens[run.start].written;
      if (theirs.start !== first.start || theirs.file !== first.file) continue;
      if (!sameTokenRange(sibling.tokens, run.start, this.tokens, start, end - start)) continue;
      this.siblingCursor = i + 1;
      return run;
    }
    return undefined;
  }

  private siblingCursor = 0;

  private topLevelDeclaration(): void {
    const start = this.pos;
    this.declared.clear();
    try {
      this.externalDeclaration();
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      this.depth = 0;
      this.error(error.token, error.message);
      this.recover(start, error.token);
    }
  }

  /**
   * An included header or a run of tokens up to `end`: replays its declarations if parsed before in the same scope
   * (`known` holds the memos of equal tokens), else parses them (replaying the headers inside where possible) and,
   * with `record`, remembers them. The memo replayed or recorded, if any.
   */
  private memoized(known: ParseMemo[], end: number, runs: Runs, record: boolean): ParseMemo | undefined {
    const packIn = packKey({ pack: this.pack, stack: this.packStack });
    const memo = known.find((m) => Scope.matches(m, this.scope, packIn));
    if (memo) {
      this.scope.replay(memo);
      if (memo.diagnostics.length > 0) appendAll(this.diagnostics, memo.diagnostics);
      this.pack = memo.packOut.pack;
      this.packStack = [...memo.packOut.stack];
      this.pos = end;
      return memo;
    }
    if (!record) {
      this.declarationsUntil(end, runs);
      return undefined;
    }
    const firstDiagnostic = this.diagnostics.length;
    const furthestBefore = this.furthest;
    this.furthest = -1;
    this.scope.startRecording(this.packState());
    this.declarationsUntil(end, runs);
    const recorded = this.scope.stopRecording();
    const lookedPast = this.furthest >= end;
    this.furthest = Math.max(this.furthest, furthestBefore);
    // A declaration that runs past the end (an include inside a declaration) cannot be replayed alone, nor one whose
    // parse read what follows: `struct a { int x; }` at the end of a header parses (and is reported) by the next token.
    if (!recorded || this.pos !== end || lookedPast || known.length >= MAX_MEMOS_PER_SEGMENT) return undefined;
    recorded.packOut = this.packState();
    recorded.diagnostics = this.diagnostics.slice(firstDiagnostic);
    known.push(recorded);
    return recorded;
  }

  private packState(): PackState {
    return { pack: this.pack, stack: this.packStack.slice() };
  }

  // ---- tokens --------------------------------------------------------------------------------------------

  private peek(offset = 0): Token {
    const tokens = this.tokens;
    let i = this.pos;
    // The common case in a few loads: the next token, no #pragma before it (this runs for every token, often twice).
    if (offset === 0 && i < tokens.length && tokens[i].kind !== TokenKind.Pragma) {
      if (i > this.furthest) this.furthest = i;
      return tokens[i];
    }
    this.applyPragmas();
    i = this.pos;
    for (let n = 0; n < offset; n++) {
      i++;
      while (tokens[i]?.kind === TokenKind.Pragma) i++;
    }
    if (i > this.furthest) this.furthest = i;
    return tokens[Math.min(i, tokens.length - 1)];
  }

  /** The furthest token looked at (a memo of tokens up to `end` must not have looked at `end` or beyond). */
  private furthest = -1;

  private next(): Token {
    const t = this.peek();
    if (t.kind !== TokenKind.Eof) this.pos++;
    return t;
  }

  private at(text: string): boolean {
    const t = this.peek();
    return t.text === text && (t.kind === TokenKind.Punct || t.kind === TokenKind.Identifier);
  }

  private accept(text: string): Token | undefined {
    return this.at(text) ? this.next() : undefined;
  }

  private expect(text: string, what?: string): Token {
    if (this.at(text)) return this.next();
    const t = this.peek();
    throw new ParseError(`expected '${text}'${what ? ' ' + what : ''}${t.kind === TokenKind.Eof ? ' at end of input' : ` before '${t.text}'`}`, t);
  }

  private applyPragmas(): void {
    for (let t = this.tokens[this.pos]; t && t.kind === TokenKind.Pragma; t = this.tokens[++this.pos]) this.pragma(t.text);
  }

  private pragma(text: string): void {
    const m = /^pack\((.*)\)$/.exec(text);
    if (!m) return;
    const args = m[1].split(',').map((a) => a.trim()).filter(Boolean);
    if (args[0] === 'push') {
      this.packStack.push(this.pack);
      if (args[1] !== undefined) this.pack = Number(args[1]) || 0;
    } else if (args[0] === 'pop') {
      this.pack = this.packStack.pop() ?? 0;
    } else {
      this.pack = args[0] === undefined ? 0 : Number(args[0]) || 0;
    }
  }

  /** One level deeper (a record body, a nested declarator, an operand); a parse error past MAX_NESTING levels. */
  private deeper(at: Token): void {
    if (++this.depth > MAX_NESTING) throw new ParseError(`nesting deeper than ${MAX_NESTING} levels (records, declarators or expressions)`, at);
  }

  private error(token: Token, message: string, severity: Severity = 'error'): void {
    const w = token.written;
    this.diagnostics.push({ span: { file: w.file, start: w.start, end: w.end }, severity, message, code: 'parse-error' });
  }

  /**
   * Skips to just after the next `;` or balanced `}` at the nesting depth where the failed declaration began, or to
   * the start of the next definition if one comes first: half-typed code (`struct a { ... }` still without its `;`)
   * and an unknown macro before a definition (`EXPORTED struct s { ... };`, or alone on the line before it) must not
   * hide the definition after them.
   */
  private recover(start: number, failedAt: Token): void {
    const resume = this.nextDefinitionStart(start + 1, failedAt);
    if (resume >= 0) {
      this.pos = resume;
      return;
    }
    if (this.pos === start) this.next();
    let depth = 0;
    for (;;) {
      const t = this.peek();
      if (t.kind === TokenKind.Eof) return;
      if (depth === 0 && isColumnZero(t) && this.startsDefinitionAt(this.pos)) return;
      if (t.is('{') || t.is('(') || t.is('[')) depth++;
      else if (t.is('}') || t.is(')') || t.is(']')) {
        if (depth === 0) {
          this.next();
          if (t.is('}')) this.accept(';');
          return;
        }
        depth--;
        if (depth === 0 && t.is('}')) {
          this.next();
          this.accept(';');
          return;
        }
      } else if (t.is(';') && depth === 0) {
        this.next();
        return;
      }
      this.next();
    }
  }

  private span(first: Token, last: Token): Span {
    const a = first.written;
    const b = last.written;
    if (a.file === b.file && b.end >= a.start) return { file: a.file, start: a.start, end: b.end };
    return { file: a.file, start: a.start, end: a.end };
  }

  private previous(): Token {
    let i = this.pos - 1;
    while (i > 0 && this.tokens[i].kind === TokenKind.Pragma) i--;
    return this.tokens[Math.max(0, i)];
  }

  // ---- declarations --------------------------------------------------------------------------------------

  private externalDeclaration(): void {
    const t = this.peek();
    if (t.is(';')) {
      this.next();
      return;
    }
    if (STATIC_ASSERT.has(t.text) || ASM_KEYWORDS.has(t.text)) {
      this.next();
      this.skipBalanced('(', ')');
      this.accept(';');
      return;
    }
    const specs = this.specifiers();
    if (!specs.hasType && !this.startsDeclarator()) {
      throw new ParseError(`expected a declaration, found '${this.peek().text}'`, this.peek());
    }
    // A body that was never closed already ended the declaration (its error is reported).
    if (specs.type.kind === 'record' && specs.type.decl.incompleteBody) return;
    if (this.accept(';')) return;
    for (;;) {
      const d = this.declarator(specs.type);
      this.declarationTail(d);
      if (specs.isTypedef && d.name) this.addTypedef(specs, d);
      if (d.type.kind === 'function' && this.at('{')) {
        this.skipBalanced('{', '}');
        return;
      }
      if (this.accept('=')) this.skipInitializer();
      if (this.accept(',')) continue;
      this.expect(';', 'after declaration');
      return;
    }
  }

  private startsDeclarator(): boolean {
    const t = this.peek();
    return t.is('*') || t.is('(') || (t.kind === TokenKind.Identifier && !this.scope.typedef(t.text));
  }

  /** Attributes and asm labels written after a declarator. */
  private declarationTail(d: Declarator): void {
    for (;;) {
      const t = this.peek();
      if (ATTRIBUTE_KEYWORDS.has(t.text)) mergeAttributes(d.attributes, this.attributes());
      else if (ASM_KEYWORDS.has(t.text)) {
        this.next();
        this.skipBalanced('(', ')');
      } else return;
    }
  }

  private addTypedef(specs: Specifiers, d: Declarator): void {
    const attributes = mergeAttributes(mergeAttributes(emptyAttributes(), specs.attributes), d.attributes);
    const decl: TypedefDecl = {
      name: d.name as string,
      type: d.type,
      attributes,
      span: this.span(specs.start, d.end),
      nameSpan: this.span(d.nameToken as Token, d.nameToken as Token),
    };
    this.scope.setTypedef(decl);
    const base = d.type;
    if (base.kind === 'record' && this.declared.has(base.decl) && !base.decl.typedefNames.includes(decl.name)) base.decl.typedefNames.push(decl.name);
  }

  private skipInitializer(): void {
    let depth = 0;
    for (;;) {
      const t = this.peek();
      if (t.kind === TokenKind.Eof) return;
      if (depth === 0 && (t.is(',') || t.is(';'))) return;
      if (t.is('{') || t.is('(') || t.is('[')) depth++;
      else if (t.is('}') || t.is(')') || t.is(']')) {
        if (depth === 0) return;
        depth--;
      }
      this.next();
    }
  }

  private skipBalanced(open: string, close: string): void {
    this.expect(open);
    let depth = 1;
    while (depth > 0) {
      const t = this.next();
      if (t.kind === TokenKind.Eof) throw new ParseError(`expected '${close}' at end of input`, t);
      if (t.is(open)) depth++;
      else if (t.is(close)) depth--;
    }
  }

  // ---- specifiers ----------------------------------------------------------------------------------------

  private specifiers(): Specifiers {
    const start = this.peek();
    const attributes = emptyAttributes();
    const words: string[] = [];
    let type: CType | undefined;
    let typeText = '';
    let isTypedef = false;
    for (;;) {
      const t = this.peek();
      if (t.kind !== TokenKind.Identifier) break;
      const w = t.text;
      const word = SPECIFIER_WORDS.get(w);
      if (word === undefined) {
        const decl = !type && words.length === 0 ? this.scope.typedef(w) : undefined;
        if (!decl) break;
        type = { kind: 'typedef', decl };
        typeText = w;
        this.next();
      } else if (word === SpecifierWord.Typedef) {
        isTypedef = true;
        this.next();
      } else if (word === SpecifierWord.Qualifier) {
        this.next();
        if (w === '_Atomic' && this.at('(')) {
          this.next();
          type = this.typeName();
          typeText = `_Atomic(${typeText})`;
          this.expect(')');
        }
      } else if (word === SpecifierWord.Attribute) {
        mergeAttributes(attributes, this.attributes());
      } else if (word === SpecifierWord.Alignas) {
        this.next();
        this.expect('(');
        if (this.isTypeStart()) attributes.aligned.push({ kind: 'alignof-type', type: this.typeName(), token: t });
        else attributes.aligned.push(this.conditional());
        this.expect(')');
      } else if (word === SpecifierWord.TypeKeyword) {
        words.push(w === '__signed__' || w === '__signed' ? 'signed' : w === '__complex__' ? '_Complex' : w);
        this.next();
      } else if (type || words.length) {
        break;
      } else if (word === SpecifierWord.Record) {
        type = this.recordSpecifier(attributes);
        typeText = recordTypeText(type);
      } else if (word === SpecifierWord.Enum) {
        type = this.enumSpecifier();
        typeText = type.kind === 'enum' ? `enum ${type.decl.tag ?? '(anonymous)'}` : 'enum';
      } else {
        // SpecifierWord.Typeof
        this.next();
        this.expect('(');
        type = this.isTypeStart() ? this.typeName() : (this.skipExpressionTo(')'), { kind: 'error', message: 'typeof(expression) is not supported' });
        typeText = 'typeof(...)';
        this.expect(')');
      }
    }
    if (words.length) {
      const base = baseFromWords(words);
      if (!base) throw new ParseError(`invalid combination of type specifiers '${words.join(' ')}'`, start);
      type = base;
      typeText = base.kind === 'base' ? base.name + (base.complex ? ' _Complex' : '') : words.join(' ');
    }
    typeText = writtenText(start, this.previous(), this.peek()) ?? typeText;
    return { type: type ?? { kind: 'base', name: 'int' }, typeText, attributes, isTypedef, hasType: type !== undefined, start };
  }

  private isTypeStart(): boolean {
    const t = this.peek();
    if (t.kind !== TokenKind.Identifier) return false;
    // What specifiers() would start on, but for `typedef` and `_Alignas` (a type name cannot begin with either).
    const word = SPECIFIER_WORDS.get(t.text);
    if (word === undefined) return this.scope.typedef(t.text) !== undefined;
    return word !== SpecifierWord.Typedef && word !== SpecifierWord.Alignas;
  }

  private typeName(): CType {
    const specs = this.specifiers();
    if (!specs.hasType) throw new ParseError(`expected a type name, found '${this.peek().text}'`, this.peek());
    return this.declarator(specs.type, true).type;
  }

  // ---- records and enums ---------------------------------------------------------------------------------

  private recordSpecifier(attributes: LayoutAttributes): CType {
    const keyword = this.next();
    const kind = keyword.text as 'struct' | 'union';
    const own = emptyAttributes();
    while (ATTRIBUTE_KEYWORDS.has(this.peek().text)) mergeAttributes(own, this.attributes());
    let tagToken: Token | null = null;
    if (this.peek().kind === TokenKind.Identifier && !ATTRIBUTE_KEYWORDS.has(this.peek().text)) tagToken = this.next();
    const tag = tagToken?.text ?? null;
    if (!this.at('{')) {
      if (!tag) throw new ParseError(`expected a tag or '{' after '${kind}'`, this.peek());
      return { kind: 'record', decl: this.lookupRecord(kind, tag, tagToken as Token, keyword) };
    }
    // A definition is always a new record (declarations seen earlier find it through the tag table): records of
    // replayed headers are shared between translation units and must never change.
    const known = tag ? this.scope.tag(tag) : undefined;
    const decl = this.newRecord(kind, tag, keyword, tagToken ?? keyword);
    if (tag) {
      if (known && 'members' in known && known.members !== null) {
        const where = known.nameSpan.file.positionAt(known.nameSpan.start).line + 1;
        this.error(tagToken as Token, `redefinition of '${kind} ${tag}' (first defined at ${known.nameSpan.file.path}:${where})`, 'warning');
      }
      this.scope.setTag(tag, decl);
    }
    decl.attributes = own;
    this.recordBody(decl, keyword);
    while (ATTRIBUTE_KEYWORDS.has(this.peek().text)) mergeAttributes(decl.attributes, this.attributes());
    // `__attribute__((packed)) struct` written before the keyword applies to the record too.
    if (attributes.packed) decl.attributes.packed = true;
    return { kind: 'record', decl };
  }

  private newRecord(kind: 'struct' | 'union', tag: string | null, keyword: Token, nameToken: Token): RecordDecl {
    const decl: RecordDecl = {
      id: nextDeclId++,
      kind,
      tag,
      members: null,
      attributes: emptyAttributes(),
      pragmaPack: 0,
      span: this.span(keyword, keyword),
      nameSpan: this.span(nameToken, nameToken),
      typedefNames: emptyList(),
      parent: this.recordStack.length > 0 ? this.recordStack[this.recordStack.length - 1] : null,
    };
    this.scope.addRecord(decl);
    this.declared.add(decl);
    return decl;
  }

  private lookupRecord(kind: 'struct' | 'union', tag: string, tagToken: Token, keyword: Token): RecordDecl {
    const known = this.scope.tag(tag);
    if (known && 'members' in known) {
      if (known.kind !== kind) this.error(tagToken, `'${tag}' defined as a ${known.kind}, used as a ${kind}`);
      return known;
    }
    const decl = this.newRecord(kind, tag, keyword, tagToken);
    this.scope.setTag(tag, decl);
    return decl;
  }

  private recordBody(decl: RecordDecl, keyword: Token): void {
    const open = this.expect('{');
    this.deeper(open);
    const depth = this.depth;
    const members: Member[] = [];
    decl.members = members;
    this.recordStack.push(decl);
    const keywordAtColumn0 = isColumnZero(keyword);
    try {
      for (;;) {
        const t = this.peek();
        if (t.is('}')) break;
        if (t.kind === TokenKind.Eof) {
          decl.incompleteBody = true;
          this.error(t.kind === TokenKind.Eof ? this.previous() : t, `expected '}' to end ${decl.kind} ${decl.tag ?? '(anonymous)'}`);
          break;
        }
        if (keywordAtColumn0 && this.startsTopLevelDeclaration(t)) {
          decl.incompleteBody = true;
          this.error(this.previous(), `expected '}' to end ${decl.kind} ${decl.tag ?? '(anonymous)'} before '${t.text}'`);
          break;
        }
        const start = this.pos;
        try {
          this.memberDeclaration(members);
        } catch (error) {
          if (!(error instanceof ParseError)) throw error;
          this.depth = depth;
          this.error(error.token, error.message);
          this.recoverInBody(start);
        }
      }
    } finally {
      this.recordStack.pop();
      this.depth = depth - 1;
    }
    decl.pragmaPack = this.pack;
    if (!decl.incompleteBody) {
      const close = this.next();
      decl.span = this.span(keyword, close);
    } else {
      decl.span = this.span(keyword, this.previous());
    }
  }

  /**
   * Where parsing resumes after a failed file-scope declaration that began at `from - 1`: the first token up to where
   * the error was found, outside brackets, that starts a definition written at column 0, or the error token itself
   * if it starts one (gcc goes on there too); -1 if there is none. Tokens only, so no #pragma is applied twice.
   */
  private nextDefinitionStart(from: number, failedAt: Token): number {
    let depth = 0;
    for (let i = from; i <= this.pos && i < this.tokens.length; i++) {
      const t = this.tokens[i];
      if (t.kind === TokenKind.Pragma) continue;
      if (depth === 0 && (t === failedAt || isColumnZero(t)) && this.startsDefinitionAt(i)) return i;
      if (t.is('{') || t.is('(') || t.is('[')) depth++;
      else if (t.is('}') || t.is(')') || t.is(']')) depth--;
    }
    return -1;
  }

  /** Whether the token at `i` starts `typedef ...` or the definition of a struct, union or enum (`struct x {`). */
  private startsDefinitionAt(i: number): boolean {
    const t = this.tokens[i];
    if (t.text === 'typedef') return t.kind === TokenKind.Identifier;
    if (!(t.text === 'struct' || t.text === 'union' || t.text === 'enum') || t.kind !== TokenKind.Identifier) return false;
    const next = this.tokens[i + 1];
    return next?.is('{') || (next?.kind === TokenKind.Identifier && this.tokens[i + 2]?.is('{'));
  }

  /** A definition written at column 0 inside a body whose struct also started at column 0: the body was never closed. */
  private startsTopLevelDeclaration(t: Token): boolean {
    if (!isColumnZero(t)) return false;
    if (t.text === 'typedef' || t.text === 'static' || t.text === 'extern') return true;
    if ((t.text === 'struct' || t.text === 'union' || t.text === 'enum') && this.peek(1).kind === TokenKind.Identifier) {
      return this.peek(2).is('{');
    }
    return false;
  }

  private recoverInBody(start: number): void {
    if (this.pos === start) this.next();
    let depth = 0;
    for (;;) {
      const t = this.peek();
      if (t.kind === TokenKind.Eof) return;
      if (t.is('}') && depth === 0) return;
      if (t.is('{') || t.is('(') || t.is('[')) depth++;
      else if (t.is('}') || t.is(')') || t.is(']')) depth--;
      else if (t.is(';') && depth <= 0) {
        this.next();
        return;
      }
      this.next();
    }
  }

  private memberDeclaration(members: Member[]): void {
    const t = this.peek();
    if (t.is(';')) {
      this.next();
      return;
    }
    if (STATIC_ASSERT.has(t.text)) {
      this.next();
      this.skipBalanced('(', ')');
      this.accept(';');
      return;
    }
    const specs = this.specifiers();
    if (!specs.hasType) {
      const bad = this.peek();
      throw new ParseError(
        bad.kind === TokenKind.Identifier ? `unknown type name '${bad.text}'` : `expected a member declaration, found '${bad.text}'`,
        bad,
      );
    }
    if (this.at(';')) {
      this.next();
      const type = specs.type;
      // C11 anonymous struct/union member: an untagged record with no declarator.
      if (type.kind === 'record' && type.decl.tag === null) {
        members.push({
          name: null,
          nameSpan: null,
          span: this.span(specs.start, this.previous()),
          type,
          typeText: specs.typeText,
          bitWidth: null,
          attributes: specs.attributes,
        });
      }
      return;
    }
    for (;;) {
      let d: Declarator;
      if (this.at(':')) {
        d = { name: null, nameToken: null, type: specs.type, attributes: emptyAttributes(), suffixText: '', pointerText: '', end: this.peek() };
      } else {
        d = this.declarator(specs.type);
      }
      let bitWidth: Expr | null = null;
      if (this.accept(':')) bitWidth = this.conditional();
      this.declarationTail(d);
      const attributes = mergeAttributes({ aligned: specs.attributes.aligned.slice(), packed: specs.attributes.packed }, d.attributes);
      members.push({
        name: d.name,
        nameSpan: d.nameToken ? this.span(d.nameToken, d.nameToken) : null,
        span: this.span(specs.start, this.previous()),
        type: d.type,
        typeText: (specs.typeText + (d.pointerText ? ' ' + d.pointerText : '') + d.suffixText).trim(),
        bitWidth,
        attributes,
      });
      if (this.accept(',')) continue;
      this.expect(';', 'at end of member declaration');
      return;
    }
  }

  private enumSpecifier(): CType {
    const keyword = this.next();
    const attributes = emptyAttributes();
    while (ATTRIBUTE_KEYWORDS.has(this.peek().text)) mergeAttributes(attributes, this.attributes());
    let tagToken: Token | null = null;
    if (this.peek().kind === TokenKind.Identifier) tagToken = this.next();
    const tag = tagToken?.text ?? null;
    let fixedType: CType | undefined;
    if (this.at(':') && tag !== null) {
      this.next();
      fixedType = this.typeName();
    }
    if (!this.at('{')) {
      if (!tag) throw new ParseError("expected a tag or '{' after 'enum'", this.peek());
      const known = this.scope.tag(tag);
      if (known && !('members' in known)) return { kind: 'enum', decl: known };
      const decl: EnumDecl = { id: nextDeclId++, tag, enumerators: null, attributes, span: this.span(keyword, tagToken as Token), nameSpan: this.span(tagToken as Token, tagToken as Token), fixedType };
      this.scope.addEnum(decl);
      this.scope.setTag(tag, decl);
      return { kind: 'enum', decl };
    }
    const decl: EnumDecl = { id: nextDeclId++, tag, enumerators: emptyList(), attributes, span: this.span(keyword, keyword), nameSpan: this.span(tagToken ?? keyword, tagToken ?? keyword), fixedType };
    this.scope.addEnum(decl);
    if (tag) this.scope.setTag(tag, decl);
    this.next();
    const list = decl.enumerators as NonNullable<EnumDecl['enumerators']>;
    while (!this.at('}')) {
      const name = this.next();
      if (name.kind !== TokenKind.Identifier) throw new ParseError(`expected an enumerator name, found '${name.text}'`, name);
      while (ATTRIBUTE_KEYWORDS.has(this.peek().text)) this.attributes();
      const value = this.accept('=') ? this.conditional() : null;
      this.scope.addEnumConstant(name.text, { decl, index: list.length });
      list.push({ name: name.text, value, nameSpan: this.span(name, name) });
      if (!this.accept(',')) break;
    }
    const close = this.expect('}', 'to end the enum');
    decl.span = this.span(keyword, close);
    while (ATTRIBUTE_KEYWORDS.has(this.peek().text)) mergeAttributes(decl.attributes, this.attributes());
    return { kind: 'enum', decl };
  }

  // ---- declarators ---------------------------------------------------------------------------------------

  private declarator(base: CType, abstract = false): Declarator {
    let type = base;
    const attributes = emptyAttributes();
    let pointerText = '';
    for (;;) {
      if (this.accept('*')) {
        type = { kind: 'pointer', to: type };
        pointerText += '*';
      } else if (QUALIFIERS.has(this.peek().text) && this.peek().kind === TokenKind.Identifier) {
        this.next();
      } else if (ATTRIBUTE_KEYWORDS.has(this.peek().text)) {
        mergeAttributes(attributes, this.attributes());
      } else break;
    }
    if (this.at('(') && this.isNestedDeclarator()) {
      // `(*name)[N]` or `(*fn)(args)`: the suffixes bind first, then the inner declarator wraps the result.
      this.next();
      const innerStart = this.pos;
      this.skipToClose();
      const suffix = this.suffixes(type);
      const after = this.pos;
      this.pos = innerStart;
      this.deeper(this.peek());
      const inner = this.declarator(suffix.type, abstract);
      this.depth--;
      this.expect(')');
      this.pos = after;
      mergeAttributes(inner.attributes, attributes);
      return { ...inner, pointerText: pointerText + '(' + inner.pointerText + ')', suffixText: suffix.text, end: this.previous() };
    }
    let nameToken: Token | null = null;
    if (this.peek().kind === TokenKind.Identifier && !ATTRIBUTE_KEYWORDS.has(this.peek().text) && !ASM_KEYWORDS.has(this.peek().text)) {
      nameToken = this.next();
    } else if (!abstract && !this.at(':') && !this.at('(') && !this.at('[')) {
      throw new ParseError(`expected a name in the declaration, found '${this.peek().text}'`, this.peek());
    }
    const suffix = this.suffixes(type);
    return { name: nameToken?.text ?? null, nameToken, type: suffix.type, attributes, suffixText: suffix.text, pointerText, end: this.previous() };
  }

  private isNestedDeclarator(): boolean {
    const t = this.peek(1);
    if (t.is('*') || t.is('(') || t.is('^')) return true;
    if (ATTRIBUTE_KEYWORDS.has(t.text)) return true;
    return t.kind === TokenKind.Identifier && !this.scope.typedef(t.text) && !TYPE_KEYWORDS.has(t.text) && !QUALIFIERS.has(t.text) && t.text !== 'struct' && t.text !== 'union' && t.text !== 'enum';
  }

  private skipToClose(): void {
    let depth = 1;
    while (depth > 0) {
      const t = this.next();
      if (t.kind === TokenKind.Eof) throw new ParseError("expected ')' in declarator", t);
      if (t.is('(')) depth++;
      else if (t.is(')')) depth--;
    }
  }

  private suffixes(base: CType): { type: CType; text: string } {
    const dims: (Expr | null)[] = [];
    let text = '';
    let fn = false;
    // A function's parameter list ends the suffixes and follows no array dimension: C has no functions returning
    // functions or arrays, and no arrays of functions (gcc rejects them). Read on, a run of parenthesised groups
    // (macro calls expanding to expressions where a declaration was expected) was taken whole by every failed
    // attempt at the groups before it: quadratic.
    while (!fn) {
      if (this.at('[')) {
        const first = this.pos;
        this.next();
        while (QUALIFIERS.has(this.peek().text)) this.next();
        if (this.at(']')) dims.push(null);
        else dims.push(this.conditional());
        this.expect(']');
        text += tokenText(this.tokens, first, this.pos);
      } else if (this.at('(') && dims.length === 0) {
        this.skipBalanced('(', ')');
        fn = true;
        text += '(...)';
      } else break;
    }
    let type = base;
    if (fn) type = { kind: 'function', returns: type };
    for (let i = dims.length - 1; i >= 0; i--) type = { kind: 'array', of: type, length: dims[i] };
    return { type, text };
  }

  // ---- attributes ----------------------------------------------------------------------------------------

  private attributes(): LayoutAttributes {
    const out = emptyAttributes();
    this.next();
    this.expect('(');
    this.expect('(');
    while (!this.at(')')) {
      const name = this.next();
      if (name.kind !== TokenKind.Identifier) throw new ParseError(`expected an attribute name, found '${name.text}'`, name);
      const bare = withoutUnderscores(name.text);
      if (this.at('(')) {
        if (bare === 'aligned') {
          this.next();
          out.aligned.push(this.conditional());
          this.expect(')');
        } else if (bare === 'mode') {
          this.next();
          out.mode = withoutUnderscores(this.next().text);
          this.expect(')');
        } else if (bare === 'vector_size') {
          this.next();
          out.vectorSize = this.conditional();
          this.expect(')');
        } else this.skipBalanced('(', ')');
      } else if (bare === 'aligned') out.aligned.push(null);
      else if (bare === 'packed') out.packed = true;
      if (!this.accept(',')) break;
    }
    this.expect(')');
    this.expect(')');
    return out;
  }

  // ---- constant expressions ------------------------------------------------------------------------------

  conditional(): Expr {
    const test = this.binary(1);
    if (!this.at('?')) return test;
    const token = this.next();
    this.deeper(token);
    const then = this.at(':') ? test : this.conditional();
    this.expect(':');
    const otherwise = this.conditional();
    this.depth--;
    return { kind: 'cond', test, then, otherwise, token };
  }

  private binary(minPrec: number): Expr {
    let left = this.unary();
    for (;;) {
      const op = this.peek();
      const prec = op.kind === TokenKind.Punct ? PRECEDENCE[op.text] : undefined;
      if (prec === undefined || prec < minPrec) return left;
      this.next();
      const right = this.binary(prec + 1);
      left = { kind: 'binary', op: op.text, left, right, token: op };
    }
  }

  private unary(): Expr {
    this.deeper(this.peek());
    const expr = this.unaryOperand();
    this.depth--;
    return expr;
  }

  private unaryOperand(): Expr {
    const t = this.peek();
    if (t.kind === TokenKind.Punct && (t.text === '-' || t.text === '+' || t.text === '~' || t.text === '!' || t.text === '&' || t.text === '*')) {
      this.next();
      return { kind: 'unary', op: t.text, arg: this.unary(), token: t };
    }
    if (t.is('sizeof')) {
      this.next();
      if (this.at('(') && this.isTypeAt(1)) {
        this.next();
        const type = this.typeName();
        this.expect(')');
        return { kind: 'sizeof-type', type, token: t };
      }
      return { kind: 'sizeof-expr', arg: this.unary(), token: t };
    }
    if (ALIGNOF_KEYWORDS.has(t.text)) {
      this.next();
      this.expect('(');
      const type = this.isTypeStart() ? this.typeName() : (this.skipExpressionTo(')'), { kind: 'error' as const, message: 'alignof(expression)' });
      this.expect(')');
      return { kind: 'alignof-type', type, token: t };
    }
    if (t.is('__builtin_offsetof') || t.is('offsetof')) {
      this.next();
      this.expect('(');
      const type = this.typeName();
      this.expect(',');
      const path: string[] = [];
      for (;;) {
        const m = this.next();
        if (m.kind !== TokenKind.Identifier) throw new ParseError(`expected a member name in offsetof, found '${m.text}'`, m);
        path.push(m.text);
        if (this.accept('.')) continue;
        if (this.at('[')) return this.unsupportedUntil(')', t, 'offsetof with an array index');
        break;
      }
      this.expect(')');
      return { kind: 'offsetof', type, path, token: t };
    }
    if (t.is('(') && this.isTypeAt(1)) {
      this.next();
      const type = this.typeName();
      this.expect(')');
      if (this.at('{')) {
        this.skipBalanced('{', '}');
        return { kind: 'unsupported', what: 'compound literal', token: t };
      }
      return { kind: 'cast', type, arg: this.unary(), token: t };
    }
    return this.postfix(this.primary());
  }

  private unsupportedUntil(close: string, token: Token, what: string): Expr {
    this.skipExpressionTo(close);
    this.expect(close);
    return { kind: 'unsupported', what, token };
  }

  private isTypeAt(offset: number): boolean {
    const saved = this.pos;
    for (let i = 0; i < offset; i++) this.next();
    const result = this.isTypeStart();
    this.pos = saved;
    return result;
  }

  private primary(): Expr {
    const t = this.next();
    if (t.kind === TokenKind.Number) {
      const lit = parseIntegerLiteral(t.text);
      if (!lit) return { kind: 'unsupported', what: `number '${t.text}'`, token: t };
      return { kind: 'int', value: lit.value, unsigned: lit.unsigned, longness: lit.longness, token: t };
    }
    if (t.kind === TokenKind.Char) {
      const v = parseCharLiteral(t.text);
      return v === undefined ? { kind: 'unsupported', what: 'character constant', token: t } : { kind: 'int', value: v, unsigned: false, longness: 0, token: t };
    }
    if (t.kind === TokenKind.Identifier) return { kind: 'ident', name: t.text, token: t };
    if (t.kind === TokenKind.String) {
      const texts = [t.text];
      while (this.peek().kind === TokenKind.String) texts.push(this.next().text);
      const array = stringLiteralArray(texts);
      if (!array) return { kind: 'unsupported', what: 'string literal', token: t };
      const length: Expr = { kind: 'int', value: BigInt(array.length), unsigned: false, longness: 0, token: t };
      return { kind: 'string', type: { kind: 'array', of: { kind: 'base', name: STRING_ELEMENT_TYPES[array.element] }, length }, token: t };
    }
    if (t.is('(')) {
      if (this.at('{')) return this.unsupportedUntil(')', t, 'statement expression');
      const inner = this.conditional();
      while (this.accept(',')) this.conditional();
      this.expect(')');
      return inner;
    }
    throw new ParseError(t.kind === TokenKind.Eof ? 'expected an expression at end of input' : `expected an expression, found '${t.text}'`, t);
  }

  private postfix(expr: Expr): Expr {
    for (;;) {
      const t = this.peek();
      if (t.is('(')) {
        this.skipBalanced('(', ')');
        expr = { kind: 'unsupported', what: 'function call', token: t };
      } else if (t.is('[')) {
        this.skipBalanced('[', ']');
        expr = { kind: 'unsupported', what: 'subscript', token: t };
      } else if (t.is('.') || t.is('->')) {
        this.next();
        const name = this.next();
        if (name.kind !== TokenKind.Identifier) throw new ParseError(`expected a member name after '${t.text}'`, name);
        expr = { kind: 'member', base: expr, name: name.text, arrow: t.text === '->', token: t };
      } else if (t.is('++') || t.is('--')) {
        this.next();
      } else return expr;
    }
  }

  private skipExpressionTo(close: string): void {
    let depth = 0;
    for (;;) {
      const t = this.peek();
      if (t.kind === TokenKind.Eof) return;
      if (depth === 0 && t.is(close)) return;
      if (t.is('(') || t.is('[') || t.is('{')) depth++;
      else if (t.is(')') || t.is(']') || t.is('}')) depth--;
      this.next();
    }
  }
}

const PRECEDENCE: Record<string, number> = {
  '*': 10, '/': 10, '%': 10, '+': 9, '-': 9, '<<': 8, '>>': 8, '<': 7, '>': 7, '<=': 7, '>=': 7, '==': 6, '!=': 6,
  '&': 5, '^': 4, '|': 3, '&&': 2, '||': 1,
};

const STORAGE_WORDS = /\b(?:const|volatile|static|extern|__extension__|register)\s/;
const STORAGE_WORDS_ALL = /\b(?:const|volatile|static|extern|__extension__|register)\s+/g;

/**
 * The source text from `first` to `last` as written (macro names unexpanded), when it is short and brace-free and
 * says no more than the tokens: not when the macro call that wrote `last` also wrote the token after it (the
 * declarator: `__SOCKADDR_COMMON(sa_);` declares `sa_family_t sa_family`), and not a function-like macro's name
 * without its arguments.
 */
function writtenText(first: Token, last: Token, after: Token): string | undefined {
  const a = first.written;
  const b = last.written;
  if (a.file !== b.file || b.end < a.start || b.end - a.start > 200) return undefined;
  if (last.origin !== null && after.origin === last.origin) return undefined;
  if (isMacroCall(first) || isMacroCall(last)) return undefined;
  const text = a.file.text.slice(a.start, b.end);
  if (text.includes('{') || text.includes('/')) return undefined;
  const spaced = /\s\s|[\t\n\r]/.test(text) ? text.replace(/\s+/g, ' ') : text;
  return STORAGE_WORDS.test(spaced) ? spaced.replace(STORAGE_WORDS_ALL, '').trim() : spaced;
}

/** Whether a token came out of a function-like macro call (its written macro name is followed by `(`). */
function isMacroCall(t: Token): boolean {
  const name = t.origin;
  if (name === null) return false;
  const text = name.file.text;
  let i = name.end;
  for (let c = text.charCodeAt(i); c === 32 || c === 9 || c === 10 || c === 13; c = text.charCodeAt(++i));
  return text.charCodeAt(i) === 40;
}

/**
 * `__packed__` is `packed`: an attribute or mode name without its double underscores (a replace with a regular
 * expression and a capture was a runtime call for every attribute).
 */
function withoutUnderscores(name: string): string {
  return name.length > 4 && name.startsWith('__') && name.endsWith('__') ? name.slice(2, -2) : name;
}

/**
 * Whether the token was written at column 0 of its line. Not a token of a macro expansion: all of those stand at
 * the invocation, so the `union` inside `struct s { union u {...} x; }` written by one macro call is not at column 0.
 */
function isColumnZero(t: Token): boolean {
  return t.origin === null && (t.flags & TokenFlag.BOL) !== 0 && (t.flags & TokenFlag.SPACE) === 0;
}

/**
 * The tokens' texts run together, with a space only where two words would otherwise fuse: `[128-sizeof(unsigned
 * short)]`, `sizeof(struct in_addr)`.
 */
function tokenText(tokens: Token[], from: number, to: number): string {
  let text = '';
  // The last character is read off the token, not the text: reading a string built by += flattens it, each time.
  let afterWord = false;
  for (let i = from; i < to; i++) {
    const t = tokens[i];
    if (t.kind === TokenKind.Pragma || t.text.length === 0) continue;
    if (afterWord && isWordChar(t.text.charCodeAt(0))) text += ' ';
    text += t.text;
    afterWord = isWordChar(t.text.charCodeAt(t.text.length - 1));
  }
  return text;
}

/** A character of an identifier or a number ([A-Za-z0-9_], or any non-ASCII character of an identifier). */
function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c >= 128;
}

function recordTypeText(type: CType): string {
  if (type.kind !== 'record') return '';
  return `${type.decl.kind} ${type.decl.tag ?? '(anonymous)'}`;
}

export function mergeAttributes(into: LayoutAttributes, from: LayoutAttributes): LayoutAttributes {
  into.aligned.push(...from.aligned);
  if (from.packed) into.packed = true;
  if (from.mode) into.mode = from.mode;
  if (from.vectorSize) into.vectorSize = from.vectorSize;
  return into;
}

const baseTypes = new Map<string, CType>();
const VA_LIST: CType = { kind: 'va-list' };

/** Base types are immutable: one object per spelling. */
function baseType(name: BaseTypeName, complex: boolean): CType {
  const key = complex ? `${name} _Complex` : name;
  let type = baseTypes.get(key);
  if (!type) baseTypes.set(key, (type = complex ? { kind: 'base', name, complex: true } : { kind: 'base', name }));
  return type;
}

function baseFromWords(words: string[]): CType | undefined {
  let longs = 0;
  const seen = new Set<string>();
  for (const w of words) {
    if (w === 'long') longs++;
    seen.add(w);
  }
  const has = (w: string): boolean => seen.has(w);
  const complex = has('_Complex');
  const unsigned = has('unsigned');
  const make = (name: BaseTypeName): CType => baseType(name, complex);
  if (unsigned && has('signed')) return undefined;
  if (has('__builtin_va_list')) return VA_LIST;
  if (has('void')) return make('void');
  if (has('_Bool') || has('bool')) return make('_Bool');
  if (has('__int128_t')) return make('__int128');
  if (has('__uint128_t')) return make('unsigned __int128');
  if (has('_Float128') || has('__float128')) return make('_Float128');
  if (has('__float80') || has('_Float64x')) return make(has('__float80') ? '__float80' : 'long double');
  if (has('_Float16')) return make('_Float16');
  if (has('_Float32')) return make('float');
  if (has('_Float64') || has('_Float32x')) return make('double');
  if (has('float')) return make('float');
  if (has('double')) return make(longs > 0 ? 'long double' : 'double');
  if (has('char')) return make(unsigned ? 'unsigned char' : has('signed') ? 'signed char' : 'char');
  if (has('__int128')) return make(unsigned ? 'unsigned __int128' : '__int128');
  if (has('short')) return make(unsigned ? 'unsigned short' : 'short');
  if (longs >= 2) return make(unsigned ? 'unsigned long long' : 'long long');
  if (longs === 1) return make(unsigned ? 'unsigned long' : 'long');
  return make(unsigned ? 'unsigned int' : 'int');
}
