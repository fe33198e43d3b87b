// The preprocessor: macros (#, ##, variadic), #if arithmetic, include search, guards, limits, and written positions.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SourceCache } from '../../../core/c/source-cache';
import { forgetHideSets, hideSetAdd, hideSetHas, hideSetHolds, hideSetIntersect, hideSetOf, hideSetUnion, type HideSet } from '../../../core/c/token';
import { translate, type FrontEndOptions } from '../../../core/front-end';
import type { FileHost } from '../../../core/source';
import type { TargetName } from '../../../core/protocol';
import { expand, memoryHost, unitOf } from '../../helpers/memory-host';

/** The token texts `path` preprocesses to on x86_64 with `options` (the cache's memos carry over between calls). */
function ppText(cache: SourceCache, path: string, options: FrontEndOptions): string {
  return translate(cache, cache.get(path)!, 'x86_64', options).pp.tokens.map((t) => t.text).join(' ');
}

/** Every include memo entry recorded for the file at `path`. */
const memosOf = (cache: SourceCache, path: string) => [...cache.memos.entries].filter(([key]) => key.split('\0')[0] === path).flatMap(([, entries]) => entries);

describe('macro expansion', () => {
  it('expands object-like and function-like macros, and rescans the result', () => {
    assert.equal(expand('#define TWO 2\n#define ADD(a, b) ((a) + (b))\nint x = ADD(TWO, 3);'), 'int x = ( ( 2 ) + ( 3 ) ) ;');
    assert.equal(expand('#define f(x) g(x)\n#define g(x) [x]\nf(f(1))'), '[ [ 1 ] ]');
  });

  it('does not expand a macro inside its own expansion', () => {
    assert.equal(expand('#define foo foo + 1\nfoo'), 'foo + 1');
    assert.equal(expand('#define a b\n#define b a\na b'), 'a b');
  });

  it('stringizes with # and pastes with ##', () => {
    assert.equal(expand('#define S(x) #x\nS(a  "b\\n" c)'), '"a \\"b\\\\n\\" c"');
    assert.equal(expand('#define CAT(a, b) a ## b\n#define SIZE_VER(n) CLONE_ARGS_SIZE_VER ## n\nCAT(x, 1) SIZE_VER(2)'), 'x1 CLONE_ARGS_SIZE_VER2');
    assert.equal(expand('#define CAT(a, b) a ## b\nCAT(, y) CAT(x, )'), 'y x');
  });

  it('gives a pasted token the kind lexing its text gives (words take a short path, the rest is lexed again)', () => {
    const unit = unitOf("#define CAT(a, b) a ## b\n#define x1 expanded\nCAT(x, 1) CAT(y, _2) CAT(1, ULL) CAT(0x, 1f) CAT(1, .5) CAT(L, 'a') CAT(u8, \"s\") CAT(a, 1.5)");
    const tokens = unit.pp.tokens.filter((t) => t.text !== '');
    assert.deepEqual(
      tokens.map((t) => `${t.text}:${t.kind}`),
      // TokenKind: 0 identifier, 1 number, 2 string, 3 char. `a ## 1.5` is two tokens: not a valid paste.
      ['expanded:0', 'y_2:0', '1ULL:1', '0x1f:1', '1.5:1', "L'a':3", 'u8"s":2', 'a:0', '1.5:1'],
    );
    const pastes = unit.diagnostics.filter((d) => d.code === 'bad-paste').map((d) => d.message);
    assert.deepEqual(pastes, ['pasting "a" and "1.5" does not give a valid preprocessing token']);
  });

  it('passes variable arguments, including the GNU comma rule', () => {
    assert.equal(expand('#define P(fmt, ...) f(fmt, ## __VA_ARGS__)\nP(a) P(a, b, c)'), 'f ( a ) f ( a , b , c )');
    assert.equal(expand('#define V(args...) g(args)\nV(1, 2)'), 'g ( 1 , 2 )');
  });

  it('does not expand a function-like macro name without arguments', () => {
    assert.equal(expand('#define f(x) x\nint f; f(1)'), 'int f ; 1');
  });

  it('reports a wrong number of arguments and an unterminated argument list', () => {
    const unit = unitOf('#define F(a, b) a\nF(1)\nF(1,');
    const messages = unit.diagnostics.map((d) => d.message);
    assert.ok(messages.includes("macro 'F' takes 2 arguments, given 1"), messages.join('; '));
    assert.ok(messages.includes("unterminated argument list invoking macro 'F'"), messages.join('; '));
  });

  it('stops macro calls nested deeper than 256 levels in arguments with a diagnostic, and goes on after them', () => {
    const unit = unitOf(`#define P(x) (x)\nint a[${'P('.repeat(3000)}1${')'.repeat(3000)}];\nint after;`);
    const limit = unit.diagnostics.filter((d) => d.code === 'macro-expansion-limit');
    assert.equal(limit.length, 1, unit.diagnostics.map((d) => d.message).join('; '));
    assert.match(limit[0].message, /macro arguments nested deeper than 256 levels/);
    assert.deepEqual(unit.pp.tokens.map((t) => t.text).slice(-4), ['int', 'after', ';', '']);
  });

  it('expands a chain of function-like macros each calling the next, and hides each name from what follows it', () => {
    const lines = ['#define F0(x) x + F3000(0)'];
    for (let i = 1; i <= 3000; i++) lines.push(`#define F${i}(x) F${i - 1}(x)`);
    const unit = unitOf(`${lines.join('\n')}\nint a = F3000(7);`);
    assert.deepEqual(unit.diagnostics, []);
    assert.deepEqual(unit.pp.tokens.map((t) => t.text).slice(-11), ['int', 'a', '=', '7', '+', 'F3000', '(', '0', ')', ';', '']);
    assert.equal(unit.pp.tokens.at(-7)!.hideset!.size, 3001, 'F3000 to F0, and the name of the last call');
  });

  it('unites and intersects hide sets as sets, and answers from the shared tail when one set ends with the other', () => {
    const ab = hideSetAdd(hideSetOf('a'), 'b');
    const abc = hideSetAdd(ab, 'c');
    const names = (s: ReturnType<typeof hideSetOf> | null) => {
      const out: string[] = [];
      for (let n = s; n; n = n.next) out.push(n.name);
      return out.sort();
    };
    assert.equal(hideSetUnion(ab, abc), abc);
    assert.equal(hideSetUnion(abc, ab), abc);
    assert.equal(hideSetIntersect(ab, abc), ab);
    assert.equal(hideSetIntersect(abc, ab), ab);
    const xb = hideSetAdd(hideSetOf('x'), 'b');
    assert.deepEqual(names(hideSetUnion(xb, abc)), ['a', 'b', 'c', 'x']);
    assert.deepEqual(names(hideSetIntersect(xb, abc)), ['b']);
    let long = hideSetOf('n0');
    for (let i = 1; i < 40; i++) long = hideSetAdd(long, `n${i}`);
    assert.deepEqual(names(hideSetIntersect(xb, long)), []);
    assert.deepEqual(names(hideSetIntersect(hideSetAdd(hideSetOf('n7'), 'q'), long)), ['n7']);
    assert.equal(hideSetUnion(hideSetOf('n3'), long)!.size, 40);
    assert.ok(hideSetHas(hideSetUnion(xb, long), 'x'));
  });

  it('answers whether a long hide set holds a name through the nodes of the name, as the list itself would', () => {
    // Sets of up to 300 names built in different orders, sharing tails and not, against the names they were made of.
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const sets: { set: HideSet; names: Set<string> }[] = [];
    for (let k = 0; k < 60; k++) {
      const from = k > 0 && random(2) === 0 ? sets[random(sets.length)] : undefined;
      let set = from?.set ?? hideSetOf(`h${random(500)}`);
      const names = new Set(from?.names ?? [set.name]);
      for (let i = random(300); i > 0; i--) {
        const name = `h${random(500)}`;
        set = hideSetAdd(set, name);
        names.add(name);
      }
      assert.equal(set.size, names.size);
      sets.push({ set, names });
    }
    for (const { set, names } of sets) {
      for (let i = 0; i < 500; i++) assert.equal(hideSetHolds(set, `h${i}`), names.has(`h${i}`), `h${i} in a set of ${set.size}`);
    }
  });

  it('answers for sets made before and after the interning tables let their nodes go, and for lists mixing both', () => {
    let seed = 11;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const grow = (from: { set: HideSet; names: Set<string> }, count: number) => {
      let set = from.set;
      const names = new Set(from.names);
      for (let i = 0; i < count; i++) {
        const name = `g${random(400)}`;
        set = hideSetAdd(set, name);
        names.add(name);
      }
      return { set, names };
    };
    const before = Array.from({ length: 20 }, () => grow({ set: hideSetOf('g0'), names: new Set(['g0']) }, 20 + random(200)));
    forgetHideSets();
    // After: new sets, old sets grown further (old tails, new heads), unions and intersections of old and new.
    const after = Array.from({ length: 20 }, () => grow({ set: hideSetOf('g1'), names: new Set(['g1']) }, 20 + random(200)));
    const mixed = before.map((b) => grow(b, 30));
    const unions = before.map((b, i) => ({ set: hideSetUnion(b.set, after[i].set)!, names: new Set([...b.names, ...after[i].names]) }));
    const intersections = before.map((b, i) => ({ set: hideSetIntersect(after[i].set, b.set), names: new Set([...after[i].names].filter((n) => b.names.has(n))) }));
    for (const { set, names } of [...before, ...after, ...mixed, ...unions, ...intersections]) {
      assert.equal(set?.size ?? 0, names.size);
      for (let i = 0; i < 400; i++) assert.equal(hideSetHolds(set, `g${i}`), names.has(`g${i}`), `g${i} in a set of ${set?.size}`);
    }
    // The same list built again after the tables let go is an equal set (not the same object).
    assert.equal(hideSetAdd(hideSetOf('g0'), 'g1').size, 2);
  });

  it('expands a chain of 20,000 object-like macros each using the one before (each set asked for a name it lacks)', () => {
    const lines = ['#define D0 1'];
    for (let i = 1; i < 20_000; i++) lines.push(`#define D${i} (D${i - 1} + 1)`);
    const unit = unitOf(`${lines.join('\n')}\nint a = D19999;`);
    const texts = unit.pp.tokens.map((t) => t.text);
    assert.equal(texts.length, 3 + 19_999 + 1 + 3 * 19_999 + 2, 'int a = ( x 19,999, 1, + 1 ) x 19,999, ;, end');
    assert.equal(texts[3 + 19_999], '1');
    assert.deepEqual(texts.slice(-5), ['+', '1', ')', ';', '']);
    assert.ok(unit.pp.tokens.slice(3, 3 + 19_999).every((t) => t.text === '('));
  });

  it('pastes onto a macro argument of 240,000 tokens (appending it as call arguments overflowed the stack)', () => {
    const unit = unitOf(`#define F(a) x ## a\nint w = F(${'z '.repeat(240_000)});\nint after;`);
    assert.deepEqual(unit.diagnostics, []);
    const texts = unit.pp.tokens.map((t) => t.text);
    assert.equal(texts.length, 3 + 240_000 + 5);
    assert.deepEqual(texts.slice(0, 4), ['int', 'w', '=', 'xz']);
    assert.deepEqual(texts.slice(-5), [';', 'int', 'after', ';', '']);
  });

  it('stops an exponential expansion with a diagnostic', () => {
    const lines = ['#define A0 x'];
    for (let i = 1; i <= 60; i++) lines.push(`#define A${i} A${i - 1} A${i - 1}`);
    const unit = unitOf(lines.join('\n') + '\nA60\nint after;', 'x86_64', {}, { limits: { expansionTokens: 10_000 } });
    assert.match(unit.diagnostics[0].message, /expansion of macro 'A60' exceeds 10000 tokens/);
    const texts = unit.pp.tokens.map((t) => t.text);
    assert.deepEqual(texts.slice(-4), ['int', 'after', ';', '']);
    assert.ok(texts.length < 10_010);
  });

  it('shares hide-set lists between the tokens of expansions (one node per distinct list, not per token)', () => {
    // 1,000 calls of a nested macro: each token's hide set is one of a few lists, which all calls share.
    const text = '#define LEAF(x) (x + 1)\n#define PAIR(a, b) LEAF(a), LEAF(b)\n#define ROW(n) { PAIR(n, n), PAIR(n, 0) }\n' + 'ROW(7)\n'.repeat(1000);
    const tokens = unitOf(text).pp.tokens;
    const nodes = new Set<unknown>();
    for (const t of tokens) for (let h = t.hideset; h; h = h.next) nodes.add(h);
    assert.equal(tokens.filter((t) => t.text === '+').length, 4000);
    assert.ok(nodes.size < 20, `${nodes.size} hide-set nodes for ${tokens.length} tokens`);
  });

  it('maps expanded tokens back to the macro name written in the file', () => {
    const text = '#define DECLARE(n) struct n { int v; }\nDECLARE(point);';
    const unit = unitOf(text);
    const structToken = unit.pp.tokens.find((t) => t.text === 'struct')!;
    assert.equal(structToken.written.text, 'DECLARE');
    assert.equal(text.slice(structToken.written.start, structToken.written.end), 'DECLARE');
    const tag = unit.pp.tokens.find((t) => t.text === 'point')!;
    assert.equal(text.slice(tag.written.start, tag.written.end), 'point', 'argument tokens keep their own position');
  });
});

