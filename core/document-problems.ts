// What reading a document found wrong in its own text: the front end's problems and the records with no layout.
import { LayoutError } from './abi/layout';
import type { DocumentAnalysis } from './document-analysis';
import type { TargetName } from './protocol';
import { targetList } from './rules/finding';
import type { FrontEndDiagnostic, Span } from './source';

const UNKNOWN_TYPE = /^unknown type name '(.+)'$/;
/** `pid_t pid;` with pid_t unknown reads as a declaration of pid_t: the parser then stops before `pid`. */
const UNKNOWN_TYPE_AS_NAME = /^expected ';' after declaration before '[A-Za-z_]\w*'$/;

/**
 * The front end's problems in the document's own file, and a layout error for each record with none (one for the
 * targets that fail the same way).
 */
export function documentProblems(analysis: DocumentAnalysis): FrontEndDiagnostic[] {
  const own = analysis.diagnostics.filter((d) => d.span.file === analysis.root.file);
  return [...withinErrorLimit(withoutFollowOns(firstFromEachInclude(own))), ...layoutErrors(analysis)];
}

/**
 * Of the errors that included files moved onto one #include line, the first, saying how many more there are (as clangd
 * shows an included file's first error at the #include): a selftest's #include of a header whose types never came
 * made a hundred warnings on one line.
 */
function firstFromEachInclude(diagnostics: FrontEndDiagnostic[]): FrontEndDiagnostic[] {
  const at = (d: FrontEndDiagnostic) => `${d.span.start}:${d.span.end}`;
  const count = new Map<string, number>();
  for (const d of diagnostics) if (d.code === 'included-file-error') count.set(at(d), (count.get(at(d)) ?? 0) + 1);
  const shown = new Set<string>();
  return diagnostics.flatMap((d) => {
    if (d.code !== 'included-file-error') return [d];
    if (shown.has(at(d))) return [];
    shown.add(at(d));
    const more = (count.get(at(d)) as number) - 1;
    return [more === 0 ? d : { ...d, message: `${d.message} (and ${more} more error${more === 1 ? '' : 's'} in what this #include reads)` }];
  });
}

/** clang's default -ferror-limit: past it, more parse errors say little (a file that is no C, as bpf's verifier/*.c fragments are). */
const PARSE_ERROR_LIMIT = 20;

/** The first PARSE_ERROR_LIMIT parse errors, the last of them saying how many more there are. */
function withinErrorLimit(diagnostics: FrontEndDiagnostic[]): FrontEndDiagnostic[] {
  const parseErrors = diagnostics.filter((d) => d.code === 'parse-error' && d.severity === 'error');
  if (parseErrors.length <= PARSE_ERROR_LIMIT) return diagnostics;
  const last = parseErrors[PARSE_ERROR_LIMIT - 1];
  const dropped = new Set(parseErrors.slice(PARSE_ERROR_LIMIT));
  const note = `; ${dropped.size} more parse error${dropped.size === 1 ? '' : 's'} after it not reported (a limit of ${PARSE_ERROR_LIMIT}, as clang's)`;
  return diagnostics.filter((d) => !dropped.has(d)).map((d) => (d === last ? { ...d, message: d.message + note } : d));
}

/**
 * The unknown type names after a missing include are counted on it, not reported one by one: its types never came
 * (gcc and clang stop at a missing include). kfd_ioctl.h's missing drm/drm.h made 178 errors, and the selftests'
 * missing generated headers most of the ~8,700 errors of a whole 6.1 tree's check.
 */
function withoutFollowOns(diagnostics: FrontEndDiagnostic[]): FrontEndDiagnostic[] {
  const missing = diagnostics.find((d) => d.code === 'include-not-found' || d.origin === 'include-not-found');
  if (!missing) return diagnostics;
  const followOns = new Set(diagnostics.filter((d) => d.code === 'parse-error' && d.span.start > missing.span.start && (UNKNOWN_TYPE.test(d.message) || UNKNOWN_TYPE_AS_NAME.test(d.message))));
  if (followOns.size === 0) return diagnostics;
  const names = [...new Set([...followOns].flatMap((d) => UNKNOWN_TYPE.exec(d.message)?.[1] ?? []))];
  const shown = names.length === 0 ? '' : ` (unknown type names: ${names.length > 3 ? `${names.slice(0, 3).join(', ')}...` : names.join(', ')})`;
  const count = followOns.size === 1 ? 'a parse error' : `${followOns.size} parse errors`;
  const note = `; ${count} after it${shown} may come from it and ${followOns.size === 1 ? 'is' : 'are'} not reported apart`;
  return diagnostics.filter((d) => !followOns.has(d)).map((d) => (d === missing ? { ...d, message: d.message + note } : d));
}

function layoutErrors(analysis: DocumentAnalysis): FrontEndDiagnostic[] {
  const out: FrontEndDiagnostic[] = [];
  for (const record of analysis.records) {
    const byCause = new Map<string, { span: Span; message: string; targets: TargetName[] }>();
    for (const [target, layout] of record.layouts) {
      if (!(layout instanceof LayoutError)) continue;
      const span = layout.span && layout.span.file === analysis.root.file ? layout.span : record.decl.nameSpan;
      const key = `${span.start}:${span.end}:${layout.message}`;
      const same = byCause.get(key);
      if (same) same.targets.push(target);
      else byCause.set(key, { span, message: layout.message, targets: [target] });
    }
    for (const { span, message, targets } of byCause.values()) {
      out.push({ span, severity: 'error', code: 'layout-error', message: `${record.decl.kind} ${record.name} has no layout on ${targetList(targets)}: ${message}` });
    }
  }
  return out;
}
