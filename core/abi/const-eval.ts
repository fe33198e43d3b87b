// Evaluates C integer constant expressions (array sizes, bit widths, enum values, aligned(N)) for one target.
import type { CType, Expr } from '../c/ast';
import type { Token } from '../c/token';

export class EvalError extends Error {
  constructor(
    message: string,
    readonly token: Token,
  ) {
    super(message);
  }
}

export interface Value {
  v: bigint;
  unsigned: boolean;
  /** Width in bits of the expression's type (32 for int, 64 for long on LP64...). */
  bits: number;
}

/** What evaluation needs from the layout engine. */
export interface EvalContext {
  sizeOf(type: CType, at: Token): number;
  alignOf(type: CType, at: Token): number;
  offsetOf(type: CType, path: string[], at: Token): number;
  enumConstant(name: string, at: Token): Value | undefined;
  /** Bits and signedness of an integer type (for casts). */
  integerType(type: CType): { bits: number; unsigned: boolean } | undefined;
  /** The type of `expr` where sizeof can take it: a member access like `((T *)0)->m`, a string literal. */
  typeOf(expr: Expr): CType | undefined;
  longBits: number;
}

function wrap(v: bigint, bits: number, unsigned: boolean): bigint {
  return unsigned ? BigInt.asUintN(bits, v) : BigInt.asIntN(bits, v);
}

/** C's usual arithmetic conversions, reduced to width and signedness. */
function common(a: Value, b: Value): { bits: number; unsigned: boolean } {
  const bits = Math.max(a.bits, b.bits, 32);
  let unsigned: boolean;
  if (a.bits === b.bits) unsigned = a.unsigned || b.unsigned;
  else unsigned = a.bits > b.bits ? a.unsigned : b.unsigned;
  return { bits, unsigned };
}

export function evaluate(expr: Expr, ctx: EvalContext): Value {
  switch (expr.kind) {
    case 'int': {
      const bits = literalBits(expr.value, expr.unsigned, expr.longness, ctx.longBits);
      return { v: expr.value, unsigned: expr.unsigned || expr.value > (1n << BigInt(bits - 1)) - 1n, bits };
    }
    case 'ident': {
      const value = ctx.enumConstant(expr.name, expr.token);
      if (!value) throw new EvalError(`'${expr.name}' is not a constant here`, expr.token);
      return value;
    }
    case 'unary':
      return unary(expr.op, evaluate(expr.arg, ctx), expr.token);
    case 'binary':
      return binaryChain(expr, ctx);
    case 'cond': {
      const test = evaluate(expr.test, ctx);
      const a = evaluate(expr.then, ctx);
      const b = evaluate(expr.otherwise, ctx);
      const c = common(a, b);
      return { v: wrap(test.v !== 0n ? a.v : b.v, c.bits, c.unsigned), ...c };
    }
    case 'cast': {
      const value = evaluate(expr.arg, ctx);
      const int = ctx.integerType(expr.type);
      if (!int) {
        if (expr.type.kind === 'pointer') return { v: value.v, unsigned: true, bits: ctx.longBits };
        throw new EvalError('cast to a non-integer type in a constant expression', expr.token);
      }
      return { v: wrap(value.v, int.bits, int.unsigned), bits: int.bits, unsigned: int.unsigned };
    }
    case 'sizeof-type':
      return sizeValue(ctx.sizeOf(expr.type, expr.token), ctx);
    case 'sizeof-expr': {
      const type = ctx.typeOf(expr.arg);
      if (!type) throw new EvalError('sizeof of this expression is not supported', expr.token);
      return sizeValue(ctx.sizeOf(type, expr.token), ctx);
    }
    case 'alignof-type':
      return sizeValue(ctx.alignOf(expr.type, expr.token), ctx);
    case 'offsetof':
      return sizeValue(ctx.offsetOf(expr.type, expr.path, expr.token), ctx);
    case 'member':
      throw new EvalError('member access is not a constant', expr.token);
    case 'string':
      throw new EvalError('a string literal is not an integer constant', expr.token);
    case 'unsupported':
      throw new EvalError(`${expr.what} is not supported in a constant expression`, expr.token);
  }
}

