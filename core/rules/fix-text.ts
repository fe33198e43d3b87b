// Where quick fixes put their text: whole lines of a declaration, the line of a record's closing brace, a line's indent.
import type { RecordDecl } from '../c/ast';
import type { SourceFile, Span } from '../source';

/** The offset where `offset`'s line starts. */
function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset after `offset`'s line and its newline. */
function nextLine(text: string, offset: number): number {
  const end = text.indexOf('\n', offset);
  return end < 0 ? text.length : end + 1;
}

/**
 * The whole lines `span` is written on, when nothing else is (only blanks before it, and `;`, blanks or a comment
 * after it): what can be moved or followed by a new line without touching other declarations.
 */
export function wholeLines(span: Span): Span | undefined {
  const text = span.file.text;
  const start = lineStart(text, span.start);
  const end = nextLine(text, span.end);
  if (text.slice(start, span.start).trim() !== '') return undefined;
  if (!/^\s*;?\s*(\/\*.*\*\/|\/\/.*)?\s*$/.test(text.slice(span.end, end))) return undefined;
  return { file: span.file, start, end };
}

/** The start of the line holding the record's closing brace, when the brace opens its line (after blanks). */
export function closingBraceLine(decl: RecordDecl): Span | undefined {
  const text = decl.span.file.text;
  const brace = text.lastIndexOf('}', decl.span.end);
  if (brace < decl.span.start) return undefined;
  const start = lineStart(text, brace);
  if (text.slice(start, brace).trim() !== '') return undefined;
  return { file: decl.span.file, start, end: start };
}

/** The blanks that open the line `span` starts on. */
export function indentOf(span: Span): string {
  const text = span.file.text;
  const start = lineStart(text, span.start);
  return /^[ \t]*/.exec(text.slice(start))?.[0] ?? '';
}

/** An empty span at the start of the line after `offset`'s (where a new line goes after it). */
export function afterLine(file: SourceFile, offset: number): Span {
  const at = nextLine(file.text, offset);
  return { file, start: at, end: at };
}
