// The predefined macros Sysarg gives each target equal gcc's own (`gcc -dM -E`; Debian's cross compilers for aarch64,
// armhf and riscv64), for every name both define.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { predefinedMacros, TARGETS } from '../../core/abi/targets';

/** The compiler and flag that are each target's gcc. */
const COMPILERS = {
  x86_64: ['gcc', '-m64'],
  i386: ['gcc', '-m32'],
  x32: ['gcc', '-mx32'],
  aarch64: ['aarch64-linux-gnu-gcc'],
  arm: ['arm-linux-gnueabihf-gcc'],
  riscv64: ['riscv64-linux-gnu-gcc'],
} as const;

function gccMacros([cc, ...flags]: readonly string[]): Map<string, string> | undefined {
  const r = spawnSync(cc, [...flags, '-dM', '-E', '-x', 'c', '/dev/null'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  const out = new Map<string, string>();
  for (const line of r.stdout.split('\n')) {
    const m = /^#define (\S+) ?(.*)$/.exec(line);
    if (m) out.set(m[1], m[2]);
  }
  return out;
}

describe('predefined macros against gcc -dM', () => {
  for (const [target, compiler] of Object.entries(COMPILERS)) {
    const gcc = gccMacros(compiler);
    const name = compiler.join(' ');
    it(`agrees with ${name} on ${target}`, { skip: gcc ? false : `${name} is not available` }, () => {
      const ours = predefinedMacros(TARGETS[target as keyof typeof COMPILERS]);
      let compared = 0;
      for (const line of ours) {
        const [name, ...rest] = line.split(' ');
        const value = rest.join(' ');
        const key = name.replace(/\(.*$/, '');
        if (!gcc!.has(key) || key === '__GNUC_MINOR__' || key === '__VERSION__' || key === '__GNUC_PATCHLEVEL__') continue;
        assert.equal(value, gcc!.get(key), `${key} on ${target}`);
        compared++;
      }
      assert.ok(compared > 100, `only ${compared} macros compared`);
      for (const must of ['__SIZEOF_LONG__', '__SIZE_TYPE__', '__INT64_TYPE__', '__BIGGEST_ALIGNMENT__', '__CHAR_BIT__']) assert.ok(ours.some((l) => l.startsWith(must + ' ')), must);
    });
  }
});
