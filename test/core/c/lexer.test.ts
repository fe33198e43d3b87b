// The lexer: tokens, comments, line splices, and recovery from unterminated literals, comments and stray bytes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lex } from '../../../core/c/lexer';
import { BOL, SPACE, TokenKind } from '../../../core/c/token';
import { SourceFile } from '../../../core/source';

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
    assert.deepEqual(tokens.slice(7).map((t) => t.flags & SPACE), [SPACE, SPACE, SPACE]);
  });

  it('marks the first token of each line and tokens after whitespace', () => {
    const { tokens } = lexText('#define A 1\n  int b;');
    assert.equal(tokens[0].flags & BOL, BOL);
    assert.equal(tokens[4].text, 'int');
    assert.equal(tokens[4].flags & BOL, BOL);
    assert.equal(tokens[4].flags & SPACE, SPACE);
    assert.equal(tokens[1].flags & BOL, 0);
  });

  it('lists the directives: a # that starts a line, not ## or a # inside one', () => {
    const { tokens, directives } = lexText('#define A(x) #x a ## b\n  # if 1\nint c; #\n#\\\n endif');
    assert.deepEqual(directives.map((i) => tokens[i + 1]?.text), ['define', 'if', 'endif']);
  });

  it('joins lines ending in a backslash and keeps comments with their offsets', () => {
    const text = '#define M(a) \\\n  (a) /* c1 */ // c2 \\\n still c2\nint';
    const { tokens, comments } = lexText(text);
    assert.deepEqual(tokens.map((t) => t.text), ['#', 'define', 'M', '(', 'a', ')', '(', 'a', ')', 'int']);
    assert.equal(tokens[6].flags & BOL, 0, 'a spliced line continues the directive');
    assert.deepEqual(comments.map((c) => c.text), ['/* c1 */', '// c2 \\\n still c2']);
    assert.equal(text.slice(comments[0].start, comments[0].end), '/* c1 */');
  });

  it('reports an unterminated comment and an unterminated string, and keeps going', () => {
    const a = lexText('int a; /* open');
    assert.deepEqual(a.tokens.map((t) => t.text), ['int', 'a', ';']);
    assert.match(a.diagnostics[0].message, /unterminated comment/);
    const b = lexText('char *s = "open\nint next;');
    assert.match(b.diagnostics[0].message, /missing terminating "/);
    assert.deepEqual(b.tokens.slice(-3).map((t) => t.text), ['int', 'next', ';']);
  });

  it('reports stray characters and invalid UTF-8 a few times, not once per byte', () => {
    const { diagnostics, tokens } = lexText('int a; @ \uFFFD'.repeat(50));
    assert.equal(diagnostics.length, 3);
    assert.match(diagnostics[0].message, /stray '@'/);
    assert.match(diagnostics[1].message, /invalid UTF-8/);
    assert.equal(tokens.filter((t) => t.kind === TokenKind.Other).length, 100);
  });
});
