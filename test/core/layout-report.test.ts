// The streamed `sysarg layout` report (JSON and text): the same text as the report built whole, in pieces as files are done.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SourceCache } from '../../core/c/source-cache';
import { checkReport } from '../../core/check-report';
import { layoutFile, layoutReport, writeLayoutReport } from '../../core/layout-report';
import { analyzeDocument } from '../../core/document-analysis';
import { formatLayoutText } from '../../core/layout-text';
import type { TargetName } from '../../core/protocol';
import { memoryHost } from '../helpers/memory-host';

const FILES: Record<string, string> = {
  '/p/a.h': '#include "types.h"\nstruct a { u32 x; u64 y; union { u32 i; char c; }; };\nunion u { char c; u64 v; };\n',
  '/p/b.h': '#include "types.h"\nstruct b { u32 flags : 3; struct a *next; };\n#error not ready\n',
  '/p/types.h': '#pragma once\ntypedef unsigned int u32;\ntypedef unsigned long long u64;\n',
  '/p/empty.h': '#define NOTHING 1\n',
  '/p/w\u2019.h': '/* a curly apostrophe: ’ */ struct w\u00e9 { int \u00e9; };\n',
};
const PATHS = ['/p/a.h', '/p/empty.h', '/p/b.h', '/p/missing.h', '/p/w\u2019.h'];
const TARGETS: TargetName[] = ['x86_64', 'i386'];

function streamed(chunkChars?: number): string[] {
  const pieces: string[] = [];
  writeLayoutReport(new SourceCache(memoryHost(FILES)), PATHS, TARGETS, {}, 'json', (text) => pieces.push(text), chunkChars);
  return pieces;
}

