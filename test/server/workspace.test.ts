// The server's view of files over a long session: its cache is trimmed past its budget, and open buffers survive that.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LayoutError } from '../../core/abi/layout';
import { Workspace } from '../../server/workspace';
import { memoryHost } from '../helpers/memory-host';

const DISK = {
  '/w/types.h': '#pragma once\ntypedef unsigned long long u64;\n',
  '/w/shared.h': '#include "types.h"\nstruct shared { char c; };\n',
  '/w/a.h': '#include "shared.h"\nstruct a { struct shared s; u64 x; };\n',
  '/w/b.h': '#include "shared.h"\nstruct b { struct shared s; };\n',
};

function sizeOf(ws: Workspace, doc: TextDocument, name: string): number {
  const layout = ws.analysis(doc)!.records.find((r) => r.name === name)!.layouts.get('x86_64');
  assert.ok(layout && !(layout instanceof LayoutError), `struct ${name} has no layout`);
  return layout.size;
}

describe('the workspace cache over a long session', () => {
  it('is trimmed past its budget, and the editor\'s buffers are still what the files read', () => {
    const ws = new Workspace(memoryHost(DISK), 1);
    ws.settings = { ...ws.settings, targets: ['x86_64'] };
    // shared.h open and edited (unsaved): its struct grows to 16 bytes.
    const shared = TextDocument.create('file:///w/shared.h', 'c', 2, '#include "types.h"\nstruct shared { char c; u64 pad; };\n');
    ws.changed(shared);
    const a = TextDocument.create('file:///w/a.h', 'c', 1, DISK['/w/a.h']);
    assert.equal(sizeOf(ws, a, 'a'), 24, 'a.h reads the buffer: 16 bytes of shared, then x');
    assert.equal(ws.cache.memoTokens(), 0, 'the budget of 1 token trims after each analysis');
    const b = TextDocument.create('file:///w/b.h', 'c', 1, DISK['/w/b.h']);
    assert.equal(sizeOf(ws, b, 'b'), 16, 'after the trim, b.h still reads the buffer, not the disk\'s 1-byte struct');
    // With the default budget nothing is trimmed for so little.
    const roomy = new Workspace(memoryHost(DISK));
    roomy.settings = { ...roomy.settings, targets: ['x86_64'] };
    assert.equal(sizeOf(roomy, b, 'b'), 1);
    assert.ok(roomy.cache.memoTokens() > 0);
  });
});
