// Splits C source text into preprocessing tokens and comments (line splices, UCNs and digraphs read as gcc reads
// them), recovering from unterminated literals and comments.
import { SourceFile, type FrontEndDiagnostic } from '../source';
import { TokenFlag, Token, TokenKind, type Comment } from './token';

export interface LexResult {
  tokens: Token[];
  /** Indexes of the `#` tokens that start a line (directives), in order. */
  directives: number[];
  /**
   * The bodies of `#define` lines, which are not tokens in `tokens`: by the offset of the word `define`, the end of
   * the body (it starts where the name, or the parameter list, ends). See `lexRange`.
   */
  defineBodies: Map<number, number>;
  comments: Comment[];
  diagnostics: FrontEndDiagnostic[];
}

/**
 * Length of the longest punctuator at `pos` (0: none), by character codes: building substrings to look up in
 * sets cost two allocations per punctuator. Two-character ones: -> ++ -- << >> <= >= == != && || op= ## and the
 * digraphs <: :> <% %> %: (and %:%:), which C99 made punctuators too.
 */
function punctuatorLength(text: string, pos: number, c: number): number {
  const d = text.charCodeAt(pos + 1);
  switch (c) {
    case 46: // .
      return d === 46 && text.charCodeAt(pos + 2) === 46 ? 3 : 1;
    case 60: // <, and the digraphs <: <%
      if (d === 58 || d === 37) return 2;
      if (d === c) return text.charCodeAt(pos + 2) === 61 ? 3 : 2;
      return d === 61 ? 2 : 1;
    case 62: // >
      if (d === c) return text.charCodeAt(pos + 2) === 61 ? 3 : 2;
      return d === 61 ? 2 : 1;
    case 45: // -
      return d === 62 || d === 45 || d === 61 ? 2 : 1;
    case 43: // +
    case 38: // &
    case 124: // |
      return d === c || d === 61 ? 2 : 1;
    case 35: // #
      return d === 35 ? 2 : 1;
    case 61: // =
    case 33: // !
    case 42: // *
    case 47: // /
    case 94: // ^
      return d === 61 ? 2 : 1;
    case 37: // %, and the digraphs %> %: %:%:
      if (d === 58) return text.charCodeAt(pos + 2) === 37 && text.charCodeAt(pos + 3) === 58 ? 4 : 2;
      return d === 61 || d === 62 ? 2 : 1;
    case 58: // :, and the digraph :>
      return d === 62 ? 2 : 1;
    case 91: case 93: case 40: case 41: case 123: case 125: case 126: case 63: case 59: case 44: // [ ] ( ) { } ~ ? ; ,
      return 1;
    default:
      return 0;
  }
}

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

// Sticky scanners for the long runs: a regular expression runs as native code from its first use, where a
// character loop runs in V8's interpreter until the lexer is optimised (most of a short batch run).
const SPACES = /[ \t\r\f\v]+/y;
const IDENTIFIER_REST = /[A-Za-z0-9_$]*/y;
const PP_NUMBER_REST = /(?:[eEpP][+-]|[A-Za-z0-9_$.])*/y;

/**
 * The characters beyond ASCII an identifier may hold, as gcc takes them in UTF-8 source (C11 Annex D.1), less
 * U+FFFD, which stands for bytes that were not UTF-8. Runs of them are rare, so the ASCII scanners above stay simple
 * and these are tried only where one stops at a character above U+007F.
 */
const D1 = `[${[
  /[\u00A8\u00AA\u00AD\u00AF\u00B2-\u00B5\u00B7-\u00BA\u00BC-\u00BE\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u00FF\u0100-\u167F]/u,
  /[\u1681-\u180D\u180F-\u1FFF\u200B-\u200D\u202A-\u202E\u203F\u2040\u2054\u2060-\u206F\u2070-\u218F\u2460-\u24FF]/u,
  /[\u2776-\u2793\u2C00-\u2DFF\u2E80-\u2FFF\u3004-\u3007\u3021-\u302F\u3031-\u303F\u3040-\uD7FF\uF900-\uFD3D]/u,
  /[\uFD40-\uFDCF\uFDF0-\uFE44\uFE47-\uFFFC\u{10000}-\u{1FFFD}\u{20000}-\u{2FFFD}\u{30000}-\u{3FFFD}\u{40000}-\u{4FFFD}]/u,
  /[\u{50000}-\u{5FFFD}\u{60000}-\u{6FFFD}\u{70000}-\u{7FFFD}\u{80000}-\u{8FFFD}\u{90000}-\u{9FFFD}\u{A0000}-\u{AFFFD}]/u,
  /[\u{B0000}-\u{BFFFD}\u{C0000}-\u{CFFFD}\u{D0000}-\u{DFFFD}\u{E0000}-\u{EFFFD}]/u,
]
  .map((part) => part.source.slice(1, -1))
  .join('')}]`;
