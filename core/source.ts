// Source texts, positions and the read-only file access the core is given (the core itself never touches the disk).

/** Read-only file access supplied by the host (CLI: the disk; server: open buffers over the disk). */
export interface FileHost {
  /** The file's text, or undefined when it does not exist or is not a regular readable file. */
  readFile(path: string): string | undefined;
  /** Whether a directory exists (for include search paths). */
  isDirectory?(path: string): boolean;
  /**
   * The file's canonical path (symbolic links resolved), or undefined if unknown: one file reached by two paths
   * (Debian's /usr/include/asm is a link into /usr/include/x86_64-linux-gnu) is then read, and remembered, once.
   */
  realPath?(path: string): string | undefined;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** A 0-based position in a source file. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A source text with a line table, identified by its path (or URI for unsaved buffers). */
export class SourceFile {
  private lineStarts: number[] | undefined;

  constructor(
    readonly path: string,
    readonly text: string,
    readonly id: number,
  ) {}

  private starts(): number[] {
    if (!this.lineStarts) {
      const starts = [0];
      const text = this.text;
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.lineStarts = starts;
    }
    return this.lineStarts;
  }

  positionAt(offset: number): Position {
    const starts = this.starts();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - starts[lo] };
  }

  offsetAt(position: Position): number {
    const starts = this.starts();
    if (position.line >= starts.length) return this.text.length;
    return Math.min(starts[position.line] + position.character, this.text.length);
  }

  rangeOf(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  get lineCount(): number {
    return this.starts().length;
  }
}

/** A span of written text: the file and byte offsets of what the user typed. */
export interface Span {
  file: SourceFile;
  start: number;
  end: number;
}

/** A problem found while reading C, pointing at written text. */
export interface FrontEndDiagnostic {
  span: Span;
  severity: Severity;
  message: string;
  /** Stable id for the kind of problem, e.g. "parse-error", "include-not-found". */
  code: string;
  /** On an included file's problem shown at the #include (`included-file-error`): that problem's own code. */
  origin?: string;
}
