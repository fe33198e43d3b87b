// The macro table of one translation unit: its own definitions over a shared, read-only starting table.
import type { MacroDef } from './macro';

/**
 * Copying the ~300 predefined macros for every translation unit was a measured cost; an overlay is free to create.
 * Deleting a starting macro leaves a tombstone (undefined) in the overlay.
 */
export class MacroTable {
  private readonly own = new Map<string, MacroDef | undefined>();

  constructor(private readonly base: ReadonlyMap<string, MacroDef> = new Map()) {}

  get(name: string): MacroDef | undefined {
    const mine = this.own.get(name);
    if (mine !== undefined || this.own.has(name)) return mine;
    return this.base.get(name);
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  set(name: string, def: MacroDef): void {
    this.own.set(name, def);
  }

  delete(name: string): void {
    if (this.base.has(name)) this.own.set(name, undefined);
    else this.own.delete(name);
  }
}
