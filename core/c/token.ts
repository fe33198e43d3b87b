// Preprocessing tokens: what the lexer produces, the preprocessor rewrites and the parser reads.
import { SourceFile } from '../source';

// A const enum, not an object of constants: the bundler writes its values into the code. Read from an object, each
// `TokenKind.X` in the lexer, preprocessor and parser was a property load, an inline-cache call in code V8 has not
// optimised yet, which is most of a run (3 % of a run's instructions, docs/performance.md).
export const enum TokenKind {
  Identifier = 0,
  Number = 1,
  String = 2,
  Char = 3,
  Punct = 4,
  /** A character that starts no token (stray `@`, `\`, invalid UTF-8...). */
  Other = 5,
  Eof = 6,
  /** A `#pragma` (or `_Pragma`) the parser must see, e.g. `pack(push, 2)`; its text is what follows `pragma`. */
  Pragma = 7,
}

/** A token's flags (a const enum for the same reason as TokenKind). */
export const enum TokenFlag {
  /** First token on its line (directives start here). */
  BOL = 1,
  /** Whitespace or a comment precedes the token (matters for `#` stringizing and macro definitions). */
  SPACE = 2,
}

/** Macros that may not expand a token again (Prosser's hide set), as an immutable linked list. */
export interface HideSet {
  readonly name: string;
  readonly next: HideSet | null;
  /** How many names the list holds from this node on. */
  readonly size: number;
  /**
   * A node further down the list (Myers' skew-binary jump pointers): following it or `next` reaches the node of any
   * size in O(log size) steps.
   */
  readonly jump: HideSet | null;
  /** The oldest generation of the interning tables a node of the list was made in (see forgetHideSets). */
  readonly gen: number;
}

/** Hide sets longer than this are searched through the nodes of the name rather than name by name. */
const SHORT_SET = 16;

/**
 * Whether `set` holds `name`. Kept to the plain walk, which V8 inlines where it is hot: a long set goes to
 * longSetHas first (see hideSetHolds), and the walks in union and intersection are over short sets.
 */
export function hideSetHas(set: HideSet | null, name: string): boolean {
  for (let s = set; s; s = s.next) if (s.name === name) return true;
  return false;
}

/** hideSetHas for a set of any length. */
export function hideSetHolds(set: HideSet | null, name: string): boolean {
  return set !== null && set.size > SHORT_SET ? longSetHas(set, name) : hideSetHas(set, name);
}

/**
 * Every node made for a name, shortest first. A long hide set holds `name` if one of these nodes is in its list: a
 * chain of macros each calling the one before (`#define D2 (D1 + 1)`) asks each set, as long as the chain, for a name
 * it lacks, and searching the list name by name made a chain of 32,000 take 5.7 s.
 */
const nodesByName = new Map<string, HideSet[]>();

function longSetHas(set: HideSet, name: string): boolean {
  // A list older than the tables (some of its nodes are not in them) is searched name by name.
  if (set.gen !== generation) return hideSetHas(set, name);
  const nodes = nodesByName.get(name);
  if (nodes === undefined) return false;
  // Searched by name only while that is the shorter way: a name with more nodes than the set has names is looked for
  // in the set.
  if (nodes.length > set.size) return hideSetHas(set, name);
  for (const node of nodes) {
    if (node.size > set.size) break;
    if (nodeOfSize(set, node.size) === node) return true;
  }
  return false;
}

/** The node of `set`'s list holding `size` names (`size` at most `set.size`). */
function nodeOfSize(set: HideSet, size: number): HideSet {
  let s = set;
  while (s.size > size) s = s.jump !== null && s.jump.size >= size ? s.jump : (s.next as HideSet);
  return s;
}

/** Hide-set nodes by what follows them, then by name: the same list built twice is one list (see node()). */
const firstNodes = new Map<string, HideSet>();
const laterNodes = new WeakMap<HideSet, Map<string, HideSet>>();
/** Counts forgetHideSets calls: the nodes made since are the only ones nodesByName lists. */
let generation = 0;

/**
 * Lets the nodes made so far go: the tables above keep every node a process ever made (a batch over a kernel tree's
 * .c files kept 400 MB of them by 28,000 files). Sets made before stay correct, searched name by name, and a list
 * built again is a new one; a batch calls this when it forgets its include results, which hold most of the old sets.
 */
export function forgetHideSets(): void {
  generation++;
  firstNodes.clear();
  nodesByName.clear();
}

/**
 * The one node for `name` in front of `next`. Every token of every expansion carries a hide set, and a large expansion
 * builds the same few sets over and over: shared, they cost nothing per token (a million-token expansion kept ~2.4
 * nodes of 40 bytes a token, and spent 45 % of its time in the garbage collector).
 */
function node(name: string, next: HideSet | null): HideSet {
  let nodes = next === null ? firstNodes : laterNodes.get(next);
  if (nodes === undefined) {
    nodes = new Map();
    laterNodes.set(next as HideSet, nodes);
  }
  let found = nodes.get(name);
  if (found === undefined) {
    const gen = next === null || next.gen === generation ? generation : next.gen;
    found = { name, next, size: next === null ? 1 : next.size + 1, jump: jumpFor(next), gen };
    nodes.set(name, found);
    if (gen === generation) {
      const named = nodesByName.get(name);
      if (named === undefined) nodesByName.set(name, [found]);
      else insertBySize(named, found);
    }
  }
  return found;
}