/** Annex D.2: combining marks, which may not start an identifier. */
const D2 = /[\u0300-\u036F\u1DC0-\u1DFF\u20D0-\u20FF\uFE20-\uFE2F]/u.source;
const EXTENDED_START = new RegExp(`(?!${D2})${D1}`, 'uy');
const EXTENDED_IDENTIFIER_REST = new RegExp(`(?:[A-Za-z0-9_$]|${D1})*`, 'uy');
const EXTENDED_PP_NUMBER_REST = new RegExp(`(?:[eEpP][+-]|[A-Za-z0-9_$.]|${D1})*`, 'uy');

/** Where a sticky scanner that matches at `pos` stops. */
function scanFrom(scanner: RegExp, text: string, pos: number): number {
  scanner.lastIndex = pos;
  return scanner.test(text) ? scanner.lastIndex : pos;
}

/** Where an identifier (or pp-number) whose ASCII run stopped at `pos` ends: it goes on if a D.1 character is there. */
function extendedEnd(text: string, pos: number, rest: RegExp): number {
  // Read past a text's end, charCodeAt gives NaN, but optimised code is thrown away the first time it does.
  return pos < text.length && text.charCodeAt(pos) >= 0x80 ? scanFrom(rest, text, pos) : pos;
}

/**
 * Length of the line splice (a backslash right before a newline) at `pos`, 0 if there is none. Translation phase 2
 * deletes splices before tokens are formed, so one may fall inside a token (`con\<newline>st` is `const`).
 */
function spliceLength(text: string, pos: number): number {
  if (text.charCodeAt(pos) !== 92) return 0;
  const next = text.charCodeAt(pos + 1);
  if (next === 10) return 2;
  return next === 13 && text.charCodeAt(pos + 2) === 10 ? 3 : 0;
}

/** The first position at or after `pos` that is not the start of a line splice. */
function skipSplices(text: string, pos: number): number {
  for (let length = spliceLength(text, pos); length > 0; length = spliceLength(text, pos)) pos += length;
  return pos;
}

const UCN = /\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))/y;
const D1_ONLY = new RegExp(`^${D1}$`, 'u');
const D2_ONLY = new RegExp(`^${D2}$`, 'u');

/**
 * The character a universal character name (`\u00e9`, `\U0001D400`) at `pos` names, if it may stand in an
 * identifier there (Annex D.1, and not D.2 at its start), else ''. gcc reads `\u00e9` and `é` as the same name.
 */
function ucnAt(text: string, pos: number, first: boolean): string {
  UCN.lastIndex = pos;
  const m = UCN.exec(text);
  if (!m) return '';
  const code = parseInt(m[1] ?? m[2], 16);
  if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '';
  const char = String.fromCodePoint(code);
  return D1_ONLY.test(char) && !(first && D2_ONLY.test(char)) ? char : '';
}

/** What the digraphs spell. (gcc's `#` keeps a digraph's own spelling; here the stringized text has the other one.) */
const DIGRAPHS: ReadonlyMap<string, string> = new Map([
  ['<:', '['],
  [':>', ']'],
  ['<%', '{'],
  ['%>', '}'],
  ['%:', '#'],
  ['%:%:', '##'],
]);

/** Whether a digraph (`<:` `:>` `<%` `%>` `%:`) starts at `pos`, written without a splice in it. */
function digraphAt(text: string, pos: number): boolean {
  const c = text.charCodeAt(pos);
  const d = text.charCodeAt(pos + 1);
  return c === 60 ? d === 58 || d === 37 : c === 37 ? d === 62 || d === 58 : c === 58 && d === 62;
}

/**
 * A token's text as the phases before tokenising leave it: without line splices, with identifiers' UCNs read, and a
 * digraph as the punctuator it spells.
 */
