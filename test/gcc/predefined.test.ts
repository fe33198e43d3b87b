// The predefined macros Sysarg gives each x86 target equal gcc's own (`gcc -dM -E`), for every name both define.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { predefinedMacros, TARGETS } from '../../core/abi/targets';

const FLAGS = { x86_64: '-m64', i386: '-m32', x32: '-mx32' } as const;

function gccMacros(flag: string): Map<string, string> | undefined {
  const r = spawnSync('gcc', [flag, '-dM', '-E', '-x', 'c', '/dev/null'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  const out = new Map<string, string>();
  for (const line of r.stdout.split('\n')) {
    const m = /^#define (\S+) ?(.*)$/.exec(line);
    if (m) out.set(m[1], m[2]);
  }
  return out;
}

describe('predefined macros against gcc -dM', () => {
  for (const [target, flag] of Object.entries(FLAGS)) {
    const gcc = gccMacros(flag);
    it(`agrees with gcc ${flag} on ${target}`, { skip: gcc ? false : `gcc ${flag} is not available` }, () => {
      const ours = predefinedMacros(TARGETS[target as keyof typeof FLAGS]);
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
