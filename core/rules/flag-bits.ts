// The flag-word rules: two flags on one bit, a flag in a reserved mask or past its word, a word with no bit left.
import type { MacroDef } from '../c/macro';
import { bitsOf, type FlagDef, type FlagFamily, type FlagWord } from '../flag-families';
import type { Span } from '../source';
import type { Finding, FindingFix } from './finding';

function nameSpan(macro: MacroDef): Span {
  return { file: macro.file!, start: macro.start, end: macro.end };
}

/** A value as C writes a mask: `0xff`. */
export const hex = (value: bigint): string => `0x${value.toString(16)}`;

/** Bit numbers as ranges: `0-7, 12`. */
export function bitRanges(bits: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < bits.length; i++) {
    let j = i;
    while (j + 1 < bits.length && bits[j + 1] === bits[j] + 1) j++;
    parts.push(j === i ? `${bits[i]}` : `${bits[i]}-${bits[j]}`);
    i = j;
  }
  return parts.join(', ');
}

/**
 * Every finding of the flag rules over a document's families (each once, though a flag may live in two words).
 * `published`: the names the file's published version defined; a flag of a family found by evidence is judged only
 * when it is not among them (a change adding a clashing flag), as the family itself may be several words.
 */
export function flagFindings(families: FlagFamily[], published?: ReadonlySet<string>): Finding[] {
  const out = new Map<string, Finding>();
  const add = (f: Finding) => out.set(`${f.code}:${f.span.start}:${f.message}`, f);
  for (const family of families) {
    for (const word of family.words) {
      // A family found by evidence alone is no word anyone declared: register headers (pci_regs.h) define several
      // words' bits under one prefix, and reading them as one word made a hundred false duplicates over
      // /usr/include/linux. Only a flag the change adds is judged there, and only against its own block.
      if (family.source === 'evidence') {
        if (published) sharedBits(word).filter((f) => !published.has(nameAt(f))).forEach(add);
        continue;
      }
      sharedBits(word).forEach(add);
      reservedOverlaps(word).forEach(add);
      if (family.widthKnown) pastWord(word).forEach(add);
      if (family.widthKnown) exhausted(word).forEach(add);
    }
    targetDependent(family.flags).forEach(add);
  }
  return [...out.values()].sort((a, b) => a.span.start - b.span.start);
}

/** The macro name a finding of these rules is written at. */
function nameAt(f: Finding): string {
  return f.span.file.text.slice(f.span.start, f.span.end);
}

/** flag-bit-duplicate: a flag on a bit an earlier flag of the word (not an alias of it) already takes. */
function sharedBits(word: FlagWord): Finding[] {
  const owner = new Map<number, FlagDef>();
  const out: Finding[] = [];
  for (const flag of word.flags) {
    if (flag.role !== 'flag') continue;
    const bit = flag.bits[0];
    const first = owner.get(bit);
    if (!first) {
      owner.set(bit, flag);
      continue;
    }
    out.push({
      span: nameSpan(flag.macro),
      severity: 'error',
      code: 'flag-bit-duplicate',
      fixes: word.free.length > 0 ? [nextFreeBit(flag, word.free[0])] : undefined,
      message: `${flag.name} is bit ${bit} (${hex(flag.value)}), already ${first.name}'s: a caller passing one gets both. Write it as an alias (#define ${flag.name} ${first.name}) if that is meant${nextFree(word)}`,
      related: [{ span: nameSpan(first.macro), message: `${first.name} takes bit ${bit} here` }],
    });
  }
  return out;
}

function nextFree(word: FlagWord): string {
  return word.free.length > 0 ? `, or take bit ${word.free[0]}, the lowest free one` : '';
}

