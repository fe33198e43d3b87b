// Values of C integer and character literals (shared by #if evaluation and constant expressions).

export interface IntegerLiteral {
  value: bigint;
  unsigned: boolean;
  /** 0 = int, 1 = long, 2 = long long (from the suffix; the value may still promote further). */
  longness: number;
}

const SUFFIX = /^(?:[uU](?:ll|LL|l|L)?|(?:ll|LL|l|L)[uU]?)?$/;

/** Literals already parsed (headers repeat the same few hundred numbers; BigInt parsing is a measured cost). */
const parsedLiterals = new Map<string, Readonly<IntegerLiteral> | null>();
const MAX_PARSED_LITERALS = 8192;

/** Parses a C integer literal (decimal, octal, hex, binary, with u/l/ll suffixes); undefined if it is not one. */
export function parseIntegerLiteral(text: string): Readonly<IntegerLiteral> | undefined {
  const known = parsedLiterals.get(text);
  if (known !== undefined) return known ?? undefined;
  const parsed = parseLiteral(text);
  if (parsedLiterals.size >= MAX_PARSED_LITERALS) parsedLiterals.clear();
  parsedLiterals.set(text, parsed ?? null);
  return parsed;
}

function parseLiteral(text: string): IntegerLiteral | undefined {
  let i = 0;
  let radix = 10;
  let digits: string;
  const lower = text.toLowerCase();
  if (lower.startsWith('0x')) {
    radix = 16;
    i = 2;
  } else if (lower.startsWith('0b')) {
    radix = 2;
    i = 2;
  } else if (lower.startsWith('0')) {
    radix = 8;
  }
  let j = i;
  while (j < text.length && isDigitOf(text.charCodeAt(j), radix)) j++;
  digits = text.slice(i, j);
  const suffix = text.slice(j);
  if (!SUFFIX.test(suffix)) return undefined;
  if (digits === '') {
    if (radix === 8) digits = '0';
    else return undefined;
  }
  let value: bigint;
  if (radix === 10) value = BigInt(digits);
  else if (radix === 16) value = BigInt('0x' + digits);
  else if (radix === 2) value = BigInt('0b' + digits);
  else value = BigInt('0o' + digits);
  const s = suffix.toLowerCase();
  const unsignedSuffix = s.includes('u');
  const longness = s.includes('ll') ? 2 : s.includes('l') ? 1 : 0;
  // A value wider than 64 bits is cut to 64 first, and typed by what is left, as gcc does ("integer constant is too
  // large for its type"): -922337203685477580864 is -64. What fits no signed 64-bit type is unsigned (hex and octal
  // ones are so silently in C).
  const truncated = BigInt.asUintN(64, value);
  const unsigned = unsignedSuffix || truncated > 0x7fffffffffffffffn;
  return { value: truncated, unsigned, longness };
}

function isDigitOf(c: number, radix: number): boolean {
  if (radix === 16) return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
  if (radix === 8) return c >= 48 && c <= 55;
  if (radix === 2) return c === 48 || c === 49;
  return c >= 48 && c <= 57;
}

const SIMPLE_ESCAPES: Record<string, number> = {
  n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, e: 27, '\\': 92, "'": 39, '"': 34, '?': 63,
};

/** The value of a character constant like 'a', '\n', '\x41', '\0' (plain char, sign as the target's char). */
export function parseCharLiteral(text: string, charSigned = true): bigint | undefined {
  const open = text.indexOf("'");
  if (open < 0 || !text.endsWith("'") || text.length < open + 3) return undefined;
  const body = text.slice(open + 1, -1);
  let code: number;
  if (body[0] !== '\\') {
    code = body.codePointAt(0) ?? 0;
  } else if (body[1] === 'x') {
    code = parseInt(body.slice(2), 16);
  } else if (body[1] >= '0' && body[1] <= '7') {
    code = parseInt(body.slice(1, 4), 8);
  } else {
    code = SIMPLE_ESCAPES[body[1]] ?? body.charCodeAt(1);
  }
  if (Number.isNaN(code)) return undefined;
  if (open === 0 && code < 256) return BigInt(charSigned && code > 127 ? code - 256 : code);
  return BigInt(code);
}

/** What a string literal's array is made of: char (also u8), wchar_t (L), char16_t (u) or char32_t (U). */
export type StringElement = 'char' | 'wchar' | 'char16' | 'char32';

const ELEMENT_OF_PREFIX: Record<string, StringElement> = { '': 'char', u8: 'char', L: 'wchar', u: 'char16', U: 'char32' };

/** Code units of `element` that code point `cp` takes (UTF-8 bytes, UTF-16 units, or one). */
function unitsOf(cp: number, element: StringElement): number {
  if (element === 'char') return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  return element === 'char16' && cp > 0xffff ? 2 : 1;
}

/** Code units in the body of a string literal (between its quotes), escapes read as C reads them. */
function bodyUnits(body: string, element: StringElement): number {
  let units = 0;
  for (let i = 0; i < body.length; ) {
    const cp = body.codePointAt(i) as number;
    if (cp !== 92) {
      units += unitsOf(cp, element);
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const e = body[i + 1] ?? '';
    if (e === 'u' || e === 'U') {
      const digits = e === 'u' ? 4 : 8;
      units += unitsOf(parseInt(body.slice(i + 2, i + 2 + digits), 16) || 0, element);
      i += 2 + digits;
    } else if (e === 'x') {
      i += 2;
      while (i < body.length && isDigitOf(body.charCodeAt(i), 16)) i++;
      units++;
    } else if (e >= '0' && e <= '7') {
      i += 2;
      for (let k = 0; k < 2 && i < body.length && isDigitOf(body.charCodeAt(i), 8); k++) i++;
      units++;
    } else {
      i += 2;
      units++;
    }
  }
  return units;
}

/**
 * The array a string literal makes, written as one or more adjacent literals ("a" "b" is "ab"): its element type
 * and its length with the terminating null, as `sizeof` sees it. Undefined for a malformed or mixed-prefix one.
 */
export function stringLiteralArray(texts: string[]): { element: StringElement; length: number } | undefined {
  let element: StringElement = 'char';
  const bodies: string[] = [];
  for (const text of texts) {
    const open = text.indexOf('"');
    if (open < 0 || text.length < open + 2 || !text.endsWith('"')) return undefined;
    const own = ELEMENT_OF_PREFIX[text.slice(0, open)];
    if (own === undefined) return undefined;
    if (own !== 'char') {
      if (element !== 'char' && element !== own) return undefined;
      element = own;
    }
    bodies.push(text.slice(open + 1, -1));
  }
  let length = 1;
  for (const body of bodies) length += bodyUnits(body, element);
  return { element, length };
}
