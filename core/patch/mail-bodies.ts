// Mails whose bodies a mailer sent quoted-printable (RFC 2045: `=3D` for `=`, lines over 76 characters broken with a
// trailing `=`): their bodies as the patch's author wrote them, as `git am` reads them, each line knowing where it was.

export interface DecodedLines {
  lines: string[];
  /** For each decoded line, the line of the mail it starts on; undefined when nothing was decoded (line i is line i). */
  origin: number[] | undefined;
}

/** An mbox separator, as `git format-patch` writes it (`From <sha> Mon Sep 17 00:00:00 2001`) and mailers do. */
const MBOX_FROM = /^From \S+ +\w{3} \w{3} +\d+ \d+:\d+:\d+ \d{4}/;
const HEADER = /^[\x21-\x39\x3b-\x7e]+:/;
const QUOTED_PRINTABLE = /^content-transfer-encoding:\s*quoted-printable\s*$/i;

/** `lines` with every quoted-printable mail body among them decoded. */
export function decodeMailBodies(lines: string[]): DecodedLines {
  if (!lines.some((l) => QUOTED_PRINTABLE.test(l))) return { lines, origin: undefined };
  const out: string[] = [];
  const origin: number[] = [];
  let i = 0;
  while (i < lines.length) {
    const start = i;
    // A message starts at an mbox separator, or (a single mail) with a header on the first line; its headers run to
    // the first empty line, its body to the next separator. A header-like line inside a body starts nothing.
    const isMessage = MBOX_FROM.test(lines[i]) || (i === 0 && HEADER.test(lines[i]));
    let qp = false;
    if (isMessage) {
      for (; i < lines.length && lines[i] !== ''; i++) qp ||= QUOTED_PRINTABLE.test(lines[i]);
    }
    const bodyEnd = nextSeparator(lines, i + 1);
    if (!isMessage || !qp) {
      for (let k = start; k < bodyEnd; k++) keep(lines[k], k);
    } else {
      for (let k = start; k <= i && k < bodyEnd; k++) keep(lines[k], k);
      decodeBody(lines, i + 1, bodyEnd, keep);
    }
    i = Math.max(bodyEnd, start + 1);
  }
  return { lines: out, origin };

  function keep(line: string, at: number): void {
    out.push(line);
    origin.push(at);
  }
}

function nextSeparator(lines: string[], from: number): number {
  for (let k = from; k < lines.length; k++) if (MBOX_FROM.test(lines[k])) return k;
  return lines.length;
}

/** Decodes lines `from`..`to`: soft breaks joined, escapes turned back into the UTF-8 text they encode. */
function decodeBody(lines: string[], from: number, to: number, keep: (line: string, at: number) => void): void {
  let pending = '';
  let startedAt = from;
  for (let k = from; k < to; k++) {
    // Trailing blanks are the mail's transport, not the text (RFC 2045 6.7, rule 3).
    const line = lines[k].replace(/[ \t]+$/, '');
    if (pending === '') startedAt = k;
    if (line.endsWith('=')) {
      pending += line.slice(0, -1);
      continue;
    }
    keep(unescape(pending + line), startedAt);
    pending = '';
  }
  if (pending !== '') keep(unescape(pending), startedAt);
}

const utf8 = new TextDecoder('utf-8');
const encoder = new TextEncoder();

/** `=XX` escapes as the bytes they stand for, read with the text around them as UTF-8. */
function unescape(line: string): string {
  if (!line.includes('=')) return line;
  const bytes: number[] = [];
  for (let i = 0; i < line.length; i++) {
    const hex = line[i] === '=' ? /^[0-9A-Fa-f]{2}/.exec(line.slice(i + 1, i + 3)) : null;
    if (hex) {
      bytes.push(parseInt(hex[0], 16));
      i += 2;
    } else bytes.push(...encoder.encode(line[i]));
  }
  return utf8.decode(new Uint8Array(bytes));
}