function cleanText(raw: string, identifier: boolean): string {
  let out = raw.replace(/\\\r?\n/g, '');
  if (identifier) out = out.replace(/\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}/g, (ucn) => String.fromCodePoint(parseInt(ucn.slice(2), 16)));
  return DIGRAPHS.get(out) ?? out;
}

/**
 * Where an identifier or pp-number goes on from `pos`, where its fast scan stopped at a backslash: across line
 * splices and universal character names, one character at a time (rare: no UAPI header has either inside a name).
 */
function spelledEnd(text: string, pos: number, to: number, number: boolean): number {
  let last = text.charCodeAt(pos - 1);
  for (;;) {
    const p = skipSplices(text, pos);
    if (p >= to) return pos;
    const c = text.charCodeAt(p);
    let next = p + 1;
    if (c === 92) {
      const char = ucnAt(text, p, false);
      if (!char) return pos;
      next = UCN.lastIndex;
    } else if (c >= 0x80) {
      next = scanFrom(number ? EXTENDED_PP_NUMBER_REST : EXTENDED_IDENTIFIER_REST, text, p);
      if (next === p) return pos;
    } else if (!(isIdentStart(c) || isDigit(c) || (number && (c === 46 || ((c === 43 || c === 45) && isExponentMark(last)))))) {
      return pos;
    }
    last = c;
    pos = next;
  }
}

/**
 * Where a token of `kind` that starts at `start`, and whose fast scan stopped at `pos`, ends when the source spells it
 * with line splices or UCNs (or it is a digraph); its kind, which a prefix parted from its quote changes, is left in
 * `spelledKind`.
 */
function respelledEnd(text: string, start: number, pos: number, to: number, kind: TokenKind, report: Reporter): number {
  switch (kind) {
    case TokenKind.Identifier:
      return spelledWordEnd(text, start, pos, to, report);
    case TokenKind.Number:
      spelledKind = kind;
      return text.charCodeAt(pos) === 92 ? spelledEnd(text, pos, to, true) : pos;
    case TokenKind.Punct:
      spelledKind = kind;
      return EXTENDABLE[text.charCodeAt(start)] === 1 ? splicedPunctuatorEnd(text, start, to) : pos;
    default:
      spelledKind = kind;
      return pos;
  }
}

/** The kind of the token `spelledWordEnd` scanned last. */
let spelledKind: TokenKind = TokenKind.Identifier;

/**
 * Where a word that starts at `start` ends when a backslash starts it or stops its fast scan at `pos`: an
 * identifier spelled across line splices or with UCNs, or a literal whose prefix a splice parts from its quote.
 */
function spelledWordEnd(text: string, start: number, pos: number, to: number, report: Reporter): number {
  pos = spelledEnd(text, pos, to, false);
  const quoteAt = skipSplices(text, pos);
  const quote = text.charCodeAt(quoteAt);
  if ((quote === 34 || quote === 39) && isStringPrefix(cleanText(text.slice(start, pos), true))) {
    spelledKind = quote === 34 ? TokenKind.String : TokenKind.Char;
    return scanQuoted(text, quoteAt, quote, report);
  }
  spelledKind = TokenKind.Identifier;
  return pos;
}

function isExponentMark(c: number): boolean {
  return c === 101 || c === 69 || c === 112 || c === 80;
}

/** The punctuators a further character can make longer (`-` of `->`, `<` of `<<=`, `%` of `%:%:`...). */
const EXTENDABLE = new Uint8Array(128);
for (const c of '.<>-+&|#=!*/%^:') EXTENDABLE[c.charCodeAt(0)] = 1;

/** Length in the source of the punctuator at `pos` when a line splice falls inside it (`-\<newline>>` is `->`). */
function splicedPunctuatorEnd(text: string, pos: number, to: number): number {
  const ends: number[] = [];
  let chars = '';
  for (let p = pos; chars.length < 4; ) {
    p = skipSplices(text, p);
    if (p >= to) break;
    chars += text[p];
    ends.push(++p);
  }
  const length = punctuatorLength(chars, 0, chars.charCodeAt(0));
  return length > 0 ? ends[length - 1] : pos + 1;
}

/** Reports a problem between two offsets of the file being lexed. */
type Reporter = (start: number, end: number, message: string, code: string) => void;

/**
 * What gcc says of a token that is no C token (TokenKind.Other) once it reaches the program: in a skipped `#if`
 * group or a `#define` body never expanded (the kernel's assembler macros: `\@`, `\()`), it says nothing.
 */