describe('conditional inclusion', () => {
  it('reports #if expressions nested deeper than 256 levels (brackets, signs, ?:) and takes neither branch', () => {
    const cases = [`${'('.repeat(5000)}1${')'.repeat(5000)}`, `${'- '.repeat(5000)}1`, `${'1 ? '.repeat(5000)}1${' : 0'.repeat(5000)}`];
    for (const expr of cases) {
      const unit = unitOf(`#if ${expr}\nint in;\n#endif\nint after;`);
      assert.ok(unit.diagnostics.some((d) => /#if expression nested deeper than 256 levels/.test(d.message)), unit.diagnostics.map((d) => d.message).join('; '));
      assert.deepEqual(unit.pp.tokens.map((t) => t.text), ['int', 'after', ';', ''], expr.slice(0, 10));
    }
  });

  it('evaluates #if with defined, arithmetic, unsigned comparisons and short-circuit', () => {
    const text = [
      '#define V 3',
      '#if defined(V) && V * 2 == 6 && !defined UNDEF',
      'a',
      '#endif',
      '#if -1 > 0u',
      'b',
      '#endif',
      '#if 0 && (1 / 0)',
      'no',
      '#elif (1 ? 2 : 3) == 2 && 0x10 >> 4 == 1 && \'A\' == 65',
      'c',
      '#else',
      'no',
      '#endif',
      '#ifdef V',
      '# ifndef V',
      'no',
      '# else',
      'd',
      '# endif',
      '#endif',
    ].join('\n');
    assert.equal(expand(text), 'a b c d');
  });

  it('treats unknown identifiers as 0 and reports malformed expressions', () => {
    assert.equal(expand('#if UNKNOWN_MACRO\nno\n#else\nyes\n#endif'), 'yes');
    const unit = unitOf('#if 1 +\nno\n#endif\n#if 1 / 0\nno\n#endif\nok');
    assert.deepEqual(unit.pp.diagnostics.map((d) => d.code), ['bad-if-expression', 'bad-if-expression']);
    assert.equal(unit.pp.tokens[0].text, 'ok');
  });

  it('reports #else without #if and an #if left open', () => {
    const unit = unitOf('#else\n#if 1\nint x;');
    const messages = unit.diagnostics.map((d) => d.message);
    assert.ok(messages.includes('#else without #if'));
    assert.ok(messages.some((m) => /unterminated #if/.test(m)));
  });
});

describe('stray characters', () => {
  const strays = (text: string, files: Record<string, string> = {}) =>
    unitOf(text, 'x86_64', files)
      .diagnostics.filter((d) => d.code === 'stray-character')
      .map((d) => `${d.span.file.path}:${d.span.file.positionAt(d.span.start).line + 1} ${d.message}`);

  it('are said where they reach the program, not in a skipped group or a #define body never expanded (gcc says nothing there)', () => {
    // The kernel's headers carry assembler macros for their __ASSEMBLY__ side (arch/x86/include/asm/alternative.h).
    const asm = '#ifndef __ASSEMBLY__\nstruct a { int x; };\n#else\n.macro ANNOTATE\n.Lannotate_\\@:\n.endm\n#endif\n';
    assert.deepEqual(strays(asm), []);
    assert.deepEqual(strays('#if 0\n@ \uFFFD\n#endif\n#define AT @\nint x;\n'), []);
    assert.deepEqual(strays('#define AT @\nint x AT;\n'), ["/test/main.h:2 stray '@' in program"], 'said at the macro written in the file');
    assert.deepEqual(strays('#define __ASSEMBLY__\n' + asm), ["/test/main.h:6 stray '\\' in program", "/test/main.h:6 stray '@' in program"]);
  });

  it('are said a few times per file, the same with include memos as without', () => {
    const files = { '/test/bad.h': 'int a; @ @ @ @\n' };
    const text = '#include "bad.h"\n#include "bad.h"\n@\n';
    const expected = [...Array(3).fill("/test/bad.h:1 stray '@' in program"), "/test/main.h:3 stray '@' in program"];
    assert.deepEqual(strays(text, files), expected);
    // Twice in one cache: the second unit replays bad.h's memo entries, recorded in the first.
    const cache = new SourceCache(memoryHost({ '/test/main.h': text, ...files }));
    for (let i = 0; i < 2; i++) {
      const unit = translate(cache, cache.get('/test/main.h')!, 'x86_64', { nostdinc: true });
      assert.deepEqual(unit.diagnostics.filter((d) => d.code === 'stray-character').map((d) => `${d.span.file.path}:${d.span.file.positionAt(d.span.start).line + 1} ${d.message}`), expected);
    }
  });
});

describe('includes', () => {
  it('searches the including file\'s folder for "" and the -I folders for <>', () => {
    const files = { '/test/local.h': 'int local;', '/inc/sys.h': 'int sys;', '/inc/local.h': 'int wrong;' };
    assert.equal(expand('#include "local.h"\n#include <sys.h>', files, { includePaths: ['/inc'] }), 'int local ; int sys ;');
  });

  it('continues the search with #include_next and accepts a computed include', () => {
    const files = { '/a/x.h': '#include_next <x.h>\nint first;', '/b/x.h': 'int second;' };
    assert.equal(expand('#define HDR <x.h>\n#include HDR', files, { includePaths: ['/a', '/b'] }), 'int second ; int first ;');
  });

  it('skips a guarded or #pragma once header the second time', () => {
    const files = { '/test/g.h': '#ifndef G_H\n#define G_H\nint g;\n#endif\n', '/test/o.h': '#pragma once\nint o;' };
    assert.equal(expand('#include "g.h"\n#include "g.h"\n#include "o.h"\n#include "o.h"', files), 'int g ; int o ;');
  });

  it('answers __has_include and reports a missing header', () => {
    const unit = unitOf('#if __has_include("there.h") && !__has_include(<missing.h>)\nyes\n#endif\n#include <missing.h>', 'x86_64', { '/test/there.h': '' });
    assert.equal(unit.pp.tokens[0].text, 'yes');
    assert.equal(unit.diagnostics[0].message, "'missing.h' file not found");
  });

  it('stops an unguarded include cycle at the depth limit', () => {
    const files = { '/test/a.h': '#include "b.h"\nint a;', '/test/b.h': '#include "a.h"\nint b;' };
    const unit = unitOf('#include "a.h"', 'x86_64', files);
    assert.equal(unit.diagnostics.filter((d) => d.code === 'include-depth').length, 1);
    assert.match(unit.diagnostics.find((d) => d.code === 'include-depth')!.message, /nested 200 levels deep/);
  });

  it('expands a file that includes itself twice as gcc would, twice per level, replaying nothing recorded at another depth', () => {
    // Level f (f files open) holds its own token and the two copies of level f + 1: 2^6 - 1 tokens under a depth
    // limit of 6. An include memo recorded one level down used to be replayed here, and gave 2 tokens a level.
    const files = { '/test/self.h': '#include "self.h"\nunix\n#include "self.h"\n' };
    for (const target of ['x86_64', 'i386'] as const) {
      const unit = unitOf('#include "self.h"', target, files, { limits: { includeDepth: 7 } });
      assert.equal(unit.pp.tokens.filter((t) => t.text === '1').length, 63, target);
    }
  });

  it('stops an include bomb at 20,000 #includes with a diagnostic, on every target alike (fuzzing found 60 s and 4 GB)', () => {
    const files = { '/test/bomb.h': '#include "bomb.h"\nlinux\n#include "bomb.h"\nstruct s { int a; };\n' };
    for (const target of ['x86_64', 'i386'] as const) {
      const unit = unitOf('#include "bomb.h"\nstruct after { int b; };', target, files);
      const limit = unit.diagnostics.filter((d) => d.code === 'include-limit');
      assert.equal(limit.length, 1, target);
      assert.equal(limit[0].message, 'translation unit carries out more than 20000 #includes (an include bomb?); the rest is not analysed');
      assert.equal(unit.pp.includes.length, 20_001, target);
      assert.ok(unit.pp.tokens.length < 200_000, `${target}: ${unit.pp.tokens.length} tokens`);
    }
  });

  it('enters, never replays, a header included while _Pragma reads ahead, as without a memo (found by fuzzing)', () => {
    const files = { '/test/h.h': 'int h;\n' };
    const lookahead = '_Pragma(\n#include "h.h"\n)\nint after;';
    const alone = expand(lookahead, files);
    assert.equal(expand(`#include "h.h"\n${lookahead}`, files), `int h ; ${alone}`);
    assert.equal(alone, '; ) int after ;', "the lookahead takes the header's first tokens, `int h`: no string, an error");
  });

  it('stops a macro bomb met while _Pragma reads ahead (`#include BOMB`) and goes on after it', () => {
    const lines = ['#define A0 x'];
    for (let i = 1; i <= 20; i++) lines.push(`#define A${i} A${i - 1} A${i - 1}`);
    const unit = unitOf(`${lines.join('\n')}\n_Pragma(\n#include A20\n)\nint after;`, 'x86_64', {}, { limits: { expansionTokens: 1000 } });
    assert.ok(unit.diagnostics.some((d) => d.code === 'macro-expansion-limit'), unit.diagnostics.map((d) => d.message).join('; '));
    assert.deepEqual(unit.pp.tokens.map((t) => t.text).slice(-4), ['int', 'after', ';', '']);
  });

  it('gives the same tokens when a header is replayed from the include memo', () => {
    const files = {
      '/inc/t.h': '#ifndef T_H\n#define T_H\n#ifdef WIDE\ntypedef long word;\n#else\ntypedef int word;\n#endif\n#define W(x) (x + 1)\n#endif\n',
    };
    const cache = new SourceCache(memoryHost({ ...files, '/m1.h': '#include <t.h>\nword a = W(1);', '/m2.h': '#define WIDE\n#include <t.h>\nword b = W(2);', '/m3.h': '#include <t.h>\nword c = W(3);' }));
    const texts = (path: string) => ppText(cache, path, { nostdinc: true, includePaths: ['/inc'] });
    assert.equal(texts('/m1.h'), 'typedef int word ; word a = ( 1 + 1 ) ; ');
    assert.equal(texts('/m2.h'), 'typedef long word ; word b = ( 2 + 1 ) ; ', 'a different macro state must not reuse the first result');
    assert.equal(texts('/m3.h'), 'typedef int word ; word c = ( 3 + 1 ) ; ');
    assert.ok(memosOf(cache, '/inc/t.h').length >= 2);
  });

  it('replays nested headers only where every macro they looked at, before changing it, is the same', () => {
    const files = {
      '/inc/b.h': '#ifdef WIDE\ntypedef long b_t;\n#else\ntypedef int b_t;\n#endif\n',
      '/inc/a.h': '#include <b.h>\n#define WIDE\n#include <b.h>\nint a = WIDE 1;\n',
      '/t1.h': '#include <a.h>\n',
      '/t2.h': '#define WIDE 2 +\n#include <a.h>\n',
      '/t3.h': '#include <a.h>\n#include <b.h>\n',
    };
    const cache = new SourceCache(memoryHost(files));
    const texts = (path: string) => ppText(cache, path, { nostdinc: true, includePaths: ['/inc'] });
    const fresh = (path: string) => {
      const own = new SourceCache(memoryHost(files));
      return ppText(own, path, { nostdinc: true, includePaths: ['/inc'] });
    };
    assert.equal(texts('/t1.h'), 'typedef int b_t ; typedef long b_t ; int a = 1 ; ');
    assert.equal(texts('/t2.h'), 'typedef long b_t ; typedef long b_t ; int a = 1 ; ', 'a.h depends on WIDE (looked up by b.h before a.h defined it)');
    assert.equal(texts('/t1.h'), 'typedef int b_t ; typedef long b_t ; int a = 1 ; ');
    assert.equal(texts('/t3.h'), 'typedef int b_t ; typedef long b_t ; int a = 1 ; typedef long b_t ; ', 'after a.h, WIDE is defined');
    for (const path of ['/t1.h', '/t2.h', '/t3.h']) assert.equal(texts(path), fresh(path), path);
    assert.equal(memosOf(cache, '/inc/a.h').length, 2);
  });

  it('replays a root file that an earlier unit included, as if it had been preprocessed', () => {
    const files = {
      '/inc/types.h': '#ifndef TYPES_H\n#define TYPES_H\ntypedef unsigned int u32;\n#endif\n',
      '/inc/b.h':
        '#ifndef B_H\n#define B_H\n#include <types.h>\n#define B_SIZE_VER0 8\n#define V 1\n#undef V\n#define V 2\n' +
        'struct b { u32 x; u32 y[V]; };\n#warning b is old\n#endif\n',
      '/a.h': '#include <b.h>\nstruct a { struct b b; };\n',
      '/self.h': '#ifndef SELF\n#define SELF\n#define ONE 1\n#include "self.h"\nint s = ONE;\n#endif\n',
      '/user.h': '#include "self.h"\n',
    };
    const options = { nostdinc: true, includePaths: ['/inc'] };
    const cache = new SourceCache(memoryHost(files));
    const a = translate(cache, cache.get('/a.h')!, 'x86_64', options);
    const replayed = translate(cache, cache.get('/inc/b.h')!, 'x86_64', options);
    const fresh = (path: string) => {
      const own = new SourceCache(memoryHost(files));
      return translate(own, own.get(path)!, 'x86_64', options);
    };
    const b = fresh('/inc/b.h');
    const two = (u: typeof b) => u.pp.tokens.find((t) => t.text === '2' && t.origin)!;
    assert.equal(two(replayed), two(a), 'the token V expanded to is the one recorded in a.h\'s unit: b.h was replayed, not preprocessed');
    assert.notEqual(two(b), two(a));
    const view = (u: typeof b) => ({
      tokens: u.pp.tokens.map((t) => `${t.text}@${t.written.file.path}:${t.written.start}`),
      definitions: u.pp.definitions.map((d) => `${d.name}@${d.start}`),
      diagnostics: u.pp.diagnostics.map((d) => `${d.code}:${d.message}@${d.span.file.path}:${d.span.start}`),
      includes: u.pp.includes.map((i) => `${i.name}->${i.path}`),
      sources: u.pp.sources.map((s) => s.file.path),
      records: u.decls.records.map((r) => r.tag),
      macros: ['B_H', 'B_SIZE_VER0', 'V', 'TYPES_H'].map((n) => u.pp.macros.get(n)?.start),
    });
    assert.deepEqual(view(replayed), view(b));
    assert.deepEqual(replayed.pp.definitions.map((d) => d.name), ['B_H', 'B_SIZE_VER0', 'V', 'V'], 'its own #defines, each as made');
    assert.ok(view(b).diagnostics.some((d) => d.includes('b is old')));
    translate(cache, cache.get('/user.h')!, 'x86_64', options);
    assert.deepEqual(view(translate(cache, cache.get('/self.h')!, 'x86_64', options)), view(fresh('/self.h')), 'a root that includes itself');
  });

  it('gives __BASE_FILE__ as the unit\'s root, however the header was reached', () => {
    const files = { '/inc/h.h': 'const char *base = __BASE_FILE__;\n', '/one.h': '#include <h.h>\n', '/two.h': '#include <h.h>\n' };
    const cache = new SourceCache(memoryHost(files));
    const options = { nostdinc: true, includePaths: ['/inc'] };
    assert.equal(ppText(cache, '/one.h', options), 'const char * base = "/one.h" ; ');
    assert.equal(ppText(cache, '/two.h', options), 'const char * base = "/two.h" ; ');
    assert.equal(ppText(cache, '/inc/h.h', options), 'const char * base = "/inc/h.h" ; ');
  });

  it('replays a header under another search list only where its own #includes find the same files', () => {
    const files = {
      '/inc/common.h': '#include <arch.h>\n#include "near.h"\nint common;\n',
      '/inc/near.h': 'int near;\n',
      '/a/arch.h': 'int arch_a;\n',
      '/b/arch.h': 'int arch_b;\n',
      '/t.h': '#include <common.h>\n',
    };
    const cache = new SourceCache(memoryHost(files));
    const texts = (dirs: string[]) => ppText(cache, '/t.h', { nostdinc: true, includePaths: dirs });
    assert.equal(texts(['/a', '/inc']), 'int arch_a ; int near ; int common ; ');
    assert.equal(texts(['/b', '/inc']), 'int arch_b ; int near ; int common ; ', 'common.h sits at the same place in both lists, arch.h does not');
    assert.equal(texts(['/inc', '/a']), 'int arch_a ; int near ; int common ; ', 'another list that finds the same files replays');
    assert.equal(memosOf(cache, '/inc/common.h').length, 2);
  });

  it('searches a directory named twice once, and a -I directory that is a system one at its system place, as gcc', () => {
    const files = { '/a/x.h': '#include_next <x.h>\nint a;\n', '/sys/x.h': 'int sys;\n', '/t.h': '#include <x.h>\n' };
    const texts = (options: FrontEndOptions) => {
      const cache = new SourceCache(memoryHost(files));
      return ppText(cache, '/t.h', options);
    };
    assert.equal(texts({ nostdinc: true, includePaths: ['/a', '/a/', '/sys'] }), 'int sys ; int a ; ', '#include_next from /a goes on to /sys, not to /a again');
    assert.equal(texts({ usrInclude: '/sys', includePaths: ['/sys', '/a'] }), 'int sys ; int a ; ', '-I /sys is searched where the system /sys is, after /a');
  });

  it('takes the generic asm/ for a target without asm headers of its own, not the host\'s asm/ in /usr/include', () => {
    // gcc-multilib links /usr/include/asm to x86's, whose stat.h differs from the generic one arm64 and riscv use.
    const files = {
      '/sys/asm/stat.h': 'int x86_stat;\n',
      '/sys/asm-generic/stat.h': 'int generic_stat;\n',
      '/sys/x86_64-linux-gnu/asm/stat.h': 'int x86_stat;\n',
      '/t.h': '#include <asm/stat.h>\n',
    };
    const text = (target: TargetName) => {
      const cache = new SourceCache(memoryHost(files));
      return translate(cache, cache.get('/t.h')!, target, { usrInclude: '/sys' }).pp.tokens.map((t) => t.text).join(' ');
    };
    assert.equal(text('aarch64'), 'int generic_stat ; ');
    assert.equal(text('riscv64'), 'int generic_stat ; ');
    assert.equal(text('x86_64'), 'int x86_stat ; ', 'x86_64 has its own');
  });

  it('replays a header that uses #include_next only where the search goes on to the same file', () => {
    const files = { '/a/x.h': '#include_next <x.h>\nint wrap;\n', '/b/x.h': 'int from_b;\n', '/c/x.h': 'int from_c;\n', '/t.h': '#include <x.h>\n' };
    const cache = new SourceCache(memoryHost(files));
    const texts = (dirs: string[]) => ppText(cache, '/t.h', { nostdinc: true, includePaths: dirs });
    assert.equal(texts(['/a', '/b']), 'int from_b ; int wrap ; ');
    assert.equal(texts(['/a', '/c']), 'int from_c ; int wrap ; ');
    assert.equal(texts(['/a', '/b', '/c']), 'int from_b ; int wrap ; ');
    assert.equal(texts(['/c', '/a', '/b']), 'int from_c ; ', 'x.h is found in /c first');
  });

  it('finds a header created later (the server is told) where nothing or a later directory was found before', () => {
    const files: Record<string, string> = {
      '/a/keep.h': '',
      '/b/x.h': 'int from_b;\n',
      '/inc/h.h': '#include <x.h>\nint h;\n',
      '/t.h': '#include <h.h>\n#include <y.h>\n',
    };
    const cache = new SourceCache(memoryHost(files));
    const unit = () => translate(cache, cache.get('/t.h')!, 'x86_64', { nostdinc: true, includePaths: ['/a', '/b', '/inc'] });
    const before = unit();
    assert.equal(before.pp.tokens.map((t) => t.text).join(' '), 'int from_b ; int h ; ');
    assert.ok(before.diagnostics.some((d) => d.code === 'include-not-found'));
    files['/a/x.h'] = 'int from_a;\n';
    files['/a/y.h'] = 'int y;\n';
    cache.invalidate('/a/x.h');
    cache.invalidate('/a/y.h');
    const after = unit();
    assert.equal(after.pp.tokens.map((t) => t.text).join(' '), 'int from_a ; int h ; int y ; ');
    assert.ok(!after.diagnostics.some((d) => d.code === 'include-not-found'));
  });

  /** In-memory files where /link/... is a symbolic link to /real/... */
  function linkedHost(files: Record<string, string>): FileHost {
    const host = memoryHost(files);
    return {
      readFile: (path) => host.readFile(path.replace(/^\/link\//, '/real/')),
      isDirectory: (path) => host.isDirectory?.(path.replace(/^\/link(\/|$)/, '/real$1')) ?? false,
      realPath: (path) => path.replace(/^\/link\//, '/real/'),
    };
  }

  it('knows a file reached by two paths (a symbolic link) as one: lexed once, #pragma once holds for both', () => {
    const files: Record<string, string> = {
      '/real/asm/once.h': '#pragma once\nint once_body;\n',
      '/t.h': '#include <asm/once.h>\n#include <link/asm/once.h>\n#include "real/asm/once.h"\n',
    };
    const cache = new SourceCache(linkedHost(files));
    const unit = translate(cache, cache.get('/t.h')!, 'x86_64', { nostdinc: true, includePaths: ['/real', '/'] });
    assert.equal(unit.pp.tokens.filter((t) => t.text === 'once_body').length, 1);
    assert.equal(cache.get('/link/asm/once.h'), cache.get('/real/asm/once.h'));
  });

  it('lets a buffer opened by a symbolic link stand for the file it names, as includes reach it by its own path', () => {
    const files: Record<string, string> = { '/real/sys/h.h': 'int disk;\n', '/t.h': '#include <sys/h.h>\n' };
    const cache = new SourceCache(linkedHost(files));
    const text = () => translate(cache, cache.get('/t.h')!, 'x86_64', { nostdinc: true, includePaths: ['/real'] }).pp.tokens.map((t) => t.text).join(' ');
    assert.equal(text(), 'int disk ; ');
    cache.setText('/link/sys/h.h', 'int buffer;\n');
    assert.equal(text(), 'int buffer ; ', 'the include memo of the file on disk was replayed');
    cache.invalidate('/link/sys/h.h');
    assert.equal(text(), 'int disk ; ');
  });
});

describe('predefined and command-line macros', () => {
  it('defines the target macros like gcc', () => {
    const probe = 'a=__x86_64__ b=__i386__ c=__SIZEOF_LONG__ d=__CHAR_UNSIGNED__ e=__aarch64__';
    assert.equal(expand(probe), 'a = 1 b = __i386__ c = 8 d = __CHAR_UNSIGNED__ e = __aarch64__');
    assert.equal(unitOf(probe, 'i386').pp.tokens.map((t) => t.text).join(''), 'a=__x86_64__b=1c=4d=__CHAR_UNSIGNED__e=__aarch64__');
    assert.equal(unitOf(probe, 'aarch64').pp.tokens.map((t) => t.text).join(''), 'a=__x86_64__b=__i386__c=8d=1e=1');
  });

  it('applies -D and -U', () => {
    assert.equal(expand('X Y Z __x86_64__', {}, { defines: ['X', 'Y=2', 'Z=(a+b)'], undefines: ['__x86_64__'] }), '1 2 ( a + b ) __x86_64__');
  });
});