/** The jump pointer of a node whose list goes on with `next` (Myers 1983: equal jumps twice in a row join). */
function jumpFor(next: HideSet | null): HideSet | null {
  if (next === null) return null;
  const j = next.jump;
  if (j !== null && j.jump !== null && next.size - j.size === j.size - j.jump.size) return j.jump;
  return next;
}

/** Keeps a name's nodes sorted by size (most are made in order of size, so this looks from the end). */
function insertBySize(nodes: HideSet[], node: HideSet): void {
  let i = nodes.length;
  while (i > 0 && nodes[i - 1].size > node.size) i--;
  nodes.splice(i, 0, node);
}

/** The hide set holding only `name`. */
export function hideSetOf(name: string): HideSet {
  return node(name, null);
}

export function hideSetAdd(set: HideSet | null, name: string): HideSet {
  return hideSetHolds(set, name) ? (set as HideSet) : node(name, set);
}

export function hideSetUnion(a: HideSet | null, b: HideSet | null): HideSet | null {
  if (a === null || a === b || endsWith(b, a)) return b;
  if (b === null || endsWith(a, b)) return a;
  const inB = longSetNames(b);
  let out = b;
  for (let s: HideSet | null = a; s; s = s.next) if (inB ? !inB.has(s.name) : !hideSetHolds(out, s.name)) out = node(s.name, out);
  return out;
}

export function hideSetIntersect(a: HideSet | null, b: HideSet | null): HideSet | null {
  if (a === null || b === null) return null;
  if (a === b || endsWith(b, a)) return a;
  if (endsWith(a, b)) return b;
  const inB = longSetNames(b);
  let out: HideSet | null = null;
  for (let s: HideSet | null = a; s; s = s.next) if (inB ? inB.has(s.name) : hideSetHas(b, s.name)) out = node(s.name, out);
  return out;
}

/**
 * Whether `tail` is one of the nodes of `set` (so every name of `tail` is in `set`). A chain of function-like macros
 * each calling the next (`#define F2(x) F1(x)`) grows the sets by one name a call, and each new set ends with the one
 * before: found this way, the union and intersection cost a step, where searching the lists made a chain of 4,000
 * macros take minutes.
 */
function endsWith(set: HideSet | null, tail: HideSet): boolean {
  return set !== null && set.size >= tail.size && nodeOfSize(set, tail.size) === tail;
}

/**
 * Names of long hide sets, by node: nodes are interned and never change, and one expansion unites each of its tokens'
 * sets with the same one.
 */
const longSets = new WeakMap<HideSet, Set<string>>();

/** The names of a hide set as a Set when the list is long, else undefined (a short list is searched as it is). */
function longSetNames(set: HideSet): Set<string> | undefined {
  if (set.size <= 16) return undefined;
  let names = longSets.get(set);
  if (names === undefined) {
    names = new Set<string>();
    for (let s: HideSet | null = set; s; s = s.next) names.add(s.name);
    longSets.set(set, names);
  }
  return names;
}

export class Token {
  /** Macros this token may no longer expand. */
  hideset: HideSet | null = null;
  /**
   * For tokens produced by macro expansion: the macro name token written in the file being read, so ranges
   * map back to text the user typed. Null for tokens read straight from a file.
   */
  origin: Token | null = null;

  constructor(
    public kind: TokenKind,
    public text: string,
    public file: SourceFile,
    public start: number,
    public end: number,
    public flags: number,
  ) {}

  /** The written token this one stands for: itself, or the macro invocation it came from. */
  get written(): Token {
    return this.origin ?? this;
  }

  is(text: string): boolean {
    return this.text === text && this.kind !== TokenKind.String && this.kind !== TokenKind.Char;
  }

  copy(): Token {
    const t = new Token(this.kind, this.text, this.file, this.start, this.end, this.flags);
    t.hideset = this.hideset;
    t.origin = this.origin;
    return t;
  }
}

// V8 records what each field of a class's objects has held, and code optimised while `hideset` and `origin` had only
// held null is thrown away when the first macro expansion stores an object there: the lexer's, mostly, which is
// compiled again. One token made here holds both kinds from the start.
{
  const token = new Token(TokenKind.Eof, '', new SourceFile('', '', -1), 0, 0, 0);
  token.hideset = hideSetOf('');
  token.origin = token.copy();
}

/** A comment in a source file (annotations and kernel-doc are read from these). */
export interface Comment {
  start: number;
  end: number;
  text: string;
}

/**
 * Two token runs a parser reads the same way: the same kinds and texts, written at the same places. (Tokens of a
 * macro expansion are new objects on every expansion, so identity alone would miss most equal runs.)
 */
export function sameTokenRun(a: Token[], b: Token[]): boolean {
  if (a === b) return true;
  return a.length === b.length && sameTokenRange(a, 0, b, 0, a.length);
}

/** `sameTokenRun` for the `n` tokens of `a` from `aFrom` and of `b` from `bFrom`. */
export function sameTokenRange(a: Token[], aFrom: number, b: Token[], bFrom: number, n: number): boolean {
  for (let i = 0; i < n; i++) {
    const x = a[aFrom + i];
    const y = b[bFrom + i];
    if (x === y) continue;
    if (x.kind !== y.kind || x.text !== y.text) return false;
    const wx = x.written;
    const wy = y.written;
    if (wx.file !== wy.file || wx.start !== wy.start) return false;
  }
  return true;
}
