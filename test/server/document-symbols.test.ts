// The outline: each record with its members, nested only where a member's own declaration defines a record.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { documentSymbols } from '../../server/document-symbols';
import { analysisOf } from '../helpers/memory-host';

type Outline = [string, Outline[]];

function outline(text: string): Outline[] {
  const walk = (s: { name: string; children?: unknown[] }): Outline => [s.name, ((s.children ?? []) as { name: string }[]).map(walk)];
  return documentSymbols(analysisOf(text)).map(walk);
}

describe('document symbols', () => {
  it('nests the members of a record defined in a member declaration', () => {
    assert.deepEqual(outline('struct a { struct { int p; union { char q; } r; } s; int t; };'), [
      ['struct a', [['s', [['p', []], ['r', [['q', []]]]]], ['t', []]]],
    ]);
  });

  it('does not follow a record only named in a member declaration (it is listed where it is defined)', () => {
    assert.deepEqual(outline('struct a { int y; };\nstruct b { struct a x; };'), [
      ['struct a', [['y', []]]],
      ['struct b', [['x', []]]],
    ]);
  });

  it('ends on records that contain themselves, written out or defined by a macro', () => {
    assert.deepEqual(outline('struct a { struct a x; };'), [['struct a', [['x', []]]]]);
    assert.deepEqual(outline('struct a { struct { struct a z; } q; };'), [['struct a', [['q', [['z', []]]]]]]);
    assert.deepEqual(outline('#define M struct a { struct a x; }\nM;'), [['struct a', [['x', []]]]]);
    assert.deepEqual(outline('#define M struct a { struct { struct a y; } x; }\nM;'), [['struct a', [['x', [['y', []]]]]]]);
  });
});