/** flag-bit-overlap: a flag on a bit of a mask the word reserves (legacy clone()'s CSIGNAL). */
function reservedOverlaps(word: FlagWord): Finding[] {
  const out: Finding[] = [];
  for (const flag of word.flags) {
    if (flag.role !== 'flag') continue;
    for (const mask of word.reserved) {
      if ((flag.value & mask.mask) === 0n) continue;
      const why = word.name === 'clone' && mask.name === 'CSIGNAL' ? ': clone() reads that byte as the exit signal, so only clone3() and unshare() can pass it' : '';
      out.push({
        span: nameSpan(flag.macro),
        severity: 'warning',
        code: 'flag-bit-overlap',
        message: `${flag.name} (bit ${flag.bits[0]}) lies in ${mask.name} (${hex(mask.mask)}) of ${word.role}${why}`,
        related: mask.macro ? [{ span: nameSpan(mask.macro), message: `${mask.name} reserves bits ${bitRanges(bitsOf(mask.mask))}` }] : undefined,
      });
    }
  }
  return out;
}

/** flag-out-of-range: a flag past the bits of a word whose width is known. */
function pastWord(word: FlagWord): Finding[] {
  return word.flags
    .filter((f) => f.role === 'flag' && f.bits[0] >= word.bits)
    .map((flag) => ({
      span: nameSpan(flag.macro),
      severity: 'error' as const,
      code: 'flag-out-of-range',
      message: `${flag.name} is bit ${flag.bits[0]} (${hex(flag.value)}), past the ${word.bits} bits of ${word.role}: the word cannot carry it`,
    }));
}

/** flag-out-of-range: a value that is another on some target (`1UL << 32` is 0 where long has 32 bits). */
function targetDependent(flags: FlagDef[]): Finding[] {
  return flags
    .filter((f) => f.otherValues.length > 0)
    .map((flag) => ({
      span: nameSpan(flag.macro),
      severity: 'error' as const,
      code: 'flag-out-of-range',
      message: `${flag.name} is ${hex(flag.value)} here but ${flag.otherValues.map((o) => `${hex(o.value)} on ${o.target}`).join(', ')}: the value is wider than its type there (write it with ULL, e.g. 1ULL << ${flag.bits[0] ?? 0})`,
    }));
}

/** flag-bits-exhausted: a word of known width with one free bit or none, at the last flag defined in it. */
function exhausted(word: FlagWord): Finding[] {
  if (word.free.length > 1) return [];
  const last = [...word.flags].reverse().find((f) => f.role === 'flag' && f.bits[0] < word.bits && word.reserved.every((r) => (r.mask & f.value) === 0n));
  if (!last) return [];
  const held = new Set(word.reserved.flatMap((r) => bitsOf(r.mask)));
  const reserved = word.reserved.map((r) => `${bitRanges(bitsOf(r.mask))} are ${r.name}`).join(', ');
  const layout = `${reserved ? `${reserved}, ` : ''}${bitRanges(word.used.filter((b) => !held.has(b)))} are flags`;
  const message =
    word.free.length === 0
      ? `${word.role} has no free bit left after ${last.name} (${layout}): a new flag needs another word${word.name === 'clone' ? " (clone3()'s 64-bit flags)" : ''}`
      : `${word.role} has one free bit left after ${last.name}: bit ${word.free[0]} (${layout})`;
  return [{ span: nameSpan(last.macro), severity: 'information', code: 'flag-bits-exhausted', message }];
}

/** The flag's value written as bit `bit` instead (a 64-bit value keeps its ULL). */
function nextFreeBit(flag: FlagDef, bit: number): FindingFix {
  const value = 1n << BigInt(bit);
  const text = bit >= 32 ? `0x${value.toString(16)}ULL` : `0x${value.toString(16).padStart(8, '0')}`;
  const macro = flag.macro;
  const file = macro.file!;
  const body = macro.tokens === null ? trimmed(file.text, macro.bodyStart, macro.bodyEnd) : { start: macro.tokens[0].start, end: macro.tokens[macro.tokens.length - 1].end };
  return { title: `Use bit ${bit} (${text}), the lowest free one`, edits: [{ span: { file, ...body }, newText: text }] };
}

/** `start`..`end` of `text` without the blanks and comment around the value. */
function trimmed(text: string, start: number, end: number): { start: number; end: number } {
  const body = text.slice(start, end);
  const value = /\S(?:.*?\S)?(?=\s*(?:\/\*.*\*\/|\/\/.*)?\s*$)/s.exec(body);
  return value ? { start: start + value.index, end: start + value.index + value[0].length } : { start, end };
}
