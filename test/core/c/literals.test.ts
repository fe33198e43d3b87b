// Literals as C reads them: the arrays string literals make (what `sizeof("...")` is), with gcc's values.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stringLiteralArray } from '../../../core/c/literals';

describe('string literals', () => {
  it('count escapes as one element each, and characters beyond ASCII as their UTF-8 bytes', () => {
    assert.deepEqual(stringLiteralArray(['"abc"']), { element: 'char', length: 4 });
    assert.deepEqual(stringLiteralArray(['"\u00e9\\x41\\101\\n\\\\\\""']), { element: 'char', length: 8 });
    assert.deepEqual(stringLiteralArray(['"\\u00e9\\xff\\0"']), { element: 'char', length: 5 });
    assert.deepEqual(stringLiteralArray(['"\\U0001F600"']), { element: 'char', length: 5 });
  });

  it('join adjacent pieces, and take the element type of a prefixed one', () => {
    assert.deepEqual(stringLiteralArray(['"a"', '"bc"', '""']), { element: 'char', length: 4 });
    assert.deepEqual(stringLiteralArray(['L"a"', '"bc"']), { element: 'wchar', length: 4 });
    assert.deepEqual(stringLiteralArray(['u"\\U0001F600x"']), { element: 'char16', length: 4 }, 'a surrogate pair');
    assert.deepEqual(stringLiteralArray(['U"ab"']), { element: 'char32', length: 3 });
    assert.deepEqual(stringLiteralArray(['u8"\u00e9"']), { element: 'char', length: 3 });
  });

  it('refuse a malformed literal and pieces with different prefixes', () => {
    assert.equal(stringLiteralArray(['"open']), undefined);
    assert.equal(stringLiteralArray(['L"a"', 'u"b"']), undefined);
  });
});
