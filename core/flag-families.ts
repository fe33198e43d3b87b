// Flag words: `#define` families sharing a prefix (CLONE_*), the word each family lives in, and the bits they take.
import { macroBody, type MacroDef } from './c/macro';
import type { SourceCache } from './c/source-cache';
import type { DocumentAnalysis } from './document-analysis';
import type { TargetUnit } from './front-end';
import { macroValue } from './macro-values';
import type { TargetName } from './protocol';
import type { Span } from './source';

export interface FlagDef {
  name: string;
  macro: MacroDef;
  /** The value on the document's first target. */
  value: bigint;
  /** The bit numbers set in the value (0 = least significant). */
  bits: number[];
  /**
   * `flag`: one bit of its own; `alias`: another flag of the family by another name (`#define O_NDELAY O_NONBLOCK`);
   * `mask`: more than one bit (`SCHED_FLAG_ALL`, `O_ACCMODE`), which takes no bit of its own.
   */
  role: 'flag' | 'alias' | 'mask';
  /** For an alias, the flag it names. */
  aliasOf?: string;
  /** The targets on which the value is another (`1UL << 32` is 0 on i386). */
  otherValues: { target: TargetName; value: bigint }[];
}

export interface ReservedMask {
  name: string;
  mask: bigint;
  macro?: MacroDef;
}

export interface FlagWord {
  name: string;
  bits: number;
  /** Bits the word holds for something other than flags (legacy clone()'s exit signal, CSIGNAL). */
  reserved: ReservedMask[];
  /** The family's flags that live in this word, in the order they are defined. */
  flags: FlagDef[];
  used: number[];
  free: number[];
  /** What the word is for, in a few words (it names the word in messages). */
  role: string;
}

export interface FlagFamily {
  prefix: string;
  /** How it was found: a `sysarg: flags` annotation, the clone flags, or evidence (see EVIDENCE_FLAGS). */
  source: 'annotation' | 'clone' | 'evidence';
  /** Whether the words' widths are known (annotated, or the clone flags' words), not guessed from the values. */
  widthKnown: boolean;
  words: FlagWord[];
  /** Every flag of the family, in the order they are defined. */
  flags: FlagDef[];
  /** The annotation that declared the family. */
  annotation?: Span;
}

