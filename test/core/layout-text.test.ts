// The pahole-style text view writes each member as C declares it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { declarationText, formatRecordText } from '../../core/layout-text';
import type { LayoutRecordJson } from '../../core/protocol';

describe('declarationText', () => {
  it('puts the name where C puts it: before array dimensions, after a pointer star, inside (*)', () => {
    assert.equal(declarationText('__u64', 'flags'), '__u64 flags');
    assert.equal(declarationText('__u8[16]', 'name'), '__u8 name[16]');
    assert.equal(declarationText('char[128-sizeof(unsigned short)]', 'data'), 'char data[128-sizeof(unsigned short)]');
    assert.equal(declarationText('int[2][3]', 'grid'), 'int grid[2][3]');
    assert.equal(declarationText('__be32[]', 'flex'), '__be32 flex[]');
    assert.equal(declarationText('struct s *', 'next'), 'struct s *next');
    assert.equal(declarationText('struct ebt_entries *[6]', 'hook_entry'), 'struct ebt_entries *hook_entry[6]');
    assert.equal(declarationText('int (*)(...)', 'fn'), 'int (*fn)(...)');
    assert.equal(declarationText('char (*)[4]', 'rows'), 'char (*rows)[4]');
    assert.equal(declarationText('__u8[sizeof(int[2])]', 'b'), '__u8 b[sizeof(int[2])]');
  });
});

describe('formatRecordText', () => {
  it('writes array members and bit-fields as C declares them and sizes the column by those lines', () => {
    const record: LayoutRecordJson = {
      name: 's',
      kind: 'struct',
      file: 'x.h',
      line: 1,
      extensible: false,
      layouts: {
        x86_64: {
          size: 24,
          align: 8,
          tailPadding: 0,
          holes: [],
          fields: [
            { path: 'a_rather_long_member_name', type: 'unsigned char[16]', offset: 0, size: 16, align: 1 },
            { path: 'next', type: 'struct s *', offset: 16, size: 8, align: 8 },
            { path: 'mode', type: 'unsigned int', bitOffset: 192, bitWidth: 3 },
          ],
        },
      },
    };
    const lines = formatRecordText(record).split('\n');
    assert.match(lines[2], /^\tunsigned char a_rather_long_member_name\[16\]; \/\* 0 16 +\*\/$/);
    assert.match(lines[3], /^\tstruct s \*next; +\/\* 16 8 +\*\/$/);
    assert.match(lines[4], /^\tunsigned int mode:3; +\/\* 24:0 3b +\*\/$/);
    assert.equal(lines[2].indexOf('/*'), lines[3].indexOf('/*'), 'the offsets line up');
  });

  it('nests the members of anonymous and named inner records as pahole does, when the record gives its depths', () => {
    const field = (path: string | null, type: string, offset: number, size: number, anonymous = false) => ({ path, type, offset, size, align: 4, ...(anonymous ? { anonymous } : {}) });
    const fields = [
      field('a', 'int', 0, 4),
      field(null, 'union (anonymous)', 4, 4, true),
      field('b', 'int', 4, 4),
      field('c', 'float', 4, 4),
      field('in', 'struct in', 8, 4),
      field('in.x', 'int', 8, 4),
      field('empty', 'struct (anonymous)', 12, 0),
    ];
    const record: LayoutRecordJson = { name: 'n', kind: 'struct', file: 'n.h', line: 1, extensible: false, layouts: { x86_64: { size: 12, align: 4, tailPadding: 0, holes: [], fields } } };
    const nested = formatRecordText({ ...record, depths: [0, 0, 1, 1, 0, 1, 0] }).split('\n').slice(2, -4).map((l) => l.replace(/ +\/\*.*$/, ''));
    assert.deepEqual(nested, ['\tint a;', '\tunion {', '\t\tint b;', '\t\tfloat c;', '\t};', '\tstruct in {', '\t\tint x;', '\t} in;', '\tstruct {...} empty;']);
    const flat = formatRecordText(record).split('\n').slice(2, -4).map((l) => l.replace(/ +\/\*[^*]*\*\/$/, ''));
    assert.deepEqual(flat, ['\tint a;', '\tunion (anonymous) /* anonymous */', '\tint b;', '\tfloat c;', '\tstruct in {', '\t\tint x;', '\t} in;', '\tstruct {...} empty;'], 'without depths, what the paths show');
    assert.match(formatRecordText({ ...record, depths: [0, 0, 1, 1, 0, 1, 0] }), /members: 4 \*\//);
  });

  it('writes a hole once where every target has it, else naming the targets that do', () => {
    const fields = (longSize: number, longAlign: number) => [
      { path: 'c', type: 'char', offset: 0, size: 1, align: 1 },
      { path: 'i', type: 'int', offset: 4, size: 4, align: 4 },
      { path: 'l', type: 'long', offset: longAlign === 8 ? 16 : 8, size: longSize, align: longAlign },
    ];
    const record: LayoutRecordJson = {
      name: 'h',
      kind: 'struct',
      file: 'h.h',
      line: 1,
      extensible: false,
      layouts: {
        x86_64: { size: 24, align: 8, tailPadding: 0, holes: [{ offset: 1, size: 3, after: 'c' }, { offset: 8, size: 8, after: 'i' }], fields: fields(8, 8) },
        i386: { size: 12, align: 4, tailPadding: 0, holes: [{ offset: 1, size: 3, after: 'c' }], fields: fields(4, 4) },
      },
    };
    const text = formatRecordText(record);
    assert.match(text, /\tchar c; [^\n]*\n\t\/\* XXX 3 bytes hole \*\/\n\tint i;/);
    assert.match(text, /\tint i; [^\n]*\n\t\/\* XXX 8 bytes hole on x86_64 \*\/\n\tlong l;/);
  });
});
