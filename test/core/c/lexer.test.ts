// The lexer: tokens, comments, line splices, and recovery from unterminated literals, comments and stray bytes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lex, lexRange } from '../../../core/c/lexer';
import { TokenFlag, TokenKind } from '../../../core/c/token';
import { SourceFile } from '../../../core/source';
import { unitOf } from '../../helpers/memory-host';

const lexText = (text: string) => lex(new SourceFile('/t.h', text, 1));

describe('lexer', () => {
  it('splits identifiers, numbers, strings, characters and the longest punctuators', () => {
    const { tokens } = lexText('x->y <<= 0x1fULL 1e+5 .5 "a\\"b" L\'c\' ... a##b');
    assert.deepEqual(tokens.map((t) => t.text), ['x', '->', 'y', '<<=', '0x1fULL', '1e+5', '.5', '"a\\"b"', "L'c'", '...', 'a', '##', 'b']);
    assert.deepEqual(tokens.map((t) => t.kind).slice(4, 9), [TokenKind.Number, TokenKind.Number, TokenKind.Number, TokenKind.String, TokenKind.Char]);
  });

  it('reads pp-numbers and identifiers whole, with exponent signs, dollars and non-ASCII letters', () => {
    const { tokens } = lexText('0x1p-3f 1.e+10L 0xe+1 12_ab.c- $x_1 na\u00efve9 a\tb\v\fc');
    assert.deepEqual(tokens.map((t) => t.text), ['0x1p-3f', '1.e+10L', '0xe+1', '12_ab.c', '-', '$x_1', 'na\u00efve9', 'a', 'b', 'c']);
    assert.deepEqual(tokens.map((t) => t.kind).slice(0, 6), [TokenKind.Number, TokenKind.Number, TokenKind.Number, TokenKind.Number, TokenKind.Punct, TokenKind.Identifier]);
    assert.deepEqual(tokens.slice(7).map((t) => t.flags & TokenFlag.SPACE), [TokenFlag.SPACE, TokenFlag.SPACE, TokenFlag.SPACE]);
  });

  it('marks the first token of each line and tokens after whitespace', () => {
    const { tokens } = lexText('#if A\n  int b;');
    assert.equal(tokens[0].flags & TokenFlag.BOL, TokenFlag.BOL);
    assert.equal(tokens[3].text, 'int');
    assert.equal(tokens[3].flags & TokenFlag.BOL, TokenFlag.BOL);
    assert.equal(tokens[3].flags & TokenFlag.SPACE, TokenFlag.SPACE);
    assert.equal(tokens[1].flags & TokenFlag.BOL, 0);
  });

  it('skips one blank or a run of them alike: before a token, a newline, a carriage return, a control character or the end', () => {
    const { tokens } = lexText('a b\t c \nd \r\ne \x01 f \t');
    assert.deepEqual(tokens.map((t) => t.text), ['a', 'b', 'c', 'd', 'e', '\x01', 'f']);
    assert.deepEqual(tokens.map((t) => t.start), [0, 2, 5, 8, 12, 14, 16]);
    assert.deepEqual(tokens.map((t) => t.flags), [TokenFlag.BOL, TokenFlag.SPACE, TokenFlag.SPACE, TokenFlag.BOL, TokenFlag.BOL, TokenFlag.SPACE, TokenFlag.SPACE]);
  });

  it('lists the directives: a # that starts a line, not ## or a # inside one', () => {
    const { tokens, directives } = lexText('#define A(x) #x a ## b\n  # if 1\nint c; #\n#\\\n endif');
    assert.deepEqual(directives.map((i) => tokens[i + 1]?.text), ['define', 'if', 'endif']);
  });

  it('joins lines ending in a backslash and keeps comments with their offsets', () => {
    const text = '#if M(a) \\\n  (a) /* c1 */ // c2 \\\n still c2\nint';
    const { tokens, comments } = lexText(text);
    assert.deepEqual(tokens.map((t) => t.text), ['#', 'if', 'M', '(', 'a', ')', '(', 'a', ')', 'int']);
    assert.equal(tokens[6].flags & TokenFlag.BOL, 0, 'a spliced line continues the directive');
    assert.deepEqual(comments.map((c) => c.text), ['/* c1 */', '// c2 \\\n still c2']);
    assert.equal(text.slice(comments[0].start, comments[0].end), '/* c1 */');
  });

  it("leaves #define bodies as text, where they end, and lexes them on demand as a whole-file lex would", () => {
    const text = [
      '#define OBJ 1 + (2) /* c1 */ \\',
      '  + 3',
      '# define FN(a, ...) a ## __VA_ARGS__ /* spans',
      '   lines */ x',
      '#define SPACED (a) "s//x" \'q\'',
      '#define EMPTY',
      '#define NOPE(',
      '#define 3',
      'int end;',
    ].join('\n');
    const file = new SourceFile('/t.h', text, 1);
    const { tokens, directives, defineBodies, comments } = lex(file);
    assert.deepEqual(directives.map((i) => tokens[i + 1].text), ['define', 'define', 'define', 'define', 'define', 'define']);
    assert.deepEqual(tokens.map((t) => t.text), ['#', 'define', 'OBJ', '#', 'define', 'FN', '(', 'a', ',', '...', ')', '#', 'define', 'SPACED', '#', 'define', 'EMPTY', '#', 'define', 'NOPE', '(', '#', 'define', '3', 'int', 'end', ';']);
    assert.deepEqual(comments.map((c) => c.text), ['/* c1 */', '/* spans\n   lines */'], 'comments in bodies are still found');
    const body = (name: string): string[] => {
      const nameToken = tokens.find((t) => t.text === name);
      const word = tokens[tokens.indexOf(nameToken!) - 1];
      const end = defineBodies.get(word.start);
      assert.ok(end !== undefined, `a body for ${name}`);
      const last = tokens[tokens.indexOf(nameToken!) + (name === 'FN' ? 5 : 0)];
      return lexRange(file, last.end, end).map((t) => `${t.text}${t.flags & TokenFlag.SPACE ? '_' : ''}`);
    };
    assert.deepEqual(body('OBJ'), ['1_', '+_', '(_', '2', ')', '+_', '3_']);
    assert.deepEqual(body('FN'), ['a_', '##_', '__VA_ARGS___', 'x_']);
    assert.deepEqual(body('SPACED'), ['(_', 'a', ')', '"s//x"_', "'q'_"]);
    assert.deepEqual(body('EMPTY'), []);
    assert.equal(defineBodies.size, 4, 'no body where the name or the parameter list is malformed');
    assert.equal(tokens[tokens.length - 3].flags & TokenFlag.BOL, TokenFlag.BOL);
  });

  it('still reports what is wrong inside a #define body it does not make tokens of (a stray character only where it is expanded)', () => {
    const { diagnostics, tokens } = lexText('#define A @ "open\n#define B /* open');
    assert.deepEqual(diagnostics.map((d) => d.code), ['unterminated-literal', 'unterminated-comment']);
    assert.deepEqual(tokens.map((t) => t.text), ['#', 'define', 'A', '#', 'define', 'B']);
  });

  it('reports an unterminated comment and an unterminated string, and keeps going', () => {
    const a = lexText('int a; /* open');
    assert.deepEqual(a.tokens.map((t) => t.text), ['int', 'a', ';']);
    assert.match(a.diagnostics[0].message, /unterminated comment/);
    const b = lexText('char *s = "open\nint next;');
    assert.match(b.diagnostics[0].message, /missing terminating "/);
    assert.deepEqual(b.tokens.slice(-3).map((t) => t.text), ['int', 'next', ';']);
  });

  it('takes the characters beyond ASCII that gcc takes in identifiers (C11 Annex D), and no others', () => {
    const texts = (source: string) => lexText(source).tokens.map((t) => `${t.kind === TokenKind.Identifier ? 'id' : t.kind === TokenKind.Number ? 'num' : 'other'}:${t.text}`);
    assert.deepEqual(texts('struct w\u00e9 { int \u00e9; };').slice(0, 6), ['id:struct', 'id:w\u00e9', 'other:{', 'id:int', 'id:\u00e9', 'other:;']);
    assert.deepEqual(texts('\u03bb_\u0394x2 \u{1d400}b'), ['id:\u03bb_\u0394x2', 'id:\u{1d400}b'], 'Greek letters, and one beyond the BMP');
    assert.deepEqual(texts('e\u0301 \u0301e'), ['id:e\u0301', 'other:\u0301', 'id:e'], 'a combining mark continues an identifier but cannot start one');
    assert.deepEqual(texts('x\u2019 1\u00e9'), ['id:x', 'other:\u2019', 'num:1\u00e9'], 'U+2019 is not in Annex D: a stray, as gcc says');
    assert.deepEqual(texts('a\uFFFDb'), ['id:a', 'other:\uFFFD', 'id:b'], 'bytes that were not UTF-8 end an identifier');
    assert.match(unitOf('int x\u2019;').diagnostics[0].message, /stray '\u2019' in program/);
  });

  it('deletes line splices before forming tokens, so one may fall inside a token, and none counts as a space', () => {
    const spelled = (source: string) => lexText(source).tokens.map((t) => `${t.text}${t.flags & TokenFlag.SPACE ? '_' : ''}`);
    assert.deepEqual(spelled('con\\\nst int a\\\r\nb = 1e\\\n+5;'), ['const', 'int_', 'ab_', '=_', '1e+5_', ';']);
    assert.deepEqual(spelled('x -\\\n> y <<\\\n= .\\\n.\\\n. #\\\n#'), ['x', '->_', 'y_', '<<=_', '..._', '##_']);
    assert.deepEqual(spelled('a\\\n+b'), ['a', '+', 'b'], 'no space where a splice was: `#` makes "a+b" of it, as gcc does');
    const { tokens } = lexText('ab\\\ncd;');
    assert.deepEqual([tokens[0].start, tokens[0].end], [0, 6], 'the token spans the source it was spelled across');
  });

  it('reads string literals and comments whose delimiters or prefixes are split by a splice, with CRLF too', () => {
    const { tokens, comments } = lexText('u8\\\n"abc" "de\\\r\nf" /\\\n* c *\\\n/ a /\\\n/ line\nb "q\\\\\n" x"');
    assert.deepEqual(tokens.map((t) => t.text), ['u8"abc"', '"def"', 'a', 'b', '"q\\" x"'], 'in "q\\<newline>", the splice goes first and the quote is escaped');
    assert.deepEqual(tokens.map((t) => t.kind).slice(0, 2), [TokenKind.String, TokenKind.String]);
    assert.deepEqual(comments.map((c) => c.text), ['/\\\n* c *\\\n/', '/\\\n/ line']);
  });

  it('sees a function-like #define whose name and parameter list are split by a splice', () => {
    const file = new SourceFile('/t.h', '#def\\\nine F\\\n(x) x\\\nx\nint y;', 1);
    const { tokens, defineBodies } = lex(file);
    assert.deepEqual(tokens.map((t) => t.text), ['#', 'define', 'F', '(', 'x', ')', 'int', 'y', ';']);
    assert.equal(tokens[3].flags & TokenFlag.SPACE, 0, 'the ( follows the name with nothing but a splice between');
    const [[word, end]] = [...defineBodies];
    assert.equal(word, tokens[1].start);
    assert.deepEqual(lexRange(file, tokens[5].end, end).map((t) => t.text), ['xx']);
  });

  it('reads universal character names in identifiers as the characters they name (\\u00e9 is é), where Annex D allows them', () => {
    const { tokens } = lexText('int \\u00e9 = w\\u00e9\\U0001D400; \\u0301x \\u00zz');
    assert.deepEqual(tokens.slice(0, 5).map((t) => t.text), ['int', '\u00e9', '=', 'w\u00e9\u{1d400}', ';']);
    assert.deepEqual(tokens.slice(5).map((t) => t.text), ['\\', 'u0301x', '\\', 'u00zz'], 'a combining mark cannot start a name; a short UCN is none');
  });

  it('reads the digraphs as the punctuators they spell, and %: at the start of a line as a directive', () => {
    const { tokens, directives } = lexText('%:define X(a) a %:%: b\nint a<:3:> = <%1%>; x %= 2; y <<= p <= q; a::b;');
    assert.deepEqual(directives, [0]);
    assert.deepEqual(tokens.slice(0, 6).map((t) => t.text), ['#', 'define', 'X', '(', 'a', ')']);
    assert.deepEqual(tokens.slice(6).map((t) => t.text), ['int', 'a', '[', '3', ']', '=', '{', '1', '}', ';', 'x', '%=', '2', ';', 'y', '<<=', 'p', '<=', 'q', ';', 'a', ':', ':', 'b', ';']);
    assert.deepEqual([tokens[8].start, tokens[8].end], [28, 30], 'a digraph spans its two characters');
  });

  it('reports stray characters and invalid UTF-8 a few times, not once per byte', () => {
    const { tokens } = lexText('int a; @ \uFFFD'.repeat(50));
    assert.equal(tokens.filter((t) => t.kind === TokenKind.Other).length, 100);
    const strays = unitOf('int a; @ \uFFFD'.repeat(50)).diagnostics.filter((d) => d.code === 'stray-character');
    assert.equal(strays.length, 3);
    assert.match(strays[0].message, /stray '@'/);
    assert.match(strays[1].message, /invalid UTF-8/);
  });
});