/** A family found by evidence has at least this many one-bit values written as flags are (hex, octal or a shift). */
const EVIDENCE_FLAGS = 4;
const ANNOTATION = /sysarg:\s*flags\s+(\w+)([^\n*]*)/g;
/** How flags are written: a hex or octal constant, a shift, or the kernel's bit macros. */
/** A body that is another macro's name (an alias, when that macro is of the family). */
const ALIAS = /^\(?\s*(\w+)\s*\)?$/;
const FLAG_SPELLING = /^\(?\s*(?:0[xX]?[0-9a-fA-F]+|\w*BIT\w*\s*\(|\(?\s*\d+[uUlL]*\s*<<)/;

interface Defined {
  macro: MacroDef;
  /** The body as written. */
  body: string;
  /** Which blank-line-separated block of the file's #defines it is in. */
  block: number;
  /** Its value (undefined: not a positive integer), worked out when first asked for (see valueOf). */
  value?: bigint | null;
}

/**
 * Every flag family the document's own `#define`s make, on its first target. Only the #defines that can belong to a
 * family are evaluated (a header such as bpf.h has a thousand others).
 */
export function flagFamilies(analysis: DocumentAnalysis, cache: SourceCache): FlagFamily[] {
  const unit = analysis.units.get(analysis.targets[0]);
  if (!unit) return [];
  const valueOf = (d: Defined): bigint | undefined => {
    if (d.value === undefined) {
      const value = literalValue(d.body) ?? macroValue(unit, cache, d.macro);
      d.value = value !== undefined && value > 0n ? value : null;
    }
    return d.value ?? undefined;
  };
  const defined = ownDefines(unit);
  const byName = new Map(defined.map((d) => [d.macro.name, d]));
  const valued = (list: Defined[]): Valued[] => list.filter((d) => valueOf(d) !== undefined) as Valued[];
  const families: FlagFamily[] = [];
  const claimed = new Set<string>();
  for (const annotation of annotations(unit)) {
    const members = valued(defined.filter((d) => d.macro.name.startsWith(annotation.prefix) && !claimed.has(d.macro.name) && !annotation.reserved.includes(d.macro.name)));
    const reserved = annotation.reserved.flatMap((name) => {
      const mask = byName.get(name);
      const value = mask && valueOf(mask);
      return mask && value !== undefined ? [{ name, mask: value, macro: mask.macro }] : [];
    });
    const flags = flagDefs(members, analysis, cache);
    const width = annotation.width ?? (flags.some((f) => f.value >= 1n << 32n) ? 64 : 32);
    const role = `${annotation.word ?? wordName(annotation.prefix)} flags word`;
    families.push({
      prefix: annotation.prefix,
      source: 'annotation',
      widthKnown: annotation.width !== undefined,
      words: [word(annotation.word ?? wordName(annotation.prefix), width, reserved, flags, role)],
      flags,
      annotation: annotation.span,
    });
    for (const m of members) claimed.add(m.macro.name);
  }
  const hasClone3 = unit.pp.macros.get('CLONE_ARGS_SIZE_VER0') !== undefined;
  const clone = cloneFamily(valued(defined.filter((d) => d.macro.name.startsWith('CLONE_') && !claimed.has(d.macro.name))), byName.get('CSIGNAL'), hasClone3, valueOf, analysis, cache);
  if (clone) {
    families.push(clone);
    for (const f of clone.flags) claimed.add(f.name);
  }
  const open = defined.filter((d) => !claimed.has(d.macro.name));
  for (const family of evidenceFamilies(open, valued, analysis, cache)) families.push(family);
  return families.sort((a, b) => firstAt(a) - firstAt(b));
}

type Valued = Defined & { value: bigint };

function firstAt(family: FlagFamily): number {
  return family.flags[0]?.macro.start ?? family.annotation?.start ?? 0;
}

/** The object-like macros defined in the root file and still defined at its end, in the order they are defined. */
function ownDefines(unit: TargetUnit): Defined[] {
  const out: Defined[] = [];
  const text = unit.root.file.text;
  let block = 0;
  let lastEnd = -1;
  for (const macro of unit.pp.definitions) {
    if (macro.file !== unit.root.file || macro.params !== null || unit.pp.macros.get(macro.name) !== macro) continue;
    if (lastEnd >= 0 && /\n[ \t]*\r?\n/.test(text.slice(lastEnd, macro.start))) block++;
    lastEnd = macro.end;
    if (/_SIZE_VER\d+$/.test(macro.name)) continue;
    out.push({ macro, body: bodyText(macro), block });
  }
  return out;
}

const LITERAL = /^\(?\s*(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)[uUlL]*\s*\)?$/;

/** The value of a body that is one integer literal (most flags are), read without the preprocessor. */
function literalValue(body: string): bigint | undefined {
  const digits = LITERAL.exec(body)?.[1];
  if (digits === undefined) return undefined;
  return BigInt(digits.length > 1 && digits[0] === '0' && digits[1] !== 'x' && digits[1] !== 'X' ? `0o${digits.slice(1)}` : digits);
}

/** A macro's body as written (the lexer leaves most bodies as text until they are expanded). */
function bodyText(macro: MacroDef): string {
  if (macro.tokens === null && macro.file) return macro.file.text.slice(macro.bodyStart, macro.bodyEnd).trim();
  return macroBody(macro).map((t) => t.text).join(' ');
}

/** Bit numbers set in `value`. */
export function bitsOf(value: bigint): number[] {
  const bits: number[] = [];
  for (let v = value, i = 0; v > 0n; v >>= 1n, i++) if (v & 1n) bits.push(i);
  return bits;
}

function isOneBit(value: bigint): boolean {
  return value > 0n && (value & (value - 1n)) === 0n;
}

/** The flags of `members`, aliases and masks told apart, with their values on the other targets. */
function flagDefs(members: Valued[], analysis: DocumentAnalysis, cache: SourceCache): FlagDef[] {
  const names = new Set(members.map((m) => m.macro.name));
  return members.map((m) => {
    const alias = ALIAS.exec(m.body)?.[1];
    const isAlias = alias !== undefined && alias !== m.macro.name && names.has(alias);
    const def: FlagDef = {
      name: m.macro.name,
      macro: m.macro,
      value: m.value,
      bits: bitsOf(m.value),
      role: isAlias ? 'alias' : isOneBit(m.value) ? 'flag' : 'mask',
      // An integer literal has one value everywhere (its type grows to hold it).
      otherValues: isOneBit(m.value) && !isAlias && literalValue(m.body) === undefined ? otherValues(m, analysis, cache) : [],
    };
    if (isAlias) def.aliasOf = alias;
    return def;
  });
}

function otherValues(m: Valued, analysis: DocumentAnalysis, cache: SourceCache): FlagDef['otherValues'] {
  const out: FlagDef['otherValues'] = [];
  for (const target of analysis.targets.slice(1)) {
    const unit = analysis.units.get(target);
    const macro = unit?.pp.macros.get(m.macro.name);
    if (!unit || !macro) continue;
    const value = macroValue(unit, cache, macro);
    if (value !== undefined && value !== m.value) out.push({ target, value });
  }
  return out;
}

/** A word of `bits` bits holding `flags` (aliases and masks take no bit of their own). */
function word(name: string, bits: number, reserved: ReservedMask[], flags: FlagDef[], role: string): FlagWord {
  const used = new Set<number>();
  for (const f of flags) if (f.role === 'flag' && f.bits[0] < bits) used.add(f.bits[0]);
  const held = new Set(reserved.flatMap((r) => bitsOf(r.mask)));
  const free: number[] = [];
  for (let b = 0; b < bits; b++) if (!used.has(b) && !held.has(b)) free.push(b);
  return { name, bits, reserved, flags, used: [...used].sort((a, b) => a - b), free, role };
}

function wordName(prefix: string): string {
  return prefix.replace(/_+$/, '').toLowerCase();
}

interface FlagsAnnotation {
  prefix: string;
  width?: number;
  reserved: string[];
  word?: string;
  span: Span;
}

/** `sysarg: flags PREFIX_ [width=N] [reserved=NAME[,NAME]] [word=NAME]` in the root file's comments. */
function annotations(unit: TargetUnit): FlagsAnnotation[] {
  const out: FlagsAnnotation[] = [];
  for (const comment of unit.root.lexed.comments) {
    if (!comment.text.includes('sysarg:')) continue;
    for (const m of comment.text.matchAll(ANNOTATION)) {
      const start = comment.start + (m.index ?? 0);
      const annotation: FlagsAnnotation = { prefix: m[1], reserved: [], span: { file: unit.root.file, start, end: start + m[0].trimEnd().length } };
      for (const [, key, value] of m[2].matchAll(/([\w-]+)=(\S+)/g)) {
        if (key === 'width' && /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 64) annotation.width = Number(value);
        else if (key === 'reserved') annotation.reserved = value.split(',').filter(Boolean);
        else if (key === 'word') annotation.word = value;
      }
      out.push(annotation);
    }
  }
  return out;
}

/**
 * The clone flags, where the file defines four or more one-bit `CLONE_` values: legacy clone()'s 32-bit word, whose
 * low byte (CSIGNAL) is the exit signal, and clone3()'s 64-bit `flags`, where that byte is rejected except for the
 * flags the kernel placed there (CLONE_NEWTIME).
 */
function cloneFamily(members: Valued[], csignal: Defined | undefined, hasClone3: boolean, valueOf: (d: Defined) => bigint | undefined, analysis: DocumentAnalysis, cache: SourceCache): FlagFamily | undefined {
  if (members.filter((d) => isOneBit(d.value)).length < EVIDENCE_FLAGS) return undefined;
  const flags = flagDefs(members, analysis, cache);
  const signalMask = (csignal && valueOf(csignal)) ?? 0xffn;
  const legacy = flags.filter((f) => f.value < 1n << 32n);
  let placedInSignal = 0n;
  for (const f of flags) if (f.role === 'flag') placedInSignal |= f.value & signalMask;
  const clone3Reserved = signalMask & ~placedInSignal;
  const words = [word('clone', 32, [{ name: 'CSIGNAL', mask: signalMask, macro: csignal?.macro }], legacy, "legacy clone()'s 32-bit flags word")];
  // clone3() (5.3) where the file knows it: a flag past 32 bits, or struct clone_args's size versions.
  if (legacy.length < flags.length || hasClone3) {
    words.push(word('clone3', 64, clone3Reserved > 0n ? [{ name: 'CSIGNAL', mask: clone3Reserved, macro: csignal?.macro }] : [], flags, "clone3()'s 64-bit flags"));
  }
  return { prefix: 'CLONE_', source: 'clone', widthKnown: true, words, flags };
}

/**
 * Families by evidence: four or more one-bit values written as flags, sharing the longest name prefix (by `_`) that
 * four of them share, in one block of #defines (blank lines end a block: bpf.h starts a new word of `BPF_F_` flags at
 * bit 0 after each).
 */
function evidenceFamilies(open: Defined[], valued: (list: Defined[]) => Valued[], analysis: DocumentAnalysis, cache: SourceCache): FlagFamily[] {
  const flagLike = valued(open.filter((d) => FLAG_SPELLING.test(d.body))).filter((d) => isOneBit(d.value));
  const counts = new Map<string, number>();
  for (const d of flagLike) for (const prefix of prefixesOf(d.macro.name)) counts.set(`${d.block}\0${prefix}`, (counts.get(`${d.block}\0${prefix}`) ?? 0) + 1);
  const prefixOf = (d: Defined): string | undefined => {
    const prefixes = prefixesOf(d.macro.name);
    for (let i = prefixes.length - 1; i >= 0; i--) if ((counts.get(`${d.block}\0${prefixes[i]}`) ?? 0) >= EVIDENCE_FLAGS) return prefixes[i];
    return undefined;
  };
  const groups = new Map<string, { prefix: string; members: Valued[] }>();
  for (const d of flagLike) {
    const prefix = prefixOf(d);
    if (prefix === undefined) continue;
    const key = `${d.block}\0${prefix}`;
    const group = groups.get(key) ?? { prefix, members: [] };
    group.members.push(d);
    groups.set(key, group);
  }
  // The family's other values in the same block (masks, aliases) join it.
  const byBlock = new Map<number, { prefix: string; members: Valued[] }[]>();
  for (const [key, group] of groups) {
    const block = Number(key.slice(0, key.indexOf('\0')));
    byBlock.set(block, [...(byBlock.get(block) ?? []), group]);
  }
  const inGroups = new Set<Defined>(flagLike);
  for (const d of open) {
    if (inGroups.has(d)) continue;
    const group = byBlock.get(d.block)?.find((g) => d.macro.name.startsWith(g.prefix));
    if (group && valued([d]).length > 0) group.members.push(d as Valued);
  }
  // One family per prefix, one word per block: mount.h's MS_ flags are two words.
  const families = new Map<string, FlagFamily>();
  for (const { prefix, members } of groups.values()) {
    members.sort((a, b) => a.macro.start - b.macro.start);
    const flags = flagDefs(members, analysis, cache);
    const width = flags.some((f) => f.value >= 1n << 32n) ? 64 : 32;
    let family = families.get(prefix);
    if (!family) families.set(prefix, (family = { prefix, source: 'evidence', widthKnown: false, words: [], flags: [] }));
    const name = wordName(prefix) + (family.words.length > 0 ? `-${family.words.length + 1}` : '');
    family.words.push(word(name, width, [], flags, `the ${prefix}* flags`));
    family.flags.push(...flags);
  }
  return [...families.values()];
}

/** `A_B_C` → `A_`, `A_B_` (a name starting with `_` has none: those are the headers' own guards and helpers). */
function prefixesOf(name: string): string[] {
  if (name.startsWith('_')) return [];
  const out: string[] = [];
  for (let i = name.indexOf('_'); i > 0 && i < name.length - 1; i = name.indexOf('_', i + 1)) out.push(name.slice(0, i + 1));
  return out;
}
