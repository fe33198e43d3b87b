// Reads unified diffs as git, diff -u and format-patch mails write them: which files they change, and their hunks.
import { decodeMailBodies } from './mail-bodies';

/** One line of a hunk: context (' '), removed ('-') or added ('+'), without its marker; `line` is 0-based in the patch. */
export interface HunkLine {
  kind: ' ' | '-' | '+';
  text: string;
  line: number;
}

export interface Hunk {
  /** 1-based first line on each side, and how many lines each side has (as the `@@ -a,b +c,d @@` line says). */
  oldStart: number;
  oldCount: number;
  newStart: number;
  newCount: number;
  /** The `@@` line, 0-based in the patch. */
  line: number;
  lines: HunkLine[];
}

export interface FilePatch {
  /** Paths with git's a/ and b/ taken off (as `git apply` and `patch -p1` read them); null for /dev/null. */
  oldPath: string | null;
  newPath: string | null;
  hunks: Hunk[];
  /** A binary change (nothing to apply as text). */
  binary: boolean;
  /** The line that starts this file's part (`diff --git`, or `---`), 0-based. */
  line: number;
}

export interface PatchProblem {
  line: number;
  message: string;
  /** Information: a fact about the tree the patch is read against (a file it lacks), not a fault of the patch. */
  severity?: 'information';
}

export interface ParsedPatch {
  files: FilePatch[];
  problems: PatchProblem[];
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const GIT_HEADER = /^diff --git (?:"?a\/)?(.+?)"? (?:"?b\/)?(.+?)"?$/;

/** Whether `text` holds a unified diff: a `--- ` line, then `+++ `, then a hunk header. */
export function isPatchText(text: string): boolean {
  return /^--- .*\r?\n\+\+\+ .*\r?\n@@ -\d/m.test(text);
}

/** The path a `---`/`+++` line names: its timestamp dropped, git's a/ or b/ taken off; null for /dev/null. */
function headerPath(rest: string, gitStyle: boolean): string | null {
  let path = rest.replace(/\t.*$/, '').trim();
  if (path.startsWith('"') && path.endsWith('"')) path = path.slice(1, -1);
  if (path === '/dev/null') return null;
  if (gitStyle || /^[ab]\//.test(path)) path = path.replace(/^[ab]\//, '');
  return path;
}

/** Every file a patch (or a mailbox of patches) changes, in order, and what could not be read. */
export function parsePatch(text: string): ParsedPatch {
  const mail = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  // The empty string after the last newline is no line (it would read as an empty context line).
  if (mail[mail.length - 1] === '') mail.pop();
  // Lines are read decoded (a quoted-printable mail's) and placed where the mail has them.
  const { lines, origin } = decodeMailBodies(mail);
  const place = (i: number) => origin?.[i] ?? i;
  const files: FilePatch[] = [];
  const problems: PatchProblem[] = [];
  let current: FilePatch | undefined;
  let gitStyle = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const git = GIT_HEADER.exec(line);
    if (git) {
      current = { oldPath: git[1], newPath: git[2], hunks: [], binary: false, line: place(i) };
      files.push(current);
      gitStyle = true;
      continue;
    }
    if (line.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ')) {
      const oldPath = headerPath(line.slice(4), gitStyle && current !== undefined);
      const newPath = headerPath(lines[i + 1].slice(4), gitStyle && current !== undefined);
      // A `diff --git` line just before names the same file; a plain diff starts its file here.
      if (!current || current.hunks.length > 0 || current.binary) {
        current = { oldPath, newPath, hunks: [], binary: false, line: place(i) };
        files.push(current);
      } else {
        current.oldPath = oldPath;
        current.newPath = newPath;
      }
      i++;
      continue;
    }
    if (current && (line.startsWith('Binary files ') || line === 'GIT binary patch')) {
      current.binary = true;
      continue;
    }
    if (current && line.startsWith('deleted file mode')) current.newPath = null;
    if (current && line.startsWith('new file mode')) current.oldPath = null;
    const header = HUNK_HEADER.exec(line);
    if (header && current) i = readHunk(lines, i, header, current, problems, place);
    else if (header) problems.push({ line: place(i), message: 'hunk before any file header (---/+++)' });
  }
  return { files, problems };
}

/** What the line a hunk stopped at (`at`, past the end if none) says about why it ended early. */
function whyEarly(lines: string[], at: number, oldLeft: number, place: (i: number) => number): string {
  const line = lines[at];
  if (line === undefined) return 'the patch ends there (truncated?)';
  const where = `line ${place(at) + 1}`;
  if (HUNK_HEADER.test(line) || line.startsWith('diff ') || line.startsWith('--- ')) return `${where} starts the next hunk or file (its counts hand-edited?)`;
  const marker = line[0];
  if (marker === '-' || marker === '+' || marker === ' ') {
    const side = marker === '-' || (marker === ' ' && oldLeft === 0) ? 'old' : 'new';
    return `${where} is a '${marker}' line past the hunk's ${side} lines (its counts hand-edited?)`;
  }
  return `${where} has no ' ', '-' or '+' marker (its leading whitespace lost to a mailer or a web archive, a wrapped line?)`;
}

/** Reads the hunk whose header is at `at` into `file`; the index of its last line. */
function readHunk(lines: string[], at: number, header: RegExpExecArray, file: FilePatch, problems: PatchProblem[], place: (i: number) => number): number {
  const hunk: Hunk = {
    oldStart: Number(header[1]),
    oldCount: header[2] === undefined ? 1 : Number(header[2]),
    newStart: Number(header[3]),
    newCount: header[4] === undefined ? 1 : Number(header[4]),
    line: place(at),
    lines: [],
  };
  let oldLeft = hunk.oldCount;
  let newLeft = hunk.newCount;
  let i = at + 1;
  for (; i < lines.length && (oldLeft > 0 || newLeft > 0); i++) {
    const line = lines[i];
    const marker = line[0];
    if (marker === '\\') continue;
    // Mailers strip the blank of an empty context line.
    const kind: HunkLine['kind'] | undefined = line === '' || marker === ' ' ? ' ' : marker === '-' || marker === '+' ? marker : undefined;
    if (kind === ' ' && oldLeft > 0 && newLeft > 0) oldLeft--, newLeft--;
    else if (kind === '-' && oldLeft > 0) oldLeft--;
    else if (kind === '+' && newLeft > 0) newLeft--;
    else break;
    hunk.lines.push({ kind, text: line.slice(1), line: place(i) });
  }
  if (oldLeft > 0 || newLeft > 0) {
    problems.push({ line: place(at), message: `hunk ends early: ${oldLeft} old and ${newLeft} new lines missing; ${whyEarly(lines, i, oldLeft, place)}` });
  }
  file.hunks.push(hunk);
  // A `\ No newline at end of file` right after the hunk belongs to it.
  while (i < lines.length && lines[i].startsWith('\\')) i++;
  return i - 1;
}
