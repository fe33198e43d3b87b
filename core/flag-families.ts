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
/** A body that is another macro's name (an alias, when that macro is of the family). */
const ALIAS = /^\(?\s*(\w+)\s*\)?$/;
/** How flags are written: a hex or octal constant, a shift, or the kernel's bit macros. */
const FLAG_SPELLING = /^\(?\s*(?:0[xX]?[0-9a-fA-F]+|\w*BIT\w*\s*\(|\(?\s*\d+[uUlL]*\s*<<)/;
const LITERAL = /^\(?\s*(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)[uUlL]*\s*\)?$/;

interface Defined {
  macro: MacroDef;
  /** The body as written. */
  body: string;
  /** Which blank-line-separated block of the file's #defines it is in. */
  block: number;
  /** Its value (null: not a positive integer), worked out when first asked for (Defines.valued). */
  value?: bigint | null;
}

type Valued = Defined & { value: bigint };

/**
 * The document's own object-like `#define`s (still defined at its end, in the order they are defined), each evaluated
 * only when a family finder asks: a header such as bpf.h has a thousand that belong to no family.
 */
class Defines {
  readonly all: Defined[];
  readonly byName: Map<string, Defined>;

  constructor(
    private readonly unit: TargetUnit,
    readonly analysis: DocumentAnalysis,
    readonly cache: SourceCache,
  ) {
    this.all = ownDefines(unit);
    this.byName = new Map(this.all.map((d) => [d.macro.name, d]));
  }

  valueOf(d: Defined): bigint | undefined {
    if (d.value === undefined) {
      const value = literalValue(d.body) ?? macroValue(this.unit, this.cache, d.macro);
      d.value = value !== undefined && value > 0n ? value : null;
    }
    return d.value ?? undefined;
  }

  /** Those of `list` whose value is a positive integer. */
  valued(list: Defined[]): Valued[] {
    return list.filter((d) => this.valueOf(d) !== undefined) as Valued[];
  }
}

/** Every flag family the document's own `#define`s make, on its first target. */
export function flagFamilies(analysis: DocumentAnalysis, cache: SourceCache): FlagFamily[] {
  const unit = analysis.units.get(analysis.targets[0]);
  if (!unit) return [];
  const defines = new Defines(unit, analysis, cache);
  const claimed = new Set<string>();
  const claim = (family: FlagFamily) => {
    for (const f of family.flags) claimed.add(f.name);
    return family;
  };
  const families = annotations(unit).map((annotation) => claim(annotatedFamily(defines, annotation, claimed)));
  const clone = cloneFamily(defines, claimed, unit.pp.macros.get('CLONE_ARGS_SIZE_VER0') !== undefined);
  if (clone) families.push(claim(clone));
  families.push(...evidenceFamilies(defines, defines.all.filter((d) => !claimed.has(d.macro.name))));
  return families.sort((a, b) => firstAt(a) - firstAt(b));
}

function firstAt(family: FlagFamily): number {
  return family.flags[0]?.macro.start ?? family.annotation?.start ?? 0;
}

/** The family a `sysarg: flags` annotation declares: every #define with its prefix no earlier family took. */
function annotatedFamily(defines: Defines, annotation: FlagsAnnotation, claimed: ReadonlySet<string>): FlagFamily {
  const { prefix, reserved: reservedNames } = annotation;
  const members = defines.valued(defines.all.filter((d) => d.macro.name.startsWith(prefix) && !claimed.has(d.macro.name) && !reservedNames.includes(d.macro.name)));
  const reserved = reservedNames.flatMap((name) => {
    const mask = defines.byName.get(name);
    const value = mask && defines.valueOf(mask);
    return mask && value !== undefined ? [{ name, mask: value, macro: mask.macro }] : [];
  });
  const flags = flagDefs(members, defines);
  const width = annotation.width ?? widthFor(flags);
  const name = annotation.word ?? wordName(prefix);
  return { prefix, source: 'annotation', widthKnown: annotation.width !== undefined, words: [word(name, width, reserved, flags, `${name} flags word`)], flags, annotation: annotation.span };
}

/** A word's width guessed from its values: 64 bits where one needs them, else 32. */
function widthFor(flags: FlagDef[]): number {
  return flags.some((f) => f.value >= 1n << 32n) ? 64 : 32;
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
function flagDefs(members: Valued[], defines: Defines): FlagDef[] {
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
      otherValues: isOneBit(m.value) && !isAlias && literalValue(m.body) === undefined ? otherValues(m, defines) : [],
    };
    if (isAlias) def.aliasOf = alias;
    return def;
  });
}

function otherValues(m: Valued, { analysis, cache }: Defines): FlagDef['otherValues'] {
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
 * low byte (CSIGNAL) is the exit signal, and, where the file knows clone3() (5.3: a flag past 32 bits, or struct
 * clone_args's size versions), its 64-bit `flags`, where that byte is rejected except for the flags the kernel placed
 * there (CLONE_NEWTIME).
 */
function cloneFamily(defines: Defines, claimed: ReadonlySet<string>, hasClone3: boolean): FlagFamily | undefined {
  const members = defines.valued(defines.all.filter((d) => d.macro.name.startsWith('CLONE_') && !claimed.has(d.macro.name)));
  if (members.filter((d) => isOneBit(d.value)).length < EVIDENCE_FLAGS) return undefined;
  const flags = flagDefs(members, defines);
  const csignal = defines.byName.get('CSIGNAL');
  const signalMask = (csignal && defines.valueOf(csignal)) ?? 0xffn;
  const legacy = flags.filter((f) => f.value < 1n << 32n);
  let placedInSignal = 0n;
  for (const f of flags) if (f.role === 'flag') placedInSignal |= f.value & signalMask;
  const clone3Reserved = signalMask & ~placedInSignal;
  const words = [word('clone', 32, [{ name: 'CSIGNAL', mask: signalMask, macro: csignal?.macro }], legacy, "legacy clone()'s 32-bit flags word")];
  if (legacy.length < flags.length || hasClone3) {
    words.push(word('clone3', 64, clone3Reserved > 0n ? [{ name: 'CSIGNAL', mask: clone3Reserved, macro: csignal?.macro }] : [], flags, "clone3()'s 64-bit flags"));
  }
  return { prefix: 'CLONE_', source: 'clone', widthKnown: true, words, flags };
}

/** One-bit values in a block under one prefix: a word of an evidence family. */
interface Group {
  prefix: string;
  block: number;
  members: Valued[];
}

/**
 * Families by evidence: four or more one-bit values written as flags, sharing the longest name prefix (by `_`) that
 * four of them share, in one block of #defines (blank lines end a block: bpf.h starts a new word of `BPF_F_` flags at
 * bit 0 after each). One family per prefix, one word per block: mount.h's MS_ flags are two words.
 */
function evidenceFamilies(defines: Defines, open: Defined[]): FlagFamily[] {
  const groups = groupsOf(defines.valued(open.filter((d) => FLAG_SPELLING.test(d.body))).filter((d) => isOneBit(d.value)));
  joinOthers(defines, open, groups);
  const families = new Map<string, FlagFamily>();
  for (const { prefix, members } of groups) {
    members.sort((a, b) => a.macro.start - b.macro.start);
    const flags = flagDefs(members, defines);
    let family = families.get(prefix);
    if (!family) families.set(prefix, (family = { prefix, source: 'evidence', widthKnown: false, words: [], flags: [] }));
    const name = wordName(prefix) + (family.words.length > 0 ? `-${family.words.length + 1}` : '');
    family.words.push(word(name, widthFor(flags), [], flags, `the ${prefix}* flags`));
    family.flags.push(...flags);
  }
  return [...families.values()];
}

/** The flag-like values grouped by block and by the longest prefix four of them in the block share. */
function groupsOf(flagLike: Valued[]): Group[] {
  const key = (block: number, prefix: string) => `${block}\0${prefix}`;
  const counts = new Map<string, number>();
  for (const d of flagLike) for (const prefix of prefixesOf(d.macro.name)) counts.set(key(d.block, prefix), (counts.get(key(d.block, prefix)) ?? 0) + 1);
  const groups = new Map<string, Group>();
  for (const d of flagLike) {
    const prefix = prefixesOf(d.macro.name).reverse().find((p) => (counts.get(key(d.block, p)) ?? 0) >= EVIDENCE_FLAGS);
    if (prefix === undefined) continue;
    const group = groups.get(key(d.block, prefix)) ?? { prefix, block: d.block, members: [] };
    group.members.push(d);
    groups.set(key(d.block, prefix), group);
  }
  return [...groups.values()];
}

/** The family's other values in the same block (masks, aliases) join its group. */
function joinOthers(defines: Defines, open: Defined[], groups: Group[]): void {
  const members = new Set<Defined>(groups.flatMap((g) => g.members));
  for (const d of open) {
    if (members.has(d)) continue;
    const group = groups.find((g) => g.block === d.block && d.macro.name.startsWith(g.prefix));
    if (group && defines.valueOf(d) !== undefined) group.members.push(d as Valued);
  }
}

/** `A_B_C` → `A_`, `A_B_` (a name starting with `_` has none: those are the headers' own guards and helpers). */
function prefixesOf(name: string): string[] {
  if (name.startsWith('_')) return [];
  const out: string[] = [];
  for (let i = name.indexOf('_'); i > 0 && i < name.length - 1; i = name.indexOf('_', i + 1)) out.push(name.slice(0, i + 1));
  return out;
}
