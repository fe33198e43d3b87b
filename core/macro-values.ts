// The integer values of object-like `#define` constants, evaluated with the macros in force at the end of the file.
import { evaluate, EvalError } from './abi/const-eval';
import { LayoutError } from './abi/layout';
import { macroBody, type MacroDef } from './c/macro';
import { parseExpression } from './c/parser';
import { expandWithMacros } from './c/preprocessor';
import type { SourceCache } from './c/source-cache';
import { hideSetOf } from './c/token';
import type { TargetUnit } from './front-end';

export interface MacroValue {
  macro: MacroDef;
  value: bigint;
}

/** Evaluates one object-like macro as an integer constant expression; undefined when it is not one. */
export function macroValue(unit: TargetUnit, cache: SourceCache, macro: MacroDef): bigint | undefined {
  const written = macroBody(macro);
  if (macro.params !== null || written.length === 0) return undefined;
  // Expand the body as written at this definition, with every other macro as it stands at the end.
  const macros = unit.pp.macros;
  const hideSelf = hideSetOf(macro.name);
  const body = written.map((t) => {
    const copy = t.copy();
    copy.hideset = hideSelf;
    return copy;
  });
  const expanded = expandWithMacros(body, macros, cache, unit.target);
  const expr = parseExpression(expanded, unit.decls);
  if (!expr) return undefined;
  try {
    return evaluate(expr, unit.engine).v;
  } catch (error) {
    if (error instanceof EvalError || error instanceof LayoutError) return undefined;
    throw error;
  }
}
