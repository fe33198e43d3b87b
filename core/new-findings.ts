// The findings an earlier version of a file did not have (`sysarg check --new-only`, the editor's
// `sysarg.newOnly`), matched by what they say and the text of their line, never by line number.
import type { SourceCache } from './c/source-cache';
import type { DocumentAnalysis } from './document-analysis';
import { documentProblems } from './document-problems';
import type { Baseline } from './published-records';
import { documentRules } from './rules/document-rules';
import type { Finding } from './rules/finding';
import type { FrontEndDiagnostic } from './source';

/**
 * Everything found in an analysed version of a file, what a later version's findings are told apart from: the front
 * end's problems (unless `problems` is false: a patch's fragment) and the rules' findings against `baseline`.
 */
export function allFindings(analysis: DocumentAnalysis, cache: SourceCache, baseline?: Baseline, problems = true): Finding[] {
  return [...(problems ? documentProblems(analysis) : []), ...documentRules(analysis, cache, baseline).findings];
}

/**
 * Numbers standing alone in a message (offsets, sizes, bit counts, free bits): they move when a member is appended or a
 * line is added above, and the finding stays the same one. Numbers inside names (`x86_64`, `sockaddr_in6`) stay.
 */
const NUMBER = /\b\d+\b/g;

/**
 * How much of a line goes into a key: enough to tell lines apart, and a bound on the work, where a line of a megabyte
 * holds thousands of findings (a macro bomb's expansion, a generated table).
 */
const LINE_KEY_CHARS = 240;

/** The text of the finding's first line (its start), its blanks collapsed: where it is, in a form that survives lines moving. */
function lineText(finding: FrontEndDiagnostic): string {
  const { file, start } = finding.span;
  const lineStart = start - file.positionAt(start).character;
  const head = file.text.slice(lineStart, lineStart + LINE_KEY_CHARS);
  const end = head.indexOf('\n');
  return (end < 0 ? head : head.slice(0, end)).trim().replace(/\s+/g, ' ');
}

/** What identifies a finding across edits of its file: file, rule, severity, message (numbers left out), line text. */
export function findingKey(finding: FrontEndDiagnostic): string {
  return [finding.span.file.path, finding.code, finding.severity, finding.message.replace(NUMBER, '#'), lineText(finding)].join('\0');
}

/**
 * `current` without the findings `earlier` had as well. Keys are counted: where the earlier version had a finding
 * twice and the current one has it three times, one is new.
 */
export function newFindings<T extends FrontEndDiagnostic>(current: readonly T[], earlier: readonly FrontEndDiagnostic[]): { fresh: T[]; unchanged: number } {
  const counts = new Map<string, number>();
  for (const finding of earlier) {
    const key = findingKey(finding);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const fresh: T[] = [];
  for (const finding of current) {
    const key = findingKey(finding);
    const left = counts.get(key) ?? 0;
    if (left > 0) counts.set(key, left - 1);
    else fresh.push(finding);
  }
  return { fresh, unchanged: current.length - fresh.length };
}
