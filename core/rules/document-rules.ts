// What every rule family finds in an analysed document (the rules that need no baseline), worked out once per analysis.
import type { SourceCache } from '../c/source-cache';
import type { DocumentAnalysis } from '../document-analysis';
import { flagFamilies, type FlagFamily } from '../flag-families';
import { flagFindings } from './flag-bits';
import type { Finding } from './finding';

/** What the rules read of a document beyond its analysis, and what they find. */
export interface DocumentRules {
  families: FlagFamily[];
  findings: Finding[];
}

const known = new WeakMap<DocumentAnalysis, DocumentRules>();

/** The rules on `analysis` (its own file's text; `cache` reads what evaluating its constants includes). */
export function documentRules(analysis: DocumentAnalysis, cache: SourceCache): DocumentRules {
  let rules = known.get(analysis);
  if (rules === undefined) {
    const families = flagFamilies(analysis, cache);
    rules = { families, findings: flagFindings(families) };
    known.set(analysis, rules);
  }
  return rules;
}