export function strayMessage(text: string): string {
  return `${text === '\uFFFD' ? 'an invalid UTF-8 byte' : `stray '${text}'`} in program`;
}

/** Where the lexer is in a `#define` line: its body is scanned (comments, diagnostics) but makes no tokens. */
const enum DefineState {
  None,
  /** After a `#` that starts a line. */
  Hash,
  /** After `# define`. */
  Define,
  /** In the parameter list after the name. */
  Params,
  /** In the body: no tokens until the end of the line. */
  Body,
}

/**
 * Lexes a whole file. The bodies of `#define` lines are scanned but not made into tokens (`defineBodies` says where
 * they are): most macros are never expanded (of the ~33,000 a layout of /usr/include/linux defines, ~1,100 are),
 * and their bodies were ~100,000 of the tokens the lexer made and the cache kept. `lexRange` makes them on demand.
 */
export function lex(file: SourceFile): LexResult {
  return lexText(file, 0, file.text.length, TokenFlag.BOL, true, hasSplicedStar(file.text));
}

/**
 * The tokens of a piece of text the preprocessor made (a paste, a `_Pragma` string), lexed as a line of its own: a
 * text whose last token ends it would make the optimised lexer read past its end, which throws that code away.
 */
export function lexSnippet(path: string, text: string): Token[] {
  return lex(new SourceFile(path, `${text}\n`, -1)).tokens;
}

/** The tokens between two offsets of `file`, as lexing the whole file made (or would have made) them. */
export function lexRange(file: SourceFile, start: number, end: number): Token[] {
  return lexText(file, start, end, 0, false, hasSplicedStar(file.text.slice(start, end))).tokens;
}

/**
 * Whether a `*` stands right before a line splice: a `*` and a `/` with a splice between them close a block comment,
 * and the search for them is kept for text that has one (none of the UAPI headers does). Out of lexText: searching a
 * two-byte text where one-byte texts came before would throw the optimised lexer away.
 */
function hasSplicedStar(text: string): boolean {
  for (let i = text.indexOf('*\\'); i >= 0; i = text.indexOf('*\\', i + 2)) {
    const next = text.charCodeAt(i + 2);
    if (next === 10 || (next === 13 && text.charCodeAt(i + 3) === 10)) return true;
  }
  return false;
}

