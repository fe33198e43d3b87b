// Patch mails sent quoted-printable or base64, whole or as a multipart's parts, are read as git am reads them: decoded,
// each line placed where the mail has it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { decodeMailBodies } from '../../../core/patch/mail-bodies';
import { patchedFiles } from '../../../core/patch/patched-files';
import { parsePatch } from '../../../core/patch/unified-diff';
import { repoRoot } from '../../helpers/paths';
import { random } from '../../helpers/seeded-random';

const HEADERS = 'From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001\nFrom: A Developer <a@example.org>\nSubject: [PATCH] x: b\nContent-Type: text/plain; charset=UTF-8\n';
const DIFF = '--- a/inc/x.h\n+++ b/inc/x.h\n@@ -1,3 +1,4 @@\n struct x {\n \tint a;\n+\tlong b; /* caf\u00e9: a=1, a comment long enough to be broken by the mailer at seventy-six */\n };\n';

/** `text` encoded quoted-printable as Python's quopri does (soft breaks at 76, `=` and non-ASCII escaped). */
function quopri(text: string): string | undefined {
  const run = spawnSync('python3', ['-c', 'import quopri,sys; sys.stdout.buffer.write(quopri.encodestring(sys.stdin.buffer.read()))'], { input: text });
  return run.status === 0 ? run.stdout.toString('latin1') : undefined;
}

const noPython = spawnSync('python3', ['-c', 'import quopri']).status === 0 ? false : 'python3 is not installed';

/**
 * 300 copies of the mail `base`, each with up to six `pieces` inserted as lines or cut into one (seeded): each reads
 * without an exception, every decoded line placed in order on a line of the mail, and each patched file with a mail
 * line for each of its lines.
 */
function readsMangled(seed: number, base: readonly string[], pieces: readonly string[]): void {
  const next = random(seed);
    for (let i = 0; i < 300; i++) {
      const lines = [...base];
      for (let k = 1 + next(6); k > 0; k--) {
        const at = next(lines.length + 1);
        if (next(2) === 0) lines.splice(at, 0, pieces[next(pieces.length)]);
        else if (lines[at] !== undefined) lines[at] = lines[at].slice(0, next(lines[at].length + 1)) + pieces[next(pieces.length)];
      }
      const { origin } = decodeMailBodies(lines);
      origin?.forEach((o, n) => assert.ok(o >= 0 && o < lines.length && (n === 0 || o >= origin[n - 1]), `case ${i}: line ${n} placed at ${o}`));
      const result = patchedFiles(lines.join('\n'), 'linux', () => 'struct x {\n\tint a;\n};\n');
      for (const file of result.files) assert.equal(file.patchLines.length, file.text.split('\n').length, `case ${i}`);
    }
}

