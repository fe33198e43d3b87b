// What every rule family finds in an analysed document, worked out once per analysis (and baseline).
import type { SourceCache } from '../c/source-cache';
import type { AnalyzedRecord, DocumentAnalysis } from '../document-analysis';
import { recordKey, type Baseline } from '../published-records';
import { flagFamilies, type FlagFamily } from '../flag-families';
import { flagFindings } from './flag-bits';
import type { Finding } from './finding';
import { publishedPrefixFindings } from './published-prefix';
import { copyCheckFindings } from './copy-checks';
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

/** A UAPI header: a kernel tree's (`include/uapi/`, `arch/x86/include/uapi/`, `tools/include/uapi/`) or installed. */
const UAPI_HEADER = /(?:^|\/)uapi\/.*\.h$|^\/usr\/include\/(?:linux|asm|asm-generic|[^/]+-linux-gnu\/asm)\//;

/** The structs a UAPI header defines that its published version (a complete baseline) does not have. */
function newUapiRecords(analysis: DocumentAnalysis, baseline: Baseline | undefined): Set<AnalyzedRecord> {
  if (!baseline?.complete || !UAPI_HEADER.test(analysis.root.file.path)) return new Set();
  const published = new Set(baseline.records.map((r) => r.key));
  return new Set(analysis.records.filter((r) => r.decl.kind === 'struct' && !published.has(recordKey(r))));
}

/**
 * The rules on `analysis` (its own file's text; `cache` reads what evaluating its constants includes). With `baseline`,
 * the published version, each extensible struct's published prefix is checked too (structs matched by tag), the
 * flags the change adds to families found by evidence, and the shape of each struct new in a UAPI header.
 */
export function documentRules(analysis: DocumentAnalysis, cache: SourceCache, baseline?: Baseline): DocumentRules {
  const memo = known.get(analysis);
  if (memo && memo.baseline === baseline) return memo.rules;
  const families = flagFamilies(analysis, cache);
  const flags = flagFindings(families, baseline?.macros);
  const findings = [
    ...flags,
    ...structShapeFindings(analysis, newUapiRecords(analysis, baseline)),
    ...(baseline ? publishedPrefixFindings(analysis, baseline.records) : []),
    ...strictSizeFindings(analysis.root.lexed.tokens),
    ...copyCheckFindings(analysis),
  ];
  const rules = { families, flagFindings: flags, findings: findings.sort((a, b) => a.span.start - b.span.start) };
  known.set(analysis, { baseline, rules });
  return rules;
}
