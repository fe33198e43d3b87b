// The flag table against the real headers: 6.1's include/uapi/linux/sched.h (when the source tree is there) and /usr/include/linux/sched.h.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CLONE_FLAGS, cloneFlagByName } from '../../../core/sim/clone-flags';
import { CLONE_ARGS_MEMBERS, CLONE_ARGS_VERSIONS, resolveKernel } from '../../../core/sim/kernels';
import { kernelTreeWith } from '../../helpers/paths';

/** The 6.1 tree's header (test/helpers/paths.ts: where a tree may be unpacked). */
const KERNEL_TREE = kernelTreeWith('include/uapi/linux/sched.h');
const KERNEL_HEADER = KERNEL_TREE && `${KERNEL_TREE}/include/uapi/linux/sched.h`;
const SYSTEM_HEADER = '/usr/include/linux/sched.h';

/** `#define NAME VALUE` lines of a header (values as written: 0x… with an optional ULL suffix, or decimal). */
function defines(text: string): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const m of text.matchAll(/^#define\s+((?:CLONE|CSIGNAL)\w*)\s+(0x[0-9a-fA-F]+|\d+)(?:ULL|UL|U)?\b/gm)) out.set(m[1], BigInt(m[2]));
  return out;
}

function checkHeader(path: string): number {
  const found = defines(readFileSync(path, 'utf8'));
  let flags = 0;
  for (const [name, value] of found) {
    if (name.startsWith('CLONE_ARGS_SIZE_VER')) {
      assert.equal(CLONE_ARGS_VERSIONS.find((v) => v.name === name)?.value, Number(value), `${name} in ${path}`);
    } else if (name === 'CSIGNAL') {
      assert.equal(value, 0xffn);
    } else {
      assert.equal(cloneFlagByName(name)?.value, value, `${name} in ${path}`);
      flags++;
    }
  }
  return flags;
}

test('every CLONE_* value in 6.1 include/uapi/linux/sched.h matches the table', (t) => {
  if (KERNEL_HEADER === undefined) return t.skip('the 6.1 kernel source tree is not unpacked (SYSARG_KERNEL_SRC, /work/kernel-src, /usr/src)');
  assert.ok(checkHeader(KERNEL_HEADER) >= 26, 'the header defines the 26 flags of 6.1');
});

test('every CLONE_* value in /usr/include/linux/sched.h matches the table', () => {
  assert.ok(checkHeader(SYSTEM_HEADER) >= 20);
});

test('clone_args members sit where the 6.1 header says (every member an __aligned_u64, VER0/1/2 = 64/80/88)', () => {
  const ends = Object.fromEntries(CLONE_ARGS_MEMBERS.map((m) => [m.name, m.offset + m.size]));
  assert.equal(ends.tls, 64);
  assert.equal(ends.set_tid_size, 80);
  assert.equal(ends.cgroup, 88);
});

test('6.1 masks: clone3 accepts 0x3FFBFFF80 (after both clone3_args_valid checks), unshare 0x7E070F80', () => {
  const m = resolveKernel('6.1');
  assert.equal(m.clone3Accepted & ~m.clone3Refused, 0x3ffbfff80n);
  assert.equal(m.unshareAccepted, 0x7e070f80n);
  const old = resolveKernel('2.6.24');
  assert.equal(old.unshareAccepted, 0x5c070f00n);
  assert.equal(resolveKernel('2.6.24+longarg-rfc').unshareAccepted, 0xdc070f00n);
});

test('CLONE_STOPPED and CLONE_LONGARG exist only in their models; every name has one value per model', () => {
  assert.ok(resolveKernel('2.6.24').flagNames.has('CLONE_STOPPED'));
  assert.ok(!resolveKernel('6.1').flagNames.has('CLONE_STOPPED'));
  assert.ok(resolveKernel('2.6.24+longarg-rfc').flagNames.has('CLONE_LONGARG'));
  assert.ok(!resolveKernel('2.6.24').flagNames.has('CLONE_LONGARG'));
  assert.ok(!resolveKernel('6.1').flagNames.has('CLONE_LONGARG'));
  for (const name of ['6.1', '2.6.24', '2.6.24+longarg-rfc', '6.18']) {
    const seen = new Map<bigint, string>();
    for (const f of resolveKernel(name).defined) {
      assert.ok(!seen.has(f.value), `${name}: ${f.name} and ${seen.get(f.value)} share a value`);
      seen.set(f.value, f.name);
    }
  }
  assert.equal(CLONE_FLAGS.filter((f) => f.value === 0x80000000n).length, 2);
});