function lexText(file: SourceFile, from: number, to: number, firstFlags: number, skipDefineBodies: boolean, oddCommentEnds: boolean): LexResult {
  const text = file.text;
  const n = to;
  const tokens: Token[] = [];
  const directives: number[] = [];
  const defineBodies = new Map<number, number>();
  const comments: Comment[] = [];
  const diagnostics: FrontEndDiagnostic[] = [];
  let pos = from;
  let flags = firstFlags;
  let define = DefineState.None;
  let defineWord = 0;
  const report = (start: number, end: number, message: string, code: string): void => {
    diagnostics.push({ span: { file, start, end }, severity: 'error', message, code });
  };

  while (pos < n) {
    const c = text.charCodeAt(pos);
    // Whitespace, newlines and line splices.
    if (c === 10) {
      if (define === DefineState.Body) defineBodies.set(defineWord, pos);
      define = DefineState.None;
      pos++;
      flags = TokenFlag.BOL;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11) {
      // Most runs are one space or tab between two tokens: the regular expression is for the longer ones.
      const next = text.charCodeAt(pos + 1);
      if (next > 32 || next === 10) pos++;
      else {
        SPACES.lastIndex = pos;
        SPACES.test(text);
        pos = SPACES.lastIndex;
      }
      flags |= TokenFlag.SPACE;
      continue;
    }
    if (c === 92 /* \ */) {
      // A line splice is no whitespace: `a\<newline>+b` stringizes as "a+b". (Checked here without a call: a call
      // site the optimised lexer reaches for the first time throws its code away.)
      const next = text.charCodeAt(pos + 1);
      if (next === 10) {
        pos += 2;
        continue;
      }
      if (next === 13 && text.charCodeAt(pos + 2) === 10) {
        pos += 3;
        continue;
      }
    }
    if (c === 47 /* / */) {
      const end = commentEnd(text, pos, report, oddCommentEnds);
      if (end > 0) {
        comments.push({ start: pos, end, text: text.slice(pos, end) });
        pos = end;
        flags |= TokenFlag.SPACE;
        continue;
      }
    }

    const start = pos;
    let kind: TokenKind;
    // Whether the token's spelling holds a line splice or a UCN (its text is then not the source's slice).
    let spelled = false;
    // Where the identifier's first character ends (`pos`: none starts here).
    const identStart =
      c < 0x80 ? (isIdentStart(c) ? pos + 1 : c === 92 && ucnAt(text, pos, true) ? UCN.lastIndex : pos) : scanFrom(EXTENDED_START, text, pos);
    if (identStart > pos) {
      IDENTIFIER_REST.lastIndex = identStart;
      IDENTIFIER_REST.test(text);
      pos = extendedEnd(text, IDENTIFIER_REST.lastIndex, EXTENDED_IDENTIFIER_REST);
      const quote = text.charCodeAt(pos);
      if ((quote === 34 || quote === 39) && isStringPrefix(text.slice(start, pos))) {
        pos = scanQuoted(text, pos, quote, report);
        spelled = quotedSplice;
        kind = quote === 34 ? TokenKind.String : TokenKind.Char;
      } else {
        kind = TokenKind.Identifier;
      }
    } else if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(text.charCodeAt(pos + 1) === 92 ? skipSplices(text, pos + 1) : pos + 1)))) {
      PP_NUMBER_REST.lastIndex = pos + 1;
      PP_NUMBER_REST.test(text);
      pos = extendedEnd(text, PP_NUMBER_REST.lastIndex, EXTENDED_PP_NUMBER_REST);
      kind = TokenKind.Number;
    } else if (c === 34 || c === 39) {
      pos = scanQuoted(text, pos, c, report);
      spelled = quotedSplice;
      kind = c === 34 ? TokenKind.String : TokenKind.Char;
    } else {
      const length = punctuatorLength(text, pos, c);
      if (length > 0) pos += length;
      else {
        pos += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
        if (define !== DefineState.Body) tokens.push(new Token(TokenKind.Other, text.slice(start, pos), file, start, pos, flags));
        flags = 0;
        continue;
      }
      kind = TokenKind.Punct;
    }
    // The rare spellings, all behind one test: a backslash where the fast scan began or stopped (a UCN, a line
    // splice inside the token), or a digraph. Left out of #define bodies, where no tokens are made (and a name
    // before the splice that ends a line is common): lexRange spells their tokens when a macro is expanded.
    if (
      define !== DefineState.Body &&
      (c === 92 || (pos < n && text.charCodeAt(pos) === 92) || (kind === TokenKind.Punct && (text.charCodeAt(start + 1) === 92 || ((c === 60 || c === 37 || c === 58) && digraphAt(text, start)))))
    ) {
      const end = respelledEnd(text, start, pos, n, kind, report);
      spelled ||= end !== pos || c === 92 || spelledKind !== kind || (kind === TokenKind.Punct && digraphAt(text, start));
      pos = end;
      kind = spelledKind;
    }
    if (kind === TokenKind.Punct && flags & TokenFlag.BOL && (c === 35 ? pos - start === 1 : spelled && cleanText(text.slice(start, pos), false) === '#')) {
      directives.push(tokens.length);
      if (skipDefineBodies) define = DefineState.Hash;
      tokens.push(new Token(kind, '#', file, start, pos, flags));
      flags = 0;
      continue;
    }
    if (define === DefineState.Body) {
      flags = 0;
      continue;
    }
    const word = spelled ? cleanText(text.slice(start, pos), kind === TokenKind.Identifier) : text.slice(start, pos);
    if (define !== DefineState.None) {
      define = nextDefineState(define, kind, word, text, pos);
      if (define === DefineState.Define) defineWord = start;
    }
    tokens.push(new Token(kind, word, file, start, pos, flags));
    flags = 0;
  }
  if (define === DefineState.Body) defineBodies.set(defineWord, n);
  return { tokens, directives, defineBodies, comments, diagnostics };
}

