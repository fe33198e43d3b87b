// Quick fixes in a patch mail: the rules' fixes for a patched file, written into the patch's added lines as added lines.
import { CodeActionKind, type CodeAction, type Range, type TextEdit } from 'vscode-languageserver';
import type { Finding, SpanEdit } from '../core/rules/finding';
import { overlaps } from './code-actions';
import { findingDiagnostic } from './diagnostics';
import { rangeToPatch, type PatchView } from './patch-documents';
import { spanToRange } from './positions';

type PatchedFile = PatchView['files'][number];

/**
 * A code action for each fix of each finding the patch shows in `range` whose edits fall on lines the patch adds (or
 * insert whole lines among the lines it shows): a fix of a line the patch only shows as context would change what the
 * patch expects to find, so it is not offered. The hunks' line counts (and the later hunks' starts) follow the lines a
 * fix adds, so that the patch still applies.
 */
export function patchCodeActions(view: PatchView, patchText: string, uri: string, range: Range): CodeAction[] {
  const lines = patchText.split('\n');
  const out: CodeAction[] = [];
  for (const file of view.files) {
    let fileLines: string[] | undefined;
    for (const finding of file.rules().findings) {
      if (finding.span.file !== file.analysis.root.file || !finding.fixes) continue;
      const shown = rangeToPatch(file, spanToRange(finding.span));
      if (!shown || !overlaps(shown, range)) continue;
      fileLines ??= file.analysis.root.file.text.split('\n');
      for (const fix of finding.fixes) {
        const edits = editsInPatch(file, fileLines, lines, fix.edits);
        if (edits) out.push(action(fix.title, finding, file, shown, edits, uri));
      }
    }
  }
  return out;
}

/** The action, naming the diagnostic as the patch shows it (at its place in the mail, the patched file's path first). */
function action(title: string, finding: Finding, file: PatchedFile, shown: Range, edits: TextEdit[], uri: string): CodeAction {
  const d = findingDiagnostic(finding);
  const diagnostic = { ...d, range: shown, message: `${file.analysis.root.file.path}: ${d.message}` };
  return { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: finding.fixes?.length === 1, edit: { changes: { [uri]: edits } } };
}

/** The fix's edits as edits of the patch, with its hunk headers' counts brought up to date; undefined if it cannot be written there. */
function editsInPatch(file: PatchedFile, fileLines: string[], lines: string[], edits: SpanEdit[]): TextEdit[] | undefined {
  const out: TextEdit[] = [];
  const added = new Map<number, number>();
  for (const edit of edits) {
    if (edit.span.file !== file.analysis.root.file) return undefined;
    const written = editInPatch(file, fileLines, lines, edit);
    if (!written) return undefined;
    out.push(written.edit);
    const header = hunkHeaderAbove(lines, written.hunkLine);
    if (header === undefined) return undefined;
    added.set(header, (added.get(header) ?? 0) + written.linesAdded);
  }
  const headers = headerEdits(lines, added);
  return headers && [...out, ...headers];
}

