// Macro definitions: parsing `#define` lines and the command line's -D/-U, with positions for hover and constants.
import { SourceFile } from '../source';
import { lex, lexRange } from './lexer';
import { TokenFlag, Token, TokenKind } from './token';

export interface MacroDef {
  name: string;
  /** Parameter names for function-like macros (the variadic one is `__VA_ARGS__` unless named); null if object-like. */
  params: string[] | null;
  variadic: boolean;
  /** The replacement list; null until first asked for (`macroBody`) when the lexer left it as text. */
  tokens: Token[] | null;
  /** Where that text lies in `file`, from `bodyStart` to `bodyEnd`, while `tokens` is null. */
  bodyStart: number;
  bodyEnd: number;
  /** Where the name was written; null for predefined and command-line macros. */
  file: SourceFile | null;
  start: number;
  end: number;
  /** Dynamic built-ins (__LINE__, __FILE__, __COUNTER__...). */
  builtin?: 'line' | 'file' | 'counter' | 'include-level' | 'base-file';
}

// Built field by field: an object spread here was a measured V8 slow path (most of the time of every #define).
// The body is `line` from `body` on, or, when the lexer left it as text (`bodyEnd` >= 0), the text up to `bodyEnd`.
function definition(name: Token, params: string[] | null, variadic: boolean, line: Token[], body: number, bodyEnd: number): MacroDef {
  const text = bodyEnd >= 0;
  const tokens = text ? null : line.slice(body);
  const bodyStart = text ? line[body - 1].end : 0;
  return { name: name.text, params, variadic, tokens, bodyStart, bodyEnd: text ? bodyEnd : 0, file: name.file, start: name.start, end: name.end };
}

/** A macro's replacement list, lexed from its `#define` line the first time it is needed. */
export function macroBody(macro: MacroDef): Token[] {
  let tokens = macro.tokens;
  if (tokens === null) {
    tokens = macro.file ? lexRange(macro.file, macro.bodyStart, macro.bodyEnd) : [];
    macro.tokens = tokens;
  }
  return tokens;
}

export interface DefineResult {
  macro?: MacroDef;
  error?: { token: Token; message: string };
}

/**
 * Parses the tokens of a `#define` line after the word `define`. When the lexer left the body as text, `bodyEnd` is
 * where it ends (it begins after the name or the parameter list, the last of `line`).
 */
export function parseDefine(line: Token[], bodyEnd = -1): DefineResult {
  const name = line[0];
  if (!name) return { error: { token: line[0], message: 'macro name missing' } };
  if (name.kind !== TokenKind.Identifier) return { error: { token: name, message: 'macro names must be identifiers' } };
  if (name.text === 'defined') return { error: { token: name, message: '"defined" cannot be used as a macro name' } };
  const paren = line[1];
  if (paren && paren.is('(') && !(paren.flags & TokenFlag.SPACE)) {
    const params: string[] = [];
    let variadic = false;
    let i = 2;
    for (;;) {
      const t = line[i];
      if (!t) return { error: { token: paren, message: `missing ')' in the parameter list of macro '${name.text}'` } };
      if (t.is(')') && params.length === 0 && !variadic) {
        i++;
        break;
      }
      if (t.is('...')) {
        variadic = true;
        params.push('__VA_ARGS__');
        i++;
      } else if (t.kind === TokenKind.Identifier) {
        params.push(t.text);
        i++;
        if (line[i]?.is('...')) {
          variadic = true;
          i++;
        }
      } else {
        return { error: { token: t, message: `expected a parameter name in macro '${name.text}', found '${t.text}'` } };
      }
      const sep = line[i];
      if (sep?.is(')')) {
        i++;
        break;
      }
      if (!sep?.is(',') || variadic) {
        return { error: { token: sep ?? t, message: `expected ',' or ')' in the parameter list of macro '${name.text}'` } };
      }
      i++;
    }
    return { macro: definition(name, params, variadic, line, i, bodyEnd) };
  }
  return { macro: definition(name, null, false, line, 1, bodyEnd) };
}

let commandLineFileId = -1;

/** Macros from `NAME VALUE` lines (predefined) or `NAME[=VALUE]` (-D); each gets a virtual source file. */
export function macrosFromText(lines: string[], label: string, defineSyntax: boolean): MacroDef[] {
  const text = lines.map((l) => (defineSyntax ? toDefineLine(l) : l)).join('\n');
  const file = new SourceFile(label, text, commandLineFileId--);
  const tokens = lex(file).tokens;
  const macros: MacroDef[] = [];
  let lineStart = 0;
  for (let i = 1; i <= tokens.length; i++) {
    if (i === tokens.length || tokens[i].flags & TokenFlag.BOL) {
      const { macro } = parseDefine(tokens.slice(lineStart, i));
      // The same object, not a spread copy: a copy has another shape, and code optimised on written macros was thrown
      // away the first time it met a predefined one.
      if (macro) {
        macro.file = null;
        macros.push(macro);
      }
      lineStart = i;
    }
  }
  return macros;
}

function toDefineLine(definition: string): string {
  const eq = definition.indexOf('=');
  if (eq < 0) return `${definition} 1`;
  return `${definition.slice(0, eq)} ${definition.slice(eq + 1)}`;
}

/** Two definitions are the same (a redefinition is then not a problem) when their bodies are token-identical. */
export function sameDefinition(a: MacroDef, b: MacroDef): boolean {
  if (a.params === null !== (b.params === null)) return false;
  if (a.params && b.params && a.params.join(',') !== b.params.join(',')) return false;
  const x = macroBody(a);
  const y = macroBody(b);
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) {
    if (x[i].text !== y[i].text) return false;
    if (i > 0 && (x[i].flags & TokenFlag.SPACE) !== (y[i].flags & TokenFlag.SPACE)) return false;
  }
  return true;
}