/** The `#define` state after a token (of `kind`, spelled `word`, ending at `end`) is made in state `state`. */
function nextDefineState(state: DefineState, kind: TokenKind, word: string, text: string, end: number): DefineState {
  switch (state) {
    case DefineState.Hash:
      return kind === TokenKind.Identifier && word === 'define' ? DefineState.Define : DefineState.None;
    case DefineState.Define:
      // A name: a parameter list follows if `(` comes right after it; anything else is an error parseDefine reports.
      if (kind !== TokenKind.Identifier) return DefineState.None;
      return text.charCodeAt(text.charCodeAt(end) === 92 ? skipSplices(text, end) : end) === 40 ? DefineState.Params : DefineState.Body;
    case DefineState.Params:
      return kind === TokenKind.Punct && word === ')' ? DefineState.Body : DefineState.Params;
    default:
      return state;
  }
}

/**
 * Where the comment starting at `pos` ends (0 if no comment starts there); a `//` comment continues across splices.
 * `splicedEnds`: the text may hold a `*` and a `/` with a line splice between them, which end a block comment too.
 */
function commentEnd(text: string, pos: number, report: Reporter, splicedEnds: boolean): number {
  const second = text.charCodeAt(pos + 1) === 92 ? skipSplices(text, pos + 1) : pos + 1;
  const next = text.charCodeAt(second);
  if (next === 42 /* * */) {
    const close = splicedEnds ? splicedCommentClose(text, second + 1) : text.indexOf('*/', second + 1);
    if (close >= 0) return close + 2;
    report(pos, second + 1, 'unterminated comment: the rest of the file is inside it', 'unterminated-comment');
    return text.length;
  }
  if (next !== 47) return 0;
  let end = second + 1;
  for (;;) {
    const nl = text.indexOf('\n', end);
    if (nl < 0) return text.length;
    const before = text.charCodeAt(nl - 1) === 13 ? nl - 2 : nl - 1;
    if (text.charCodeAt(before) !== 92) return nl;
    end = nl + 1;
  }
}

/**
 * The offset of the `*` that closes a block comment whose body starts at `from` (-1: none), across splices: the
 * first `*` + `/` unless a `*` + backslash before it is a `*`, splices and a `/`.
 */
function splicedCommentClose(text: string, from: number): number {
  const close = text.indexOf('*/', from);
  for (let odd = text.indexOf('*\\', from); odd >= 0 && (close < 0 || odd < close); odd = text.indexOf('*\\', odd + 1)) {
    const slash = skipSplices(text, odd + 1);
    if (slash > odd + 1 && text.charCodeAt(slash) === 47) return slash - 1;
  }
  return close;
}

function isStringPrefix(prefix: string): boolean {
  return prefix === 'L' || prefix === 'u' || prefix === 'U' || prefix === 'u8';
}

/** Whether the literal `scanQuoted` scanned last goes on across a line splice (its text is then spelled without it). */
let quotedSplice = false;

/** Scans a string or character literal from its opening quote; stops at the end of the line if unterminated. */
function scanQuoted(
  text: string,
  pos: number,
  quote: number,
  report: Reporter,
): number {
  const start = pos;
  quotedSplice = false;
  pos++;
  while (pos < text.length) {
    const c = text.charCodeAt(pos);
    if (c === quote) return pos + 1;
    if (c === 92) {
      // Splices go first (phase 2): in `"\\<newline>"` the second backslash and the newline are one, and the
      // first backslash escapes the quote after them.
      const splice = spliceLength(text, pos);
      const escaped = splice > 0 ? pos : skipSplices(text, pos + 1);
      if (splice > 0 || escaped > pos + 1) quotedSplice = true;
      pos = splice > 0 ? pos + splice : escaped + 1;
      continue;
    }
    if (c === 10) break;
    pos++;
  }
  const what = quote === 34 ? 'string literal' : 'character constant';
  report(start, pos, `missing terminating ${quote === 34 ? '"' : "'"} character: unterminated ${what}`, 'unterminated-literal');
  return pos;
}

/**
 * Every rare path of lexText taken once when the module loads: V8 optimises lexText early in a run, and its optimised
 * code is thrown away the first time a path it had never seen is taken (a prefixed literal, a splice inside a token,
 * a digraph, a universal character name...), then compiled again behind the other functions waiting for the
 * optimising compiler. V8 keeps no feedback for a function's first few calls, hence the repeats.
 */
const PRIME_RUNS = 12;
for (let i = 0; i < PRIME_RUNS; i++) lex(new SourceFile('', 'L"a" u8\'b\' a\\\nb <: :> <% %> %: %:%: \\u00e9 \u00e9 "a\\\nb" 1.e+5 @ /* c */ // d\n#define X(a) a\n', -1));
