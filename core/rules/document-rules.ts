// What every rule family finds in an analysed document, worked out once per analysis (and baseline).
import type { SourceCache } from '../c/source-cache';
import type { DocumentAnalysis } from '../document-analysis';
import type { Baseline } from '../published-records';
import { flagFamilies, type FlagFamily } from '../flag-families';
import { flagFindings } from './flag-bits';
import type { Finding } from './finding';
import { publishedPrefixFindings } from './published-prefix';
import { strictSizeFindings } from './strict-size';
import { structShapeFindings } from './struct-shape';

/** What the rules read of a document beyond its analysis, and what they find. */
export interface DocumentRules {
  families: FlagFamily[];
  /** What the flag rules find (the `sysarg flags` report's part). */
  flagFindings: Finding[];
  /** What every rule finds, in the order of the text. */
  findings: Finding[];
}

const known = new WeakMap<DocumentAnalysis, { baseline: Baseline | undefined; rules: DocumentRules }>();

/**
 * The rules on `analysis` (its own file's text; `cache` reads what evaluating its constants includes). With `baseline`,
 * the published version, each extensible struct's published prefix is checked too (structs matched by tag), and the
 * flags the change adds to families found by evidence.
 */
export function documentRules(analysis: DocumentAnalysis, cache: SourceCache, baseline?: Baseline): DocumentRules {
  const memo = known.get(analysis);
  if (memo && memo.baseline === baseline) return memo.rules;
  const families = flagFamilies(analysis, cache);
  const flags = flagFindings(families, baseline?.macros);
  const findings = [
    ...flags,
    ...structShapeFindings(analysis),
    ...(baseline ? publishedPrefixFindings(analysis, baseline.records) : []),
    ...strictSizeFindings(analysis.root.lexed.tokens),
  ];
  const rules = { families, flagFindings: flags, findings: findings.sort((a, b) => a.span.start - b.span.start) };
  known.set(analysis, { baseline, rules });
  return rules;
}
