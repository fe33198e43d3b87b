// Builds the `sysarg flags` report: each file's flag families, their words and bits, and what the flag rules find.
import { unreadable, type SourceCache } from './c/source-cache';
import { analyzeDocument, type DocumentAnalysis } from './document-analysis';
import { bitsOf, type FlagFamily, type FlagWord } from './flag-families';
import type { FrontEndOptions } from './front-end';
import { formatErrorText } from './layout-text';
import type { FlagFamilyJson, FlagsResult, FlagWordJson, LayoutErrorJson, TargetName } from './protocol';
import { documentRules, type DocumentRules } from './rules/document-rules';
import { bitRanges, hex } from './rules/flag-bits';
import { diagnosticInPatch, findingJson, formatDiagnosticText, type PatchLines } from './rules/finding';
import type { SourceFile } from './source';

function wordJson(word: FlagWord): FlagWordJson {
  const json: FlagWordJson = { name: word.name, bits: word.bits, used: word.used, free: word.free };
  if (word.reserved.length > 0) json.reserved = word.reserved.map((r) => ({ name: r.name, mask: hex(r.mask) }));
  return json;
}

/** Bits two of a word's flags, or a flag and a reserved mask, both claim (over all words, each bit and set once). */
function overlaps(family: FlagFamily): FlagFamilyJson['overlaps'] {
  const out = new Map<string, { bit: number; names: string[] }>();
  for (const word of family.words) {
    const claims = new Map<number, string[]>();
    const claim = (bit: number, name: string) => claims.set(bit, [...(claims.get(bit) ?? []), name]);
    for (const r of word.reserved) for (const bit of bitsOf(r.mask)) claim(bit, r.name);
    for (const f of word.flags) if (f.role === 'flag') claim(f.bits[0], f.name);
    for (const [bit, names] of claims) if (names.length > 1) out.set(`${bit}:${names.join()}`, { bit, names });
  }
  return [...out.values()].sort((a, b) => a.bit - b.bit);
}

export function familyJson(family: FlagFamily, pathOf: (file: SourceFile) => string): FlagFamilyJson {
  return {
    prefix: family.prefix,
    source: family.source,
    words: family.words.map(wordJson),
    flags: family.flags.map((f) => {
      const file = f.macro.file as SourceFile;
      const json: FlagFamilyJson['flags'][number] = { name: f.name, value: hex(f.value), bits: f.bits, file: pathOf(file), line: file.positionAt(f.macro.start).line + 1 };
      if (f.role !== 'flag') json.role = f.role;
      if (f.aliasOf !== undefined) json.aliasOf = f.aliasOf;
      return json;
    }),
    overlaps: overlaps(family),
  };
}

/** The flags report of an analysed document; `path` names its own file as given. */
export function flagsJson(analysis: DocumentAnalysis, rules: DocumentRules, path: string): Omit<FlagsResult, 'version' | 'errors'> {
  const pathOf = (file: SourceFile) => (file === analysis.root.file ? path : analysis.pathOf(file));
  return { families: rules.families.map((f) => familyJson(f, pathOf)), diagnostics: rules.flagFindings.map((f) => findingJson(f, pathOf)) };
}

/**
 * The report over `paths`, each analysed on `targets` (the first one's values are the families'); `inputs` as
 * expandPatchInputs gives them (errors of the inputs themselves, and where a patch shows each patched file's lines).
 */
export function flagsReport(
  cache: SourceCache,
  paths: string[],
  targets: TargetName[],
  options: FrontEndOptions,
  inputs: { errors?: LayoutErrorJson[]; shown?: ReadonlyMap<string, PatchLines> } = {},
): FlagsResult {
  const result: FlagsResult = { version: 1, families: [], diagnostics: [], errors: [...(inputs.errors ?? [])] };
  for (const path of paths) {
    const root = cache.get(path);
    const why = root ? unreadable(root) : 'cannot read file';
    if (!root || why !== undefined) {
      result.errors.push({ file: path, line: 1, column: 1, message: why ?? 'cannot read file' });
      continue;
    }
    const analysis = analyzeDocument(cache, root, targets, options);
    const { families, diagnostics } = flagsJson(analysis, documentRules(analysis, cache), path);
    result.families.push(...families);
    const shown = inputs.shown?.get(path);
    result.diagnostics.push(...(shown ? diagnostics.map((d) => diagnosticInPatch(d, shown)) : diagnostics));
    cache.doneWith(path);
  }
  return result;
}

function wordText(word: FlagWordJson): string {
  const reserved = (word.reserved ?? []).map((r) => `, reserved ${bitRanges(bitsOf(BigInt(r.mask)))} (${r.name} ${r.mask})`).join('');
  return `  ${word.name.padEnd(12)} ${String(word.bits).padStart(2)} bits: flags ${bitRanges(word.used) || 'none'}${reserved}, free ${bitRanges(word.free) || 'none'}\n`;
}

/** The report as text: each family with its words, the bits claimed twice, then the rules' findings gcc-style. */
export function formatFlagsText(result: FlagsResult): string {
  let out = '';
  for (const family of result.families) {
    const where = family.flags[0] ? `${family.flags[0].file}:${family.flags[0].line}` : '';
    out += `${where}: ${family.prefix} (${family.source === 'clone' ? 'the clone flags' : family.source === 'annotation' ? 'annotated' : 'by evidence'}), ${family.flags.length} values\n`;
    for (const word of family.words) out += wordText(word);
    for (const o of family.overlaps) out += `  bit ${o.bit}: ${o.names.join(', ')}\n`;
  }
  for (const d of result.diagnostics) out += formatDiagnosticText(d);
  for (const e of result.errors) out += formatErrorText(e);
  return out;
}
