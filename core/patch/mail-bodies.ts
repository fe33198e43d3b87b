// Mails whose bodies a mailer encoded (RFC 2045: quoted-printable, `=3D` for `=` and lines over 76 characters broken
// with a trailing `=`; base64), whole or part by part (a patch attached to a multipart/mixed mail): their bodies as
// the patch's author wrote them, as `git am` reads them, each line knowing where it was.

export interface DecodedLines {
  lines: string[];
  /** For each decoded line, the line of the mail it starts on; undefined when nothing was decoded (line i is line i). */
  origin: number[] | undefined;
}

/** An mbox separator, as `git format-patch` writes it (`From <sha> Mon Sep 17 00:00:00 2001`) and mailers do. */
const MBOX_FROM = /^From \S+ +\w{3} \w{3} +\d+ \d+:\d+:\d+ \d{4}/;
const HEADER = /^[\x21-\x39\x3b-\x7e]+:/;
const ENCODED = /^content-transfer-encoding:\s*(quoted-printable|base64)\s*$/i;
const TRANSFER_ENCODING = /^content-transfer-encoding:\s*(\S+)/i;
const MULTIPART = /^content-type:\s*multipart\/[\w.+-]+\s*;?(.*)$/i;
const BOUNDARY = /\bboundary\s*=\s*(?:"([^"]+)"|([^\s;]+))/i;
/** How deep multiparts may nest (a mail's parts are seldom more than two deep): deeper parts are kept as they are. */
const MAX_DEPTH = 4;

type Keep = (line: string, at: number) => void;

/** `lines` with every encoded mail body, or body part, among them decoded. */
export function decodeMailBodies(lines: string[]): DecodedLines {
  if (!lines.some((l) => ENCODED.test(l))) return { lines, origin: undefined };
  const out: string[] = [];
  const origin: number[] = [];
  const keep: Keep = (line, at) => {
    out.push(line);
    origin.push(at);
  };
  let i = 0;
  while (i < lines.length) {
    const start = i;
    // A message starts at an mbox separator, or (a single mail) with a header on the first line; its headers run to
    // the first empty line, its body to the next separator. A header-like line inside a body starts nothing.
    const isMessage = MBOX_FROM.test(lines[i]) || (i === 0 && HEADER.test(lines[i]));
    const bodyEnd = nextSeparator(lines, i + 1);
    if (isMessage) readEntity(lines, MBOX_FROM.test(lines[i]) ? i + 1 : i, bodyEnd, 0, keep, start);
    else for (let k = start; k < bodyEnd; k++) keep(lines[k], k);
    i = Math.max(bodyEnd, start + 1);
  }
  return { lines: out, origin };
}

/**
 * A message or body part from line `from` (its first header) to `to`: its headers kept as they are, its body decoded
 * as its Content-Transfer-Encoding says, a multipart body part by part. Lines from `keptFrom` (an mbox separator
 * before the headers) are kept too.
 */
function readEntity(lines: string[], from: number, to: number, depth: number, keep: Keep, keptFrom = from): void {
  let i = from;
  let encoding = '';
  let boundary: string | undefined;
  for (; i < to && lines[i] !== ''; i++) {
    encoding = TRANSFER_ENCODING.exec(lines[i])?.[1].toLowerCase() ?? encoding;
    const multipart = MULTIPART.exec(lines[i]);
    // The boundary parameter may be on the header's folded continuation lines.
    const parameter = multipart && BOUNDARY.exec(multipart[1] + unfolded(lines, i + 1, to));
    if (parameter) boundary = parameter[1] ?? parameter[2];
  }
  for (let k = keptFrom; k <= i && k < to; k++) keep(lines[k], k);
  const bodyFrom = i + 1;
  if (boundary !== undefined && depth < MAX_DEPTH) readParts(lines, bodyFrom, to, boundary, depth, keep);
  else if (encoding === 'quoted-printable') decodeQuotedPrintable(lines, bodyFrom, to, keep);
  else if (encoding === 'base64') decodeBase64(lines, bodyFrom, to, keep);
  else for (let k = bodyFrom; k < to; k++) keep(lines[k], k);
}

/** The continuation lines (starting with a blank) of the header before `from`, joined. */
function unfolded(lines: string[], from: number, to: number): string {
  let text = '';
  for (let k = from; k < to && /^[ \t]/.test(lines[k]); k++) text += lines[k];
  return text;
}

/** A multipart body: the text before the first delimiter and after the last kept, each part read as an entity. */
function readParts(lines: string[], from: number, to: number, boundary: string, depth: number, keep: Keep): void {
  const delimiter = `--${boundary}`;
  const isDelimiter = (line: string) => line === delimiter || line === `${delimiter}--` || (line.startsWith(delimiter) && /^(--)?[ \t]*$/.test(line.slice(delimiter.length)));
  let k = from;
  for (; k < to && !isDelimiter(lines[k]); k++) keep(lines[k], k);
  while (k < to) {
    const closing = lines[k].startsWith(`${delimiter}--`);
    keep(lines[k], k);
    k++;
    let end = k;
    while (end < to && !isDelimiter(lines[end])) end++;
    if (closing) for (let j = k; j < end; j++) keep(lines[j], j);
    else readEntity(lines, k, end, depth + 1, keep);
    k = end;
  }
}

function nextSeparator(lines: string[], from: number): number {
  for (let k = from; k < lines.length; k++) if (MBOX_FROM.test(lines[k])) return k;
  return lines.length;
}

/** Decodes lines `from`..`to`: soft breaks joined, escapes turned back into the UTF-8 text they encode. */
function decodeQuotedPrintable(lines: string[], from: number, to: number, keep: Keep): void {
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

const BASE64_VALUE = new Map([...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].map((c, i) => [c, i]));
/** A line of a base64 body; the first other line (a list's footer, a blank line after the text) ends it. */
const BASE64_LINE = /^[A-Za-z0-9+/]+={0,2}[ \t]*$/;

/**
 * Decodes lines `from`..`to` as base64, to its padding or its first line that is not base64 (kept as it is, with
 * those after it), split into lines at the decoded newlines, each placed on the mail line its first byte came from.
 */
function decodeBase64(lines: string[], from: number, to: number, keep: Keep): void {
  const bytes: number[] = [];
  const byteLine: number[] = [];
  let bits = 0;
  let count = 0;
  let k = from;
  for (; k < to && BASE64_LINE.test(lines[k]); k++) {
    for (const c of lines[k]) {
      const value = BASE64_VALUE.get(c);
      if (value === undefined) break;
      bits = ((bits << 6) | value) & 0xffffff;
      count += 6;
      if (count >= 8) {
        count -= 8;
        bytes.push((bits >> count) & 0xff);
        byteLine.push(k);
      }
    }
    if (lines[k].includes('=')) {
      k++;
      break;
    }
  }
  flushLines(bytes, byteLine, from, keep);
  for (; k < to; k++) keep(lines[k], k);
}

/** The decoded bytes as lines (`\r\n` or `\n`), each at the mail line of its first byte (an empty line: of its newline). */
function flushLines(bytes: number[], byteLine: number[], from: number, keep: Keep): void {
  let start = 0;
  for (let b = 0; b <= bytes.length; b++) {
    if (b < bytes.length && bytes[b] !== 0x0a) continue;
    if (b === bytes.length && start === b) break;
    const end = b > start && bytes[b - 1] === 0x0d ? b - 1 : b;
    keep(utf8.decode(new Uint8Array(bytes.slice(start, end))), byteLine[start] ?? from);
    start = b + 1;
  }
}
