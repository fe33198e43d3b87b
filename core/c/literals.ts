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
  // A value that fits no signed 64-bit type is unsigned (hex/octal ones do this silently in C).
  const unsigned = unsignedSuffix || value > 0x7fffffffffffffffn;
  return { value: BigInt.asUintN(64, value), unsigned, longness };
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
