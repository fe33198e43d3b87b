// Kernel code read as written, not preprocessed (its .c files are not built here): its tokens, and the tests on them
// that the readers of such code share (strict-size-check, the structs copy_struct_from_user() copies in).
import { lex } from './c/lexer';
import { TokenKind, type Token } from './c/token';
import { SourceFile } from './source';

/** The tokens of `text` as written (comments and directives' words included as tokens; no macro expanded). */
export function writtenTokens(path: string, text: string): { file: SourceFile; tokens: Token[] } {
  const file = new SourceFile(path, text, -1);
  return { file, tokens: lex(file).tokens };
}

export const isIdentifier = (t: Token | undefined): t is Token => t !== undefined && t.kind === TokenKind.Identifier;
export const isWord = (t: Token | undefined, text: string): boolean => isIdentifier(t) && t.text === text;
export const isPunct = (t: Token | undefined, text: string): boolean => t !== undefined && t.kind === TokenKind.Punct && t.text === text;

/**
 * `sizeof ( ... )` at `at`: the text between the parentheses (`struct foo`, `*attr`), the index of its first token
 * and the index after the `)`; undefined if there is none there or it runs past 16 tokens.
 */
export function sizeofAt(tokens: readonly Token[], at: number): { type: string; from: number; end: number } | undefined {
  if (!isWord(tokens[at], 'sizeof') || !isPunct(tokens[at + 1], '(')) return undefined;
  const words: string[] = [];
  for (let j = at + 2, depth = 1; j < tokens.length && j < at + 16; j++) {
    if (isPunct(tokens[j], '(')) depth++;
    if (isPunct(tokens[j], ')') && --depth === 0) return words.length > 0 ? { type: words.join(' ').replace(/\* /g, '*'), from: at + 2, end: j + 1 } : undefined;
    words.push(tokens[j].text);
  }
  return undefined;
}
