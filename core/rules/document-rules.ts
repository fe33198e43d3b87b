// What every rule family finds in an analysed document, worked out once per analysis (and baseline).
import type { SourceCache } from '../c/source-cache';
import type { DocumentAnalysis } from '../document-analysis';
import type { PublishedRecord } from '../published-records';
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

const known = new WeakMap<DocumentAnalysis, { baseline: readonly PublishedRecord[] | undefined; rules: DocumentRules }>();

/**
 * The rules on `analysis` (its own file's text; `cache` reads what evaluating its constants includes). With `baseline`,
 * the records of the published version (matched by tag), the published prefix of each extensible struct is checked too.
 */
export function documentRules(analysis: DocumentAnalysis, cache: SourceCache, baseline?: readonly PublishedRecord[]): DocumentRules {
  const memo = known.get(analysis);
  if (memo && memo.baseline === baseline) return memo.rules;
  const families = flagFamilies(analysis, cache);
  const flags = flagFindings(families);
  const findings = [
    ...flags,
    ...structShapeFindings(analysis),
    ...(baseline ? publishedPrefixFindings(analysis, baseline) : []),
    ...strictSizeFindings(analysis.root.lexed.tokens),
  ];
  const rules = { families, flagFindings: flags, findings: findings.sort((a, b) => a.span.start - b.span.start) };
  known.set(analysis, { baseline, rules });
  return rules;
}
