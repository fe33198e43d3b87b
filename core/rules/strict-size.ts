// strict-size-check: kernel code that refuses a user-supplied size larger than its struct outright, as the 2008 RFC's
// get_long_clone_arg() did. Read from the file's tokens as written (no preprocessing: kernel .c files are not built).
import { TokenKind, type Token } from '../c/token';
import { isPunct, isWord, sizeofAt, writtenTokens } from '../written-code';
import type { Finding } from './finding';

/** How far after the comparison the error return may be (`return ERR_PTR(-EINVAL);` is a dozen tokens). */
const RETURN_WINDOW = 24;

/** A name for the size userspace passes (`size`, `usize`, `attr_size`), not a buffer's length or a count. */
const USER_SIZE = /size/i;

/**
 * `if (size > sizeof(struct foo))` (or `sizeof(struct foo) < size`) followed by a return of a negative errno: each is
 * one finding, at the comparison. Only a struct's size against a name that says it is a size: over 2,080 .c files of
 * 6.1 (kernel/, mm/, fs/, net/core/, security/) the wider pattern found 17 checks of buffers and counts, none of an
 * argument struct; this one finds none there, and the RFC's get_long_clone_arg().
 */
export function strictSizeFindings(tokens: readonly Token[]): Finding[] {
  const out: Finding[] = [];
  let bodies: FunctionBodies | undefined;
  for (let i = 0; i + 2 < tokens.length; i++) {
    if (!isWord(tokens[i], 'if') || !isPunct(tokens[i + 1], '(')) continue;
    const compared = comparison(tokens, i + 2);
    if (!compared || !compared.type.startsWith('struct ') || !USER_SIZE.test(compared.size)) continue;
    const errno = errorReturn(tokens, compared.end);
    if (!errno) continue;
    const first = tokens[i + 2];
    const last = tokens[compared.end - 1];
    bodies ??= functionBodies(tokens);
    const refused = `'${compared.size}' larger than sizeof(${compared.type}) is refused outright (${errno})`;
    out.push({
      span: { file: first.file, start: first.start, end: last.end },
      severity: 'warning',
      code: 'strict-size-check',
      message: copiesOutOnly(tokens, bodies, i)
        ? `${refused}: newer userspace, whose buffer for a newer, larger struct is larger, is refused by this kernel. Copy min(${compared.size}, sizeof(${compared.type})) out instead (copy_struct_to_user() in newer kernels), and the call keeps working`
        : `${refused}: userspace built against a newer, larger struct with a zero tail is refused by this kernel. copy_struct_from_user() accepts it when the extra bytes are zero (E2BIG when they are not)`,
    });
  }
  return out;
}

/** For each token, where the top-level braces around it (a function's body) open and close; -1 outside any. */
interface FunctionBodies {
  open: Int32Array;
  close: Map<number, number>;
}

function functionBodies(tokens: readonly Token[]): FunctionBodies {
  const open = new Int32Array(tokens.length).fill(-1);
  const close = new Map<number, number>();
  let depth = 0;
  let start = -1;
  for (let i = 0; i < tokens.length; i++) {
    if (isPunct(tokens[i], '{') && depth++ === 0) start = i;
    open[i] = depth > 0 ? start : -1;
    if (isPunct(tokens[i], '}') && depth > 0 && --depth === 0) close.set(start, i);
  }
  return { open, close };
}

const COPY_IN = new Set(['copy_from_user', 'copy_struct_from_user', 'memdup_user', 'get_user', '__copy_from_user', 'copy_from_sockptr']);
const COPY_OUT = new Set(['copy_to_user', '__copy_to_user', 'put_user', 'copy_to_sockptr']);

/** Whether the function around token `at` copies to userspace and never from it: the size is an output buffer's. */
function copiesOutOnly(tokens: readonly Token[], bodies: FunctionBodies, at: number): boolean {
  const start = bodies.open[at];
  if (start < 0) return false;
  const end = bodies.close.get(start) ?? tokens.length - 1;
  let out = false;
  for (let i = start; i < end; i++) {
    const t = tokens[i];
    if (t.kind !== TokenKind.Identifier || !isPunct(tokens[i + 1], '(')) continue;
    if (COPY_IN.has(t.text)) return false;
    out ||= COPY_OUT.has(t.text);
  }
  return out;
}

/** `SIZE > sizeof ( TYPE )` or `sizeof ( TYPE ) < SIZE` starting at `at`: the size's name, the type's text and the end. */
function comparison(tokens: readonly Token[], at: number): { size: string; type: string; end: number } | undefined {
  const size = tokens[at];
  if (size?.kind === TokenKind.Identifier && isPunct(tokens[at + 1], '>')) {
    const sized = sizeofAt(tokens, at + 2);
    if (sized) return { size: size.text, type: sized.type, end: sized.end };
  }
  const sized = sizeofAt(tokens, at);
  if (sized && isPunct(tokens[sized.end], '<') && tokens[sized.end + 1]?.kind === TokenKind.Identifier && tokens[sized.end + 1].text !== 'sizeof') {
    return { size: tokens[sized.end + 1].text, type: sized.type, end: sized.end + 2 };
  }
  return undefined;
}

/** The `-EXXX` a `return` right after the condition gives back (`return -EINVAL;`, `return ERR_PTR(-E2BIG);`). */
function errorReturn(tokens: readonly Token[], from: number): string | undefined {
  let returned = false;
  for (let j = from; j < tokens.length && j < from + RETURN_WINDOW; j++) {
    const t = tokens[j];
    if (isWord(t, 'return')) returned = true;
    else if (returned && isPunct(t, '-') && tokens[j + 1]?.kind === TokenKind.Identifier && /^E[A-Z0-9]+$/.test(tokens[j + 1].text)) return tokens[j + 1].text;
    else if (isPunct(t, ';') && returned) return undefined;
    else if (isPunct(t, '{') && !returned && j > from + 1) return undefined;
  }
  return undefined;
}

/** What may stand between two tokens: blanks, line splices and comments. */
const GAP = String.raw`(?:\s|\\\r?\n|/\*(?:[^*]|\*(?!/))*\*/|//[^\n]*\n)*`;
const SIZE_NAME = String.raw`[\w$]*size[\w$]*`;

/**
 * Text that may hold what strictSizeFindings looks for, `if (SIZE > sizeof` or `if (sizeof(...) < SIZE`: every file
 * it flags matches (what lies between the tokens included), and most kernel files do not, so they are not lexed. A
 * whole tree's 32,000 .c files spent most of `sysarg check`'s time being lexed for this rule.
 */
const MAY_COMPARE_SIZE = new RegExp(String.raw`\bif${GAP}\(${GAP}(?:${SIZE_NAME}${GAP}>${GAP}sizeof\b|sizeof\b[^;{}]*<${GAP}${SIZE_NAME})`, 'i');

/** The findings in a file read only as written (a Linux tree's internal file a patch changes: never preprocessed). */
export function writtenCodeFindings(path: string, text: string): Finding[] {
  if (!MAY_COMPARE_SIZE.test(text)) return [];
  return strictSizeFindings(writtenTokens(path, text).tokens);
}
