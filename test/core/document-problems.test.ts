// A document's own problems as check and the editor report them: follow-on errors of a missing include counted on it,
// and one layout error for the targets a record fails on the same way.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { documentProblems } from '../../core/document-problems';
import { analysisOf } from '../helpers/memory-host';

const problems = (text: string, files: Record<string, string> = {}) =>
  documentProblems(analysisOf(text, ['x86_64', 'i386'], files))
    .map((d) => [d.code, d.span.file.positionAt(d.span.start).line + 1, d.message] as [string, number, string])
    .sort((a, b) => a[1] - b[1]);

describe('document problems', () => {
  it('counts the unknown type names after a missing include on it, as a compiler would stop there', () => {
    assert.deepEqual(
      problems('struct before { u8 early; };\n#include <drm/drm.h>\nstruct a { __u32 x; };\nstruct b { __u64 y; __u32 z; };\nstruct c { int ok; } ;\nstatic pid_t getpid(void);\nstruct d { 3 x; };\n'),
      [
        ['parse-error', 1, "unknown type name 'u8'"],
        ['include-not-found', 2, "'drm/drm.h' file not found; 4 parse errors after it (unknown type names: __u32, __u64) may come from it and are not reported apart"],
        ['parse-error', 7, "expected a member declaration, found '3'"],
      ],
      'an unknown type before the include, and other errors after it, are reported as before',
    );
    assert.deepEqual(problems('#include "gone.h"\nstruct a { __u32 x; };\n'), [['include-not-found', 1, "'gone.h' file not found; a parse error after it (unknown type names: __u32) may come from it and is not reported apart"]]);
  });

  it('takes a missing include inside an included header the same way', () => {
    const found = problems('#include "inner.h"\nstruct a { __u32 x; };\n', { '/test/inner.h': '#include <linux/types.h>\n' });
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.equal(found[0][0], 'included-file-error');
    assert.match(String(found[0][2]), /^in included file .*inner\.h:1: 'linux\/types\.h' file not found; a parse error after it \(unknown type names: __u32\)/);
  });

  it("shows an included file's first error at its #include, saying how many more there are (as clangd does)", () => {
    const inner = 'struct a { u32 x; };\nstruct b { u64 y; };\n#error "not for userspace"\n';
    const found = problems('#include "inner.h"\n#include "other.h"\nstruct ok { int v; };\n', { '/test/inner.h': inner, '/test/other.h': 'struct c { s8 z; };\n' });
    assert.deepEqual(found.map(([code, line]) => [code, line]), [['included-file-error', 1], ['included-file-error', 2]]);
    // The preprocessor's errors come before the parser's.
    assert.match(found[0][2], /^in included file .*inner\.h:3: #error "not for userspace" \(and 2 more errors in what this #include reads\)$/);
    assert.match(found[1][2], /^in included file .*other\.h:1: unknown type name 's8'$/, 'one error: no count');
  });

  it("puts an error deep in the include graph on the first of the root's #includes that reads its file", () => {
    const files = {
      '/test/a.h': '#include "mid.h"\n',
      '/test/mid.h': '#include "deep.h"\n',
      '/test/deep.h': '#ifndef DEEP\n#define DEEP\nstruct d { s16 z; };\n#endif\n',
      '/test/b.h': '#include "deep.h"\n#include "late.h"\n',
      '/test/late.h': 'struct l { s32 w; };\n',
    };
    const found = problems('struct ok { int v; };\n#include "b.h"\n#include "a.h"\n', files);
    assert.deepEqual(
      found.map(([code, line, message]) => [code, line, message.replace(/^in included file .*\/(\w+\.h)/, '$1')]),
      [['included-file-error', 2, "deep.h:3: unknown type name 's16' (and 1 more error in what this #include reads)"]],
      "deep.h is b.h's (read first there), late.h too; a.h's second reach of deep.h reads nothing",
    );
  });

  it('reports the first 20 parse errors of a file that is no C, the 20th saying how many more there are', () => {
    // tools/testing/selftests/bpf/verifier/*.c: initialisers that test_verifier.c includes inside an array.
    const fragment = Array.from({ length: 30 }, (_, i) => `{\n\t"test ${i}",\n\t.insns = { 0 },\n},\n`).join('');
    const found = problems(fragment);
    assert.equal(found.length, 20);
    assert.ok(found.every(([code]) => code === 'parse-error'));
    assert.match(found[19][2], /; \d+ more parse errors after it not reported \(a limit of 20, as clang's\)$/);
    assert.ok(found.slice(0, 19).every(([, , message]) => !message.includes('not reported')));
    const near = problems(Array.from({ length: 3 }, () => '{ 1 },\n').join(''));
    assert.ok(near.length > 0 && near.length < 20 && near.every(([, , message]) => !message.includes('not reported')), 'under the limit, as before');
  });

  it('says once which targets a record has no layout on, when they fail the same way', () => {
    assert.deepEqual(problems('struct sockaddr;\nstruct pn { struct sockaddr a; int b; };\n'), [
      ['layout-error', 2, 'struct pn has no layout on x86_64 and i386: struct sockaddr is incomplete (declared, never defined)'],
    ]);
  });
});