describe('quoted-printable patch mails', () => {
  it('decodes escapes, soft line breaks and UTF-8, and says where each decoded line starts', () => {
    const mail = [...`${HEADERS}Content-Transfer-Encoding: quoted-printable\n`.split('\n').slice(0, -1), '', 'a =3D b  ', 'caf=C3=A9 is long=', ' and goes on', '-- ', 'end'];
    const { lines, origin } = decodeMailBodies(mail);
    const body = lines.slice(lines.indexOf('') + 1);
    assert.deepEqual(body, ['a = b', 'caf\u00e9 is long and goes on', '--', 'end']);
    assert.deepEqual(origin?.slice(lines.indexOf('') + 1), [6, 7, 9, 10], 'the joined line starts where its first part is');
    // A mail sent as it is written is left alone, even where its text names the encoding.
    const plain = [...HEADERS.split('\n').slice(0, -1), '', 'a =3D b'];
    assert.deepEqual(decodeMailBodies(plain), { lines: plain, origin: undefined });
    const about = [...HEADERS.split('\n').slice(0, -1), '', 'send-email: say', '', 'Content-Transfer-Encoding: quoted-printable', '', 'a =3D b'];
    assert.deepEqual(decodeMailBodies(about).lines, about);
  });

  it('reads a patch a mailer encoded with a real encoder as the one written, at the mail\'s lines', { skip: noPython }, () => {
    const written = `${HEADERS}\n${DIFF}`;
    const encodedBody = quopri(DIFF)!;
    assert.ok(/=3D/.test(encodedBody) && /=\n/.test(encodedBody) && /=C3=A9/.test(encodedBody), encodedBody);
    const sent = `${HEADERS}Content-Transfer-Encoding: quoted-printable\n\n${encodedBody}`;
    const read = parsePatch(sent).files[0];
    const expected = parsePatch(written).files[0];
    assert.deepEqual(read.hunks[0].lines.map((l) => l.kind + l.text), expected.hunks[0].lines.map((l) => l.kind + l.text));
    // Each hunk line is placed on the mail line it starts on.
    const sentLines = sent.split('\n');
    for (const l of read.hunks[0].lines) assert.ok(sentLines[l.line].startsWith(l.kind + l.text.slice(0, 5)), `${l.line}: ${sentLines[l.line]}`);
    const tree = (path: string) => (path === 'linux/inc/x.h' ? 'struct x {\n\tint a;\n};\n' : undefined);
    assert.equal(patchedFiles(sent, 'linux', tree).files[0].text, patchedFiles(written, 'linux', tree).files[0].text);
  });

  it('reads 300 mangled quoted-printable mails without an exception, every decoded line placed in order on a line of the mail', () => {
    const pieces = ['=', '=3', '=3D', '=ZZ', '=C3', '=C3=A9', '==', 'a=', '=\r', 'Content-Transfer-Encoding: quoted-printable', 'From 2 Mon Sep 17 00:00:00 2001', '', ' ', '+=3Dx', '-a='];
    const base = `${HEADERS}Content-Transfer-Encoding: quoted-printable\n\n${DIFF.replace(/=/g, '=3D')}`.split('\n');
    readsMangled(29, base, pieces);
  });

  it('decodes the quoted-printable mails of a mailbox and leaves the others as they are', { skip: noPython }, () => {
    const seed = readFileSync(join(repoRoot, 'test', 'e2e', 'workspace', '0001-frob-add-a-cookie-to-struct-frob_args.patch'), 'utf8');
    const blank = seed.indexOf('\n\n');
    const encoded = `${seed.slice(0, blank)}\nContent-Transfer-Encoding: quoted-printable${'\n\n'}${quopri(seed.slice(blank + 2))}`;
    const box = `${seed}\n${encoded}`;
    const parsed = parsePatch(box);
    assert.equal(parsed.files.length, 2);
    assert.deepEqual(parsed.files[1].hunks.map((h) => h.lines.map((l) => l.kind + l.text)), parsed.files[0].hunks.map((h) => h.lines.map((l) => l.kind + l.text)));
    assert.ok(parsed.files[1].line > parsed.files[0].line);
  });
});

/** A MIME mail made by Python's email package (a real encoder): `script` builds `msg` from `diff` (stdin). */
function pythonMail(script: string, diff: string): string | undefined {
  const run = spawnSync('python3', ['-c', `import sys, email.mime.text, email.mime.multipart, email.charset\ndiff = sys.stdin.read()\n${script}\nsys.stdout.write(msg.as_string())`], { input: diff, encoding: 'utf8' });
  return run.status === 0 ? `From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001\n${run.stdout}` : undefined;
}

const noGit = spawnSync('git', ['--version']).status === 0 ? false : 'git is not installed';