/** One edit of the patched file written into the patch; undefined where it touches a line the patch does not add. */
function editInPatch(file: PatchedFile, fileLines: string[], lines: string[], edit: SpanEdit): { edit: TextEdit; linesAdded: number; hunkLine: number } | undefined {
  const source = file.analysis.root.file;
  const start = source.positionAt(edit.span.start);
  const end = source.positionAt(edit.span.end);
  const at = (line: number) => file.patchLines[line] ?? -1;
  const showsLine = (line: number, markers: string) => {
    const shown = lines[at(line)];
    // A blank line in a hunk is a context line whose space a mailer took away.
    return shown !== undefined && markers.includes(shown[0] ?? ' ') && shown.slice(1) === fileLines[line];
  };
  const contiguousAdded = (from: number, to: number) => {
    for (let line = from; line <= to; line++) if (!showsLine(line, '+') || at(line) !== at(from) + (line - from)) return false;
    return true;
  };
  // Whole lines: added lines replaced (or taken away), or lines inserted before a line the patch shows, added or
  // context. What is inserted becomes added lines.
  if (start.character === 0 && end.character === 0 && (edit.newText === '' || edit.newText.endsWith('\n'))) {
    const replaced = end.line - start.line;
    const inserted = edit.newText === '' ? [] : edit.newText.slice(0, -1).split('\n');
    const newText = inserted.map((l) => `+${l}\n`).join('');
    if (replaced === 0 && !showsLine(start.line, '+ ')) {
      // At the end of the file, after the last line the hunk shows (a #define added after the file's last): at the
      // hunk's end. Elsewhere a hunk ending in added lines would read to GNU patch and git as one anchored at the end
      // of the file. Not before a "\ No newline at end of file", which speaks of the line above it.
      const after = start.line - 1;
      const atEnd = start.line === fileLines.length - 1 && fileLines[start.line] === '';
      if (!atEnd || after < 0 || !showsLine(after, '+ ') || lines[at(after) + 1]?.startsWith('\\')) return undefined;
      const place = { line: at(after) + 1, character: 0 };
      return { edit: { range: { start: place, end: place }, newText }, linesAdded: inserted.length, hunkLine: at(after) };
    }
    if (replaced > 0 && !contiguousAdded(start.line, end.line - 1)) return undefined;
    // Lines inserted before the first line a hunk shows would end its leading context, and a hunk with none reads as
    // one anchored at the start of the file: only where the line before is shown too, or the hunk starts with added lines.
    const keepsContext = start.line === 0 || (showsLine(start.line - 1, '+ ') && at(start.line - 1) === at(start.line) - 1) || lines[at(start.line)][0] === '+';
    if (replaced === 0 && !keepsContext) return undefined;
    const range = { start: { line: at(start.line), character: 0 }, end: { line: at(start.line) + replaced, character: 0 } };
    return { edit: { range, newText }, linesAdded: inserted.length - replaced, hunkLine: at(start.line) };
  }
  if (!contiguousAdded(start.line, end.line)) return undefined;
  const range = { start: { line: at(start.line), character: start.character + 1 }, end: { line: at(end.line), character: end.character + 1 } };
  const newLines = edit.newText.split('\n').length - 1;
  return { edit: { range, newText: edit.newText.replace(/\n/g, '\n+') }, linesAdded: newLines - (end.line - start.line), hunkLine: at(start.line) };
}

/** The patch line of the `@@` header of the hunk that holds patch line `line`. */
function hunkHeaderAbove(lines: string[], line: number): number | undefined {
  for (let i = line; i >= 0; i--) if (lines[i].startsWith('@@ ')) return i;
  return undefined;
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/**
 * New texts for the headers of the hunks lines were added to (their new-side count) and of the hunks of the same
 * file after them (their new-side start): a patch whose counts are wrong does not apply.
 */
function headerEdits(lines: string[], added: Map<number, number>): TextEdit[] | undefined {
  const shift = new Map<number, { count: number; start: number }>();
  for (const [header, n] of added) {
    if (n === 0) continue;
    const hunks = hunksFrom(lines, header);
    if (!hunks) return undefined;
    hunks.forEach((h, i) => {
      const s = shift.get(h) ?? { count: 0, start: 0 };
      if (i === 0) s.count += n;
      else s.start += n;
      shift.set(h, s);
    });
  }
  const out: TextEdit[] = [];
  for (const [header, s] of shift) {
    const m = HUNK_HEADER.exec(lines[header]) as RegExpExecArray;
    const newSide = `+${Number(m[3]) + s.start},${Number(m[4] ?? '1') + s.count}`;
    const from = m[0].indexOf(' +');
    const to = m[0].lastIndexOf(' @@');
    out.push({ range: { start: { line: header, character: from + 1 }, end: { line: header, character: to } }, newText: newSide });
  }
  return out;
}

/** The header lines of the hunk at `header` and of the hunks that follow it in the same file; undefined if one is malformed. */
function hunksFrom(lines: string[], header: number): number[] | undefined {
  const out: number[] = [];
  let at = header;
  while (at < lines.length && lines[at].startsWith('@@ ')) {
    const m = HUNK_HEADER.exec(lines[at]);
    if (!m) return undefined;
    out.push(at);
    let before = Number(m[2] ?? '1');
    let after = Number(m[4] ?? '1');
    at++;
    while ((before > 0 || after > 0) && at < lines.length) {
      const marker = lines[at][0];
      if (marker === ' ' || lines[at] === '') {
        before--;
        after--;
      } else if (marker === '-') before--;
      else if (marker === '+') after--;
      else if (marker !== '\\') return undefined;
      at++;
    }
    while (at < lines.length && lines[at].startsWith('\\')) at++;
  }
  return out;
}
