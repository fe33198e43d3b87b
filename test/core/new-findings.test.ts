// Findings new since a file's earlier version: matched by rule, message and line text, whatever the lines moved.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SourceCache } from '../../core/c/source-cache';
import { checkReport } from '../../core/check-report';
import { analyzeDocument } from '../../core/document-analysis';
import { allFindings, findingKey, newFindings } from '../../core/new-findings';
import { SourceFile, type FrontEndDiagnostic, type Severity } from '../../core/source';
import { memoryHost } from '../helpers/memory-host';

function at(file: SourceFile, needle: string, message: string, severity: Severity = 'warning', code = 'implicit-padding'): FrontEndDiagnostic {
  const start = file.text.indexOf(needle);
  assert.ok(start >= 0, needle);
  return { span: { file, start, end: start + needle.length }, severity, message, code };
}

const TYPES = 'typedef unsigned int __u32;\ntypedef unsigned long long __u64 __attribute__((aligned(8)));\n';
const EARLIER = `${TYPES}/* sysarg: extensible */\nstruct frob_args {\n\t__u32 flags;\n\t__u64 fd;\n};\n`;
// Two lines above it, and a member appended with a hole of its own before the next.
/** What `text` has, as /t/frob.h, analysed in a cache of its own (as sysarg check's baselines are). */
function findingsOf(text: string): FrontEndDiagnostic[] {
  const cache = new SourceCache(memoryHost({ '/t/frob.h': text }));
  return allFindings(analyzeDocument(cache, cache.get('/t/frob.h')!, ['x86_64'], { nostdinc: true }), cache);
}

const CURRENT = `/* frob(2) */\n\n${EARLIER.replace('\t__u64 fd;\n', '\t__u64 fd;\n\t__u32 mode;\n\t__u64 cookie;\n')}`;

describe('new findings', () => {
  it('keys a finding by its line text and message, blanks and numbers standing alone aside', () => {
    const before = new SourceFile('/a.h', 'struct s {\n\t__u32 flags;\n};\n', 1);
    const after = new SourceFile('/a.h', '/* moved */\nstruct s {\n    __u32   flags;\n};\n', 1);
    const key = (file: SourceFile, message: string, severity?: Severity) => findingKey(at(file, 'flags', message, severity));
    assert.equal(key(before, "hole after 'flags' (4 bytes at 4)"), key(after, "hole after 'flags' (4 bytes at 12)"));
    assert.notEqual(key(before, "hole after 'flags' on x86_64"), key(after, "hole after 'flags' on x86_32"), 'numbers inside names stay');
    assert.notEqual(key(before, 'a message'), key(after, 'a message', 'error'), 'a warning that became an error is new');
    assert.notEqual(key(before, 'a message'), findingKey(at(before, 'struct', 'a message')), 'another line');
    assert.notEqual(key(before, 'a message'), findingKey(at(new SourceFile('/b.h', before.text, 2), 'flags', 'a message')), 'another file');
  });

  it('keys a finding on a line of a megabyte by the line\'s first characters only (a bound on the work per finding)', () => {
    const line = `struct s { ${'int a; '.repeat(150_000)}};`;
    const file = new SourceFile('/a.h', `${line}\n${line.replace('struct s', 'struct t')}\n`, 1);
    const key = findingKey(at(file, 'int a; int a; };', 'a message'));
    assert.ok(key.length < 400, `${key.length} characters`);
    assert.notEqual(key, findingKey(at(file, 'struct t', 'a message')), 'the next line, its start different');
  });

  it('counts keys: a finding the earlier version had once and the current one twice is new once', () => {
    const earlier = new SourceFile('/a.h', 'x;\n', 1);
    const current = new SourceFile('/a.h', 'x;\n  x;\ny;\n', 1);
    const found = [at(current, 'x;', 'same'), at(current, '  x;', 'same'), at(current, 'y;', 'other')];
    const { fresh, unchanged } = newFindings(found, [at(earlier, 'x;', 'same')]);
    assert.deepEqual(
      fresh.map((f) => f.span.start),
      [found[1].span.start, found[2].span.start],
    );
    assert.equal(unchanged, 1);
  });

  it('leaves out of a check report what the earlier version had, wherever its lines went, and counts it', () => {
    const files = { '/t/frob.h': CURRENT };
    const report = (earlier?: FrontEndDiagnostic[]) =>
      checkReport(new SourceCache(memoryHost(files)), [{ path: '/t/frob.h', published: () => ({ earlier }) }], ['x86_64'], { nostdinc: true }, [], [], undefined, earlier !== undefined);
    const all = report();
    assert.deepEqual(
      all.diagnostics.map((d) => [d.rule, d.line]),
      [
        ['implicit-padding', 7],
        ['implicit-padding', 9],
      ],
    );
    assert.equal(all.summary.unchanged, undefined, 'not asked');
    const onlyNew = report(findingsOf(EARLIER));
    assert.deepEqual(
      onlyNew.diagnostics.map((d) => [d.rule, d.line]),
      [['implicit-padding', 9]],
      "the hole after 'mode' only",
    );
    assert.match(onlyNew.diagnostics[0].message, /after 'mode'/);
    assert.deepEqual(onlyNew.summary, { files: 1, errors: 0, warnings: 1, information: 0, unchanged: 1 });
    assert.deepEqual([report([]).diagnostics.length, report([]).summary.unchanged], [2, 0], 'a new file had nothing: all of it is new');
  });
});