/** The patch `git mailinfo` (what git am runs) finds in `mail`. */
function gitMailinfoPatch(mail: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sysarg-mailinfo-'));
  const run = spawnSync('git', ['mailinfo', join(dir, 'msg'), join(dir, 'patch')], { input: mail, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return readFileSync(join(dir, 'patch'), 'utf8');
}

const hunkLines = (text: string) => parsePatch(text).files.map((f) => [f.newPath, ...f.hunks.flatMap((h) => h.lines.map((l) => l.kind + l.text))]);

describe('base64 and multipart patch mails', () => {
  const LONG_DIFF = DIFF + '--- a/inc/y.h\n+++ b/inc/y.h\n@@ -1,2 +1,3 @@\n struct y {\n+\t__u64 z; /* \u00fcber */\n };\n';

  it('reads a base64 mail, a multipart one with the patch attached base64 and the text quoted-printable, as git mailinfo does', { skip: noPython || noGit }, () => {
    const mails = {
      base64: pythonMail("email.charset.add_charset('utf-8', email.charset.BASE64, email.charset.BASE64)\nmsg = email.mime.text.MIMEText(diff, 'plain', 'utf-8')\nmsg['Subject'] = '[PATCH] x: b'", LONG_DIFF),
      multipart: pythonMail(
        "msg = email.mime.multipart.MIMEMultipart()\nmsg['Subject'] = '[PATCH] x: b'\nemail.charset.add_charset('utf-8', email.charset.QP, email.charset.QP)\nmsg.attach(email.mime.text.MIMEText('Adds b=1 and caf\\u00e9.\\n', 'plain', 'utf-8'))\nemail.charset.add_charset('utf-8', email.charset.BASE64, email.charset.BASE64)\npart = email.mime.text.MIMEText(diff, 'x-patch', 'utf-8')\npart.add_header('Content-Disposition', 'attachment', filename='0001-x.patch')\nmsg.attach(part)",
        LONG_DIFF,
      ),
    };
    for (const [kind, mail] of Object.entries(mails)) {
      assert.ok(mail, kind);
      assert.match(mail, /Content-Transfer-Encoding: base64/, kind);
      assert.doesNotMatch(mail, /\+\+\+ b\/inc\/x\.h/, `${kind}: the diff is not in the mail as written`);
      const read = hunkLines(mail);
      assert.equal(read.length, 2, `${kind}: ${JSON.stringify(read)}`);
      assert.deepEqual(read, hunkLines(gitMailinfoPatch(mail)), kind);
      assert.deepEqual(read, hunkLines(LONG_DIFF), kind);
      // Each hunk line is placed on a body line of the mail, in order.
      const lines = mail.split('\n');
      const placed = parsePatch(mail).files.flatMap((f) => f.hunks.flatMap((h) => h.lines.map((l) => l.line)));
      placed.forEach((at, n) => assert.ok(at > 0 && at < lines.length && /^[A-Za-z0-9+/=]+$/.test(lines[at]) && (n === 0 || at >= placed[n - 1]), `${kind}: line ${n} at ${at}: ${lines[at]}`));
      const tree = (path: string) => (path === 'linux/inc/x.h' ? 'struct x {\n\tint a;\n};\n' : path === 'linux/inc/y.h' ? 'struct y {\n};\n' : undefined);
      assert.equal(patchedFiles(mail, 'linux', tree).files[1].text, 'struct y {\n\t__u64 z; /* \u00fcber */\n};\n', kind);
    }
  });

  it('decodes base64 to its padding or its first other line, and keeps a list footer after it as it is', () => {
    const body = Buffer.from('a\r\nb\n\nc').toString('base64');
    const mail = [...`${HEADERS}Content-Transfer-Encoding: base64\n`.split('\n').slice(0, -1), '', body.slice(0, 4), body.slice(4), '_______________', 'list footer'];
    const { lines, origin } = decodeMailBodies(mail);
    const from = lines.indexOf('') + 1;
    assert.deepEqual(lines.slice(from), ['a', 'b', '', 'c', '_______________', 'list footer']);
    assert.deepEqual(origin?.slice(from), [6, 7, 7, 7, 8, 9], "'a\\r\\n' is the first line's 4 characters, the rest the second's");
  });

  it('reads 300 mangled base64 and multipart mails without an exception, every decoded line placed in order on a line of the mail', () => {
    const pieces = ['=', '==', 'QQ', '--b', '--b--', 'Content-Transfer-Encoding: base64', 'Content-Type: multipart/mixed; boundary=b', ' boundary="b"', '', '\u00ff', 'From 2 Mon Sep 17 00:00:00 2001', '+QUJD'];
    const encoded = Buffer.from(DIFF).toString('base64').replace(/.{1,76}/g, '$&\n');
    const base = `${HEADERS.replace('Content-Type: text/plain; charset=UTF-8\n', '')}Content-Type: multipart/mixed;\n boundary="b"\n\npreamble\n--b\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n${encoded}--b--\nepilogue`.split('\n');
    assert.deepEqual(hunkLines(base.join('\n')), hunkLines(DIFF), 'the unmangled mail reads as the diff');
    readsMangled(31, base, pieces);
  });
});