describe('writeLayoutReport', () => {
  const whole = JSON.stringify(layoutReport(new SourceCache(memoryHost(FILES)), PATHS, TARGETS, {})) + '\n';

  it('writes exactly the text of the whole report, records and errors in order', () => {
    const pieces = streamed();
    assert.equal(pieces.join(''), whole);
    const report = JSON.parse(pieces.join(''));
    assert.deepEqual(report.records.map((r: { name: string }) => r.name), ['a', 'u', 'b', 'w\u00e9']);
    assert.ok(report.errors.some((e: { message: string }) => e.message.includes('not ready')), 'the #error of b.h');
    assert.ok(report.errors.some((e: { file: string }) => e.file === '/p/missing.h'), 'the unreadable file');
  });

  it('hands the text on in pieces once a piece is long enough, without changing it', () => {
    const pieces = streamed(1);
    assert.ok(pieces.length >= 4, `one piece per file that had records, and the tail: got ${pieces.length}`);
    assert.equal(pieces.join(''), whole);
  });

  it('reads no further file once a write fails (the reader went away)', () => {
    const read: string[] = [];
    const host = memoryHost(FILES);
    const counting = { ...host, readFile: (path: string) => (read.push(path), host.readFile(path)) };
    const gone = new Error('reader gone');
    assert.throws(() => writeLayoutReport(new SourceCache(counting), PATHS, TARGETS, {}, 'json', () => { throw gone; }, 1), (e) => e === gone);
    assert.deepEqual(read.filter((p) => PATHS.includes(p)), ['/p/a.h'], 'the first file, whose records filled the first piece');
  });

  it('writes no nesting depths into the JSON', () => {
    assert.ok(!whole.includes('"depths"'));
  });

  it('writes the text view the same way: exactly formatLayoutText of the whole report with depths, in pieces', () => {
    const text = formatLayoutText(layoutReport(new SourceCache(memoryHost(FILES)), PATHS, TARGETS, {}, true));
    assert.match(text, /^struct a \{/);
    assert.match(text, /struct w\u00e9 \{[^\n]*\n\t +\/\* x86_64, i386 +\*\/\n/, 'one column, headed by both targets, where the layouts are the same');
    assert.match(text, /\n\tunion \{\n\t\tu32 i; +\/\* 16 4 +\| 12 4 +\*\/\n\t\tchar c; +\/\* 16 1 +\| 12 1 +\*\/\n\t\}; +\/\* 16 4 +\| 12 4 +\*\//);
    assert.match(text, /\/p\/missing.h:1:1: error: cannot read file\n/);
    for (const chunkChars of [undefined, 1]) {
      const pieces: string[] = [];
      writeLayoutReport(new SourceCache(memoryHost(FILES)), PATHS, TARGETS, {}, 'text', (t) => pieces.push(t), chunkChars);
      assert.equal(pieces.join(''), text);
      if (chunkChars === 1) assert.ok(pieces.length >= 4, `pieces: ${pieces.length}`);
    }
  });
});

describe('a file reached by two paths (a symbolic link)', () => {
  // /l is a link to /r, as /usr/include/sys/ holds links into the multiarch directory that i386 reaches them through.
  const files: Record<string, string> = {
    '/r/h.h': 'struct bad { char c[-1]; };\n#error boom\n',
    '/p/a.h': '#include "/l/h.h"\n',
    '/p/b.h': '#include "/r/h.h"\nstruct uses { int i; };\n',
  };
  const host = () => {
    const base = memoryHost(files);
    return { ...base, readFile: (path: string) => files[path.replace(/^\/l\//, '/r/')], realPath: (path: string) => path.replace(/^\/l\//, '/r/'), isDirectory: (path: string) => path === '/l' || (base.isDirectory?.(path) ?? false) };
  };
  const options = { nostdinc: true };

  it('finds problems in it and names it the same whatever the cache read before: by the path the link names', () => {
    const shared = new SourceCache(host());
    layoutFile(shared, '/p/a.h', TARGETS, options);
    const after = layoutFile(shared, '/p/b.h', TARGETS, options);
    const fresh = layoutFile(new SourceCache(host()), '/p/b.h', TARGETS, options);
    assert.deepEqual(after, fresh);
    const cached = analyzeDocument(shared, shared.get('/p/b.h')!, TARGETS, options).diagnostics.map((d) => d.message);
    assert.deepEqual(cached, ['in included file /r/h.h:2: #error boom'], 'found though the cache read the file through the link first');
    const viaLink = analyzeDocument(shared, shared.get('/p/a.h')!, TARGETS, options).diagnostics.map((d) => d.message);
    assert.deepEqual(viaLink, ['in included file /r/h.h:2: #error boom']);
    const relative = new SourceCache({ ...host(), readFile: (path: string) => (path === 'inc/x.h' ? 'int x;\n' : undefined), realPath: (path: string) => `/cwd/${path}` });
    assert.equal(relative.displayPath(relative.get('inc/x.h')!.file), 'inc/x.h', 'a relative path is shown as it is');
  });
});

describe('a batch over more than its cache can hold (layout and check)', () => {
  // 200 headers that include shared ones, which read a macro the includer sets (so each is remembered in 3 states).
  const files: Record<string, string> = { '/q/common.h': '#pragma once\ntypedef unsigned long ul;\n' };
  for (let k = 0; k < 10; k++) files[`/q/leaf${k}.h`] = `#include "common.h"\nstruct leaf${k} { ul u[LW + 1]; };\n`;
  for (let i = 0; i < 200; i++) {
    files[`/q/h${i}.h`] = `#define LW ${i % 3}\n#include "leaf${i % 10}.h"\n#include "leaf${(i + 3) % 10}.h"\nstruct s${i} { ul a; char b[LW + 1]; };\n`;
  }
  const paths = Object.keys(files).filter((p) => p.startsWith('/q/h'));

  it('gives the same report when its include results are forgotten every 64 files', () => {
    const whole = new SourceCache(memoryHost(files));
    const kept = layoutReport(whole, paths, TARGETS, {});
    const cache = new SourceCache(memoryHost(files));
    const trimmed = layoutReport(cache, paths, TARGETS, {}, false, 1);
    assert.deepEqual(trimmed, kept);
    assert.equal(kept.records.length, 200);
    assert.ok(cache.memoTokens() < whole.memoTokens() / 4, `trimmed: ${cache.memoTokens()} tokens held, kept: ${whole.memoTokens()}`);
  });

  it('sysarg check trims the same way, with the same report', () => {
    const files2 = paths.map((path) => ({ path }));
    const whole = new SourceCache(memoryHost(files));
    const kept = checkReport(whole, files2, TARGETS, {});
    const cache = new SourceCache(memoryHost(files));
    const trimmed = checkReport(cache, files2, TARGETS, {}, [], [], 1);
    assert.deepEqual(trimmed, kept);
    assert.equal(kept.summary.files, 200);
    assert.ok(cache.memoTokens() < whole.memoTokens() / 4, `trimmed: ${cache.memoTokens()} tokens held, kept: ${whole.memoTokens()}`);
  });

  it('forgets its include results when trimmed, and keeps the texts it was given', () => {
    const cache = new SourceCache(memoryHost(files));
    layoutReport(cache, paths.slice(0, 10), TARGETS, {});
    assert.ok(cache.memoTokens() > 0);
    const buffer = cache.setText('/q/open.h', 'struct open_buffer { int x; };\n');
    cache.trim();
    assert.equal(cache.memoTokens(), 0);
    assert.equal(cache.get('/q/open.h'), buffer, 'an editor buffer is no cache to forget');
  });
});