function sizeValue(n: number, ctx: EvalContext): Value {
  return { v: BigInt(n), unsigned: true, bits: ctx.longBits };
}

function literalBits(value: bigint, unsigned: boolean, longness: number, longBits: number): number {
  const fits = (bits: number): boolean => (unsigned ? value <= (1n << BigInt(bits)) - 1n : value <= (1n << BigInt(bits - 1)) - 1n || value <= (1n << BigInt(bits)) - 1n);
  if (longness === 0 && fits(32)) return 32;
  if (longness <= 1 && fits(longBits)) return longBits;
  return 64;
}

function unary(op: string, a: Value, token: Token): Value {
  const bits = Math.max(a.bits, 32);
  switch (op) {
    case '-':
      return { v: wrap(-a.v, bits, a.unsigned), unsigned: a.unsigned, bits };
    case '+':
      return { v: a.v, unsigned: a.unsigned, bits };
    case '~':
      return { v: wrap(~a.v, bits, a.unsigned), unsigned: a.unsigned, bits };
    case '!':
      return { v: a.v === 0n ? 1n : 0n, unsigned: false, bits: 32 };
  }
  throw new EvalError(`operator '${op}' is not allowed in a constant expression`, token);
}

/**
 * A chain like `1 + 1 + ... + 1` nests to the left as deep as it is long (the parser builds it in a loop, without a
 * depth limit), so its left operands are walked in a loop, not by recursion.
 */
function binaryChain(expr: Extract<Expr, { kind: 'binary' }>, ctx: EvalContext): Value {
  if (expr.left.kind !== 'binary') return binary(expr.op, evaluate(expr.left, ctx), expr.right, ctx, expr.token);
  const spine: Extract<Expr, { kind: 'binary' }>[] = [];
  let e: Expr = expr;
  while (e.kind === 'binary') {
    spine.push(e);
    e = e.left;
  }
  let value = evaluate(e, ctx);
  for (let i = spine.length - 1; i >= 0; i--) value = binary(spine[i].op, value, spine[i].right, ctx, spine[i].token);
  return value;
}

function binary(op: string, a: Value, re: Expr, ctx: EvalContext, token: Token): Value {
  if (op === '&&' && a.v === 0n) return { v: 0n, unsigned: false, bits: 32 };
  if (op === '||' && a.v !== 0n) return { v: 1n, unsigned: false, bits: 32 };
  const b = evaluate(re, ctx);
  const bool = (x: boolean): Value => ({ v: x ? 1n : 0n, unsigned: false, bits: 32 });
  if (op === '&&' || op === '||') return bool(b.v !== 0n);
  if (op === '<<' || op === '>>') {
    const bits = Math.max(a.bits, 32);
    const shift = b.v & 127n;
    const v = op === '<<' ? a.v << shift : wrap(a.v, bits, a.unsigned) >> shift;
    return { v: wrap(v, bits, a.unsigned), unsigned: a.unsigned, bits };
  }
  const c = common(a, b);
  const x = wrap(a.v, c.bits, c.unsigned);
  const y = wrap(b.v, c.bits, c.unsigned);
  const num = (v: bigint): Value => ({ v: wrap(v, c.bits, c.unsigned), ...c });
  switch (op) {
    case '+': return num(x + y);
    case '-': return num(x - y);
    case '*': return num(x * y);
    case '/':
    case '%':
      if (y === 0n) throw new EvalError('division by zero in a constant expression', token);
      return num(op === '/' ? x / y : x % y);
    case '&': return num(x & y);
    case '|': return num(x | y);
    case '^': return num(x ^ y);
    case '<': return bool(x < y);
    case '>': return bool(x > y);
    case '<=': return bool(x <= y);
    case '>=': return bool(x >= y);
    case '==': return bool(x === y);
    case '!=': return bool(x !== y);
  }
  throw new EvalError(`operator '${op}' is not allowed in a constant expression`, token);
}
