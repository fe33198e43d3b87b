// strict-size-check: a size larger than the struct refused outright, as the 2008 RFC's get_long_clone_arg() did.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lex } from '../../../core/c/lexer';
import { strictSizeFindings, writtenCodeFindings } from '../../../core/rules/strict-size';
import { SourceFile } from '../../../core/source';
import { random } from '../../helpers/seeded-random';

function findings(body: string) {
  const file = new SourceFile('/k/fork.c', `static long get(int __user *p)\n{\n\tint size;\n${body}\treturn 0;\n}\n`, 1);
  return strictSizeFindings(lex(file).tokens).map((f) => ({ at: file.text.slice(f.span.start, f.span.end), message: f.message, severity: f.severity }));
}

describe('strict-size-check', () => {
  it('finds the RFC\'s check, and its mirror image, with the errno it returns', () => {
    const rfc = findings('\tif (size > sizeof(struct long_clone_arg))\n\t\treturn ERR_PTR(-EINVAL);\n');
    assert.deepEqual(rfc.map((f) => [f.at, f.severity]), [['size > sizeof(struct long_clone_arg)', 'warning']]);
    assert.match(rfc[0].message, /refused outright \(EINVAL\).*copy_struct_from_user\(\)/);
    assert.deepEqual(findings('\tif (sizeof(struct frob_args) < usize) {\n\t\treturn -E2BIG;\n\t}\n').map((f) => f.at), ['sizeof(struct frob_args) < usize']);
  });

  it("says what a getter's check refuses: a newer, larger output buffer (sound/soc/mediatek's btcvsd timestamps)", () => {
    const getter = findings('\tstruct info out;\n\tif (size > sizeof(struct info))\n\t\treturn -EINVAL;\n\tfill(&out);\n\tif (copy_to_user(p, &out, sizeof(struct info)))\n\t\treturn -EFAULT;\n');
    assert.equal(getter.length, 1);
    assert.match(getter[0].message, /^'size' larger than sizeof\(struct info\) is refused outright \(EINVAL\): newer userspace, whose buffer for a newer, larger struct is larger, is refused by this kernel\. Copy min\(size, sizeof\(struct info\)\) out instead/);
    const both = findings('\tstruct info in;\n\tif (size > sizeof(struct info))\n\t\treturn -EINVAL;\n\tif (copy_from_user(&in, p, size))\n\t\treturn -EFAULT;\n\tif (copy_to_user(p, &in, size))\n\t\treturn -EFAULT;\n');
    assert.match(both[0].message, /with a zero tail is refused.*copy_struct_from_user\(\)/, 'copied in too: the setter message');
  });

  it('leaves alone what copy_struct_from_user() replaces nothing of: buffers, counts, sizes that do not fail the call', () => {
    assert.deepEqual(findings('\tif (count > sizeof(kbuf))\n\t\treturn -EINVAL;\n'), [], 'a local buffer');
    assert.deepEqual(findings('\tif (len > sizeof(struct hdr))\n\t\treturn -EINVAL;\n'), [], 'a length, not a user size');
    assert.deepEqual(findings('\tif (size > sizeof(struct args))\n\t\tsize = sizeof(struct args);\n'), [], 'clamped, not refused');
    assert.deepEqual(findings('\tif (size > sizeof(struct args)) {\n\t\tpr_warn("big");\n\t}\n'), [], 'no return');
    assert.deepEqual(findings('\tif (sizeof(a.b) < sizeof(c))\n\t\treturn -EOVERFLOW;\n'), [], 'two sizeofs (fs/stat.c)');
  });

  it("finds in a file read as written all that the rule finds in its tokens, whatever stands between them (files it cannot flag are not lexed)", () => {
    const next = random(23);
    const gaps = [' ', '', '\t', '\n\t', ' /* x */ ', '/**/', '\\\n', ' // c\n', '\r\n'];
    const forms = [
      ['if', '(', 'size', '>', 'sizeof', '(', 'struct', 'long_clone_arg', ')', ')', 'return', 'ERR_PTR', '(', '-', 'EINVAL', ')', ';'],
      ['if', '(', 'sizeof', '(', 'struct', 'frob_args', ')', '<', 'usize', ')', '{', 'return', '-', 'E2BIG', ';', '}'],
      ['if', '(', 'attr_size', '>', 'sizeof', '(', 'struct', 'x', ')', ')', 'return', '-', 'EINVAL', ';'],
    ];
    let flagged = 0;
    for (let i = 0; i < 300; i++) {
      const form = forms[i % forms.length];
      const body = form.map((t, k) => (k === 0 ? t : gaps[next(gaps.length)] + t)).join(next(2) ? '' : ' ');
      const text = `static long get(int __user *p)\n{\n\tint size, usize, attr_size;\n\t${body}\n\treturn 0;\n}\n`;
      const expected = strictSizeFindings(lex(new SourceFile('/k/fork.c', text, 1)).tokens).length;
      assert.equal(writtenCodeFindings('/k/fork.c', text).length, expected, `case ${i}: ${JSON.stringify(body)}`);
      if (expected > 0) flagged++;
    }
    assert.ok(flagged > 150, `${flagged} of 300 cases flagged: the gaps must mostly leave the tokens as they are`);
  });
});
