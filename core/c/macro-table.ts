// The macro table of one translation unit: its own definitions over a shared, read-only starting table.
import type { MacroDef } from './macro';

/** Marks a starting macro the unit has #undef'd. */
const DELETED = null;

/** Which first characters (ASCII) the names of a starting table begin with, per table. */
const firstCharsOf = new WeakMap<ReadonlyMap<string, MacroDef>, Uint8Array>();

function firstChars(base: ReadonlyMap<string, MacroDef>): Uint8Array {
  let chars = firstCharsOf.get(base);
  if (!chars) {
    chars = new Uint8Array(128);
    for (const name of base.keys()) {
      const c = name.charCodeAt(0);
      if (c < 128) chars[c] = 1;
    }
    firstCharsOf.set(base, chars);
  }
  return chars;
}

/**
 * Copying the ~300 predefined macros for every translation unit was a measured cost; an overlay is free to create.
 * Every identifier read and every macro a replayed header depended on is looked up here, and most are not macros:
 * a miss costs one map lookup, the starting table (`__...` predefined names, -D) being skipped for names whose first
 * character none of its names has.
 */
export class MacroTable {
  private readonly own = new Map<string, MacroDef | typeof DELETED>();
  private readonly baseFirstChars: Uint8Array;

  constructor(private readonly base: ReadonlyMap<string, MacroDef> = new Map()) {
    this.baseFirstChars = firstChars(base);
  }

  get(name: string): MacroDef | undefined {
    const mine = this.own.get(name);
    if (mine !== undefined) return mine ?? undefined;
    const c = name.charCodeAt(0);
    return c < 128 && this.baseFirstChars[c] === 0 ? undefined : this.base.get(name);
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  set(name: string, def: MacroDef): void {
    this.own.set(name, def);
  }

  delete(name: string): void {
    if (this.base.has(name)) this.own.set(name, DELETED);
    else this.own.delete(name);
  }

  /** The unit's own definitions in force (not the starting table's: predefined and -D macros). */
  *ownDefinitions(): IterableIterator<MacroDef> {
    for (const def of this.own.values()) if (def !== DELETED) yield def;
  }
}
