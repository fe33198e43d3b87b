// Evaluates `#if` expressions the way the C preprocessor does: intmax_t/uintmax_t arithmetic on fully expanded tokens.
import { parseCharLiteral, parseIntegerLiteral } from './literals';
import { MAX_NESTING } from './nesting';
import { Token, TokenKind } from './token';

interface PPValue {
  v: bigint;
  unsigned: boolean;
}

export class PPExpressionError extends Error {
  constructor(
    message: string,
    readonly token: Token | undefined,
  ) {
    super(message);
  }
}

const BINARY_PRECEDENCE: Record<string, number> = {
  '*': 10, '/': 10, '%': 10,
  '+': 9, '-': 9,
  '<<': 8, '>>': 8,
  '<': 7, '>': 7, '<=': 7, '>=': 7,
  '==': 6, '!=': 6,
  '&': 5, '^': 4, '|': 3, '&&': 2, '||': 1,
};

function norm(v: bigint, unsigned: boolean): PPValue {
  return { v: unsigned ? BigInt.asUintN(64, v) : BigInt.asIntN(64, v), unsigned };
}

/**
 * Evaluates tokens that are already macro-expanded, with `defined` already replaced.
 * Remaining identifiers count as 0, as in C.
 */
export function evaluatePPExpression(tokens: Token[], charSigned = true): bigint {
  let pos = 0;
  // Operands and `?:` inside one another: each level is a call, and 20,000 `(` overflowed the stack.
  let depth = 0;
  const peek = (): Token | undefined => tokens[pos];
  const fail = (message: string, token = peek()): never => {
    throw new PPExpressionError(message, token);
  };
  const deeper = (): void => {
    if (++depth > MAX_NESTING) fail(`#if expression nested deeper than ${MAX_NESTING} levels`);
  };

  const primary = (evaluated: boolean): PPValue => {
    deeper();
    const value = operand(evaluated);
    depth--;
    return value;
  };

  const operand = (evaluated: boolean): PPValue => {
    const t = tokens[pos++];
    if (!t) return fail('expected a value at the end of the #if expression', tokens[tokens.length - 1]);
    if (t.kind === TokenKind.Number) {
      const lit = parseIntegerLiteral(t.text);
      if (!lit) return fail(`'${t.text}' is not an integer in #if`, t);
      return norm(lit.value, lit.unsigned);
    }
    if (t.kind === TokenKind.Char) {
      const c = parseCharLiteral(t.text, charSigned);
      if (c === undefined) return fail(`bad character constant ${t.text}`, t);
      return norm(c, false);
    }
    if (t.kind === TokenKind.Identifier) return { v: 0n, unsigned: false };
    if (t.is('(')) {
      const inner = conditional(evaluated);
      if (!peek()?.is(')')) fail("expected ')' in #if expression");
      pos++;
      return inner;
    }
    if (t.is('+')) return primary(evaluated);
    if (t.is('-')) {
      const x = primary(evaluated);
      return norm(-x.v, x.unsigned);
    }
    if (t.is('~')) {
      const x = primary(evaluated);
      return norm(~x.v, x.unsigned);
    }
    if (t.is('!')) {
      const x = primary(evaluated);
      return { v: x.v === 0n ? 1n : 0n, unsigned: false };
    }
    return fail(`unexpected '${t.text}' in #if expression`, t);
  };

  const binary = (minPrec: number, evaluated: boolean): PPValue => {
    let left = primary(evaluated);
    for (;;) {
      const op = peek();
      const prec = op && op.kind === TokenKind.Punct ? BINARY_PRECEDENCE[op.text] : undefined;
      if (prec === undefined || prec < minPrec) return left;
      pos++;
      if (op!.text === '&&') {
        const right = binary(prec + 1, evaluated && left.v !== 0n);
        left = { v: left.v !== 0n && right.v !== 0n ? 1n : 0n, unsigned: false };
        continue;
      }
      if (op!.text === '||') {
        const right = binary(prec + 1, evaluated && left.v === 0n);
        left = { v: left.v !== 0n || right.v !== 0n ? 1n : 0n, unsigned: false };
        continue;
      }
      const right = binary(prec + 1, evaluated);
      left = apply(op!, left, right, evaluated);
    }
  };

  const conditional = (evaluated: boolean): PPValue => {
    const cond = binary(1, evaluated);
    if (!peek()?.is('?')) return cond;
    pos++;
    deeper();
    const a = conditional(evaluated && cond.v !== 0n);
    if (!peek()?.is(':')) fail("expected ':' in #if expression");
    pos++;
    const b = conditional(evaluated && cond.v === 0n);
    depth--;
    const unsigned = a.unsigned || b.unsigned;
    return norm(cond.v !== 0n ? a.v : b.v, unsigned);
  };

  const apply = (op: Token, a: PPValue, b: PPValue, evaluated: boolean): PPValue => {
    const unsigned = a.unsigned || b.unsigned;
    const x = unsigned ? BigInt.asUintN(64, a.v) : a.v;
    const y = unsigned ? BigInt.asUintN(64, b.v) : b.v;
    switch (op.text) {
      case '*': return norm(x * y, unsigned);
      case '/':
      case '%':
        if (y === 0n) {
          if (evaluated) fail('division by zero in #if', op);
          return { v: 0n, unsigned };
        }
        return norm(op.text === '/' ? x / y : x % y, unsigned);
      case '+': return norm(x + y, unsigned);
      case '-': return norm(x - y, unsigned);
      case '<<': return norm(a.v << (b.v & 63n), a.unsigned);
      case '>>': return norm((a.unsigned ? BigInt.asUintN(64, a.v) : a.v) >> (b.v & 63n), a.unsigned);
      case '<': return { v: x < y ? 1n : 0n, unsigned: false };
      case '>': return { v: x > y ? 1n : 0n, unsigned: false };
      case '<=': return { v: x <= y ? 1n : 0n, unsigned: false };
      case '>=': return { v: x >= y ? 1n : 0n, unsigned: false };
      case '==': return { v: x === y ? 1n : 0n, unsigned: false };
      case '!=': return { v: x !== y ? 1n : 0n, unsigned: false };
      case '&': return norm(x & y, unsigned);
      case '^': return norm(x ^ y, unsigned);
      case '|': return norm(x | y, unsigned);
    }
    return fail(`unsupported operator '${op.text}' in #if`, op);
  };

  if (tokens.length === 0) throw new PPExpressionError('#if with no expression', undefined);
  let result = conditional(true);
  while (peek()?.is(',')) {
    pos++;
    result = conditional(true);
  }
  if (pos < tokens.length) fail(`missing binary operator before '${tokens[pos].text}'`, tokens[pos]);
  return result.v;
}
