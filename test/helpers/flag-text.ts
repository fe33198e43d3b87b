// Flag families of a snippet, and clone flags written as sched.h writes them, for the flag tests.
import { SourceCache } from '../../core/c/source-cache';
import { analyzeDocument } from '../../core/document-analysis';
import { flagFamilies, type FlagFamily } from '../../core/flag-families';
import type { TargetName } from '../../core/protocol';
import { memoryHost } from './memory-host';

export function familiesOf(text: string, targets: TargetName[] = ['x86_64']): FlagFamily[] {
  const cache = new SourceCache(memoryHost({ '/test/flags.h': text }));
  return flagFamilies(analyzeDocument(cache, cache.get('/test/flags.h')!, targets, { nostdinc: true }), cache);
}

/** `#define CLONE_F<b> 0x...` for each bit of `bits`, one line each, as sched.h writes them. */
export function cloneFlags(bits: number[]): string {
  return bits.map((b) => `#define CLONE_F${b}\t0x${(2 ** b).toString(16).padStart(8, '0')}\n`).join('');
}
