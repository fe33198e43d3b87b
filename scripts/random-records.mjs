#!/usr/bin/env node
// Writes a C header of random structs and unions (bit-fields, packing, alignment, nesting, arrays, enums) for the
// gcc agreement harness: the same seed gives the same header, so a disagreement can be replayed and kept as a test.
//
// usage: node scripts/random-records.mjs [--seed N] [--count N] > random.h
//        node scripts/gcc-agreement.mjs random.h

import { generator } from './seeded-random.mjs';

const INTEGERS = [
  // Type, and the widest bit-field it takes on every target (long is 32 bits on i386 and x32).
  ['char', 8], ['signed char', 8], ['unsigned char', 8], ['short', 16], ['unsigned short', 16], ['int', 32],
  ['unsigned int', 32], ['long', 32], ['unsigned long', 32], ['long long', 64], ['unsigned long long', 64], ['_Bool', 1],
  ['__u8', 8], ['__u16', 16], ['__u32', 32], ['__u64', 64], ['__s64', 64], ['r_small_enum', 8], ['r_int_enum', 32],
];
const OTHERS = [
  'float', 'double', 'long double', 'void *', 'char *', '__aligned_u64', 'r_u64_a4', 'r_int_a16', 'void (*)(int)',
  '_Complex double', '_Complex float', 'r_v4si', 'r_di',
];
const ALIGNS = [1, 2, 4, 8, 16, 32];

/** The header: a fixed prelude of types, then `count` records, each possibly using the ones before it. */
function randomHeader(seed, count) {
  const r = generator(seed);
  const lines = [
    `/* random records, seed ${seed} */`,
    '#include <linux/types.h>',
    'typedef enum __attribute__((packed)) { R_S0, R_S1 } r_small_enum;',
    'typedef enum { R_I0, R_I1 = 100000 } r_int_enum;',
    'typedef __u64 r_u64_a4 __attribute__((aligned(4)));',
    'typedef int r_int_a16 __attribute__((aligned(16)));',
    'typedef int r_v4si __attribute__((vector_size(16)));',
    'typedef int r_di __attribute__((mode(DI)));',
  ];
  const records = [];
  for (let i = 0; i < count; i++) {
    const kind = r.chance(0.2) ? 'union' : 'struct';
    const name = `r${i}`;
    const names = { next: 0 };
    let body = members(r, records, 1 + r.below(7), 0, names);
    // A flexible or zero-length array at the end; a record ending in a flexible one is not used as a member.
    const tail = kind === 'struct' && r.chance(0.1) ? r.pick(['[]', '[0]']) : '';
    if (tail) body += ` ${r.pick(INTEGERS.slice(0, 11))[0]} m${names.next++}${tail};`;
    let attrs = '';
    if (r.chance(0.15)) attrs += ' __attribute__((packed))';
    if (r.chance(0.12)) attrs += ` __attribute__((aligned(${r.pick(ALIGNS)})))`;
    const pack = r.chance(0.08) ? r.pick([1, 2, 4]) : 0;
    if (pack) lines.push(`#pragma pack(push, ${pack})`);
    lines.push(`${kind} ${name} { ${body} }${attrs};`);
    if (pack) lines.push('#pragma pack(pop)');
    if (tail !== '[]') records.push(`${kind} ${name}`);
  }
  return lines.join('\n') + '\n';
}

/** Member names are unique in a whole record: an anonymous struct's members are the record's own. */
function members(r, records, n, depth, names) {
  const out = [];
  for (let m = 0; m < n; m++) out.push(member(r, records, depth, names));
  return out.join(' ');
}

function member(r, records, depth, names) {
  const name = `m${names.next++}`;
  const roll = r.below(100);
  if (roll < 30) {
    const [type, bits] = r.pick(INTEGERS);
    if (r.chance(0.1)) return `${type === '_Bool' ? 'int' : type} : 0;`;
    return `${type} ${r.chance(0.85) ? name : ''} : ${1 + r.below(bits)};`;
  }
  if (roll < 45 && depth < 2) {
    const kind = r.chance(0.5) ? 'union' : 'struct';
    const anonymous = r.chance(0.4);
    const packed = r.chance(0.15) ? ' __attribute__((packed))' : '';
    return `${kind} { ${members(r, records, 1 + r.below(4), depth + 1, names)} }${packed}${anonymous ? '' : ' ' + name};`;
  }
  let type = roll < 60 && records.length > 0 ? r.pick(records) : r.chance(0.6) ? r.pick(INTEGERS)[0] : r.pick(OTHERS);
  // gcc rejects an array whose elements are aligned beyond their size (int aligned to 16).
  const array = type !== 'r_int_a16' && r.chance(0.2) ? `[${1 + r.below(4)}]` : '';
  let declarator = name + array;
  if (type === 'void (*)(int)') {
    type = 'void';
    declarator = `(*${name}${array})(int)`;
  }
  let attrs = '';
  if (r.chance(0.1)) attrs += ' __attribute__((packed))';
  if (r.chance(0.1)) attrs += ` __attribute__((aligned(${r.pick(ALIGNS)})))`;
  if (r.chance(0.03)) attrs += ' __attribute__((aligned))';
  // No type here is aligned beyond 64, and _Alignas may not lower an alignment.
  const alignas = r.chance(0.04) ? `_Alignas(64) ` : '';
  return `${alignas}${type} ${declarator}${attrs};`;
}

const args = process.argv.slice(2);
const value = (flag, fallback) => (args.includes(flag) ? Number(args[args.indexOf(flag) + 1]) : fallback);
process.stdout.write(randomHeader(value('--seed', 1), value('--count', 200)));
