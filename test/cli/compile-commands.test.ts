// `--compile-commands`: files read with their compile_commands.json entry's flags, checked against gcc running that
// very command; a database that cannot be read is a one-line error and exit code 2.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { splitCommand } from '../../core/c/compile-commands';
import { runCli } from '../helpers/run-cli';
import { writeTempTree } from '../helpers/temp-tree';

/** A project whose structs need the database's -I, -isystem, -D, -U, -include and -imacros to be read at all, or read right. */
const FILES: Record<string, string> = {
  'inc/gen/frob.h': '#include <linux/types.h>\n#include <vendor/word.h>\nstruct frob_args {\n\t__u32 mode;\n\tFROB_WORD word;\n#ifdef FROB_EXTRA\n\t__u64 extra;\n#endif\n#ifdef FROB_LEGACY\n\t__u64 legacy;\n#endif\n\tvendor_word_t v;\n#ifdef FROB_TAIL\n\tFROB_TAIL tail;\n#else\n\t__u16 tail;\n#endif\n};\n',
  'third_party/vendor/word.h': 'typedef __u16 vendor_word_t;\n',
  'inc/frob_config.h': '#define FROB_EXTRA 1\n',
  'inc/frob_macros.h': '#define FROB_TAIL __u32\nstruct frob_dropped { int x; };\n',
  'src/frob.c': '#include <gen/frob.h>\nstruct frob_user {\n\tchar tag;\n\tstruct frob_args args;\n\tFROB_WORD extra[3];\n};\n',
  'src/frob_local.h': '#include <gen/frob.h>\nstruct frob_local {\n\tstruct frob_args args;\n\t__u8 after;\n};\n',
  'build/compile_commands.json': JSON.stringify([
    {
      directory: 'BUILD',
      file: '../src/frob.c',
      command: "cc -c -I ../inc -isystem ../third_party '-DFROB_WORD=unsigned long long' -DFROB_LEGACY -UFROB_LEGACY -include ../inc/frob_config.h -imacros ../inc/frob_macros.h -o frob.o ../src/frob.c",
    },
  ]),
};

interface LayoutJson {
  records: { name: string; kind: string; file: string; layouts: Record<string, { size: number; fields: { path: string; offset: number }[] }> }[];
  errors: { message: string }[];
}

describe('sysarg --compile-commands', () => {
  let top: string;
  before(() => {
    top = writeTempTree('sysarg-ccdb-', FILES);
    // The database names its directory absolutely, as CMake and Bear write it.
    writeFileSync(join(top, 'build/compile_commands.json'), FILES['build/compile_commands.json'].replace('BUILD', join(top, 'build')));
  });

  const layout = (...args: string[]) => runCli(['layout', '--json', '--target', 'x86_64,i386', ...args], { cwd: top });

  it('reads a file, and a header beside it, with the entry\'s flags; without the database neither is found', () => {
    const without = layout('src/frob.c');
    assert.match(without.stdout, /'gen\/frob\.h' file not found/);
    const run = layout('--compile-commands', 'build', 'src/frob.c', 'src/frob_local.h');
    assert.equal(run.status, 0, run.stderr);
    const json: LayoutJson = JSON.parse(run.stdout);
    assert.deepEqual(json.errors, []);
    // -D's unsigned long long word (8-aligned on x86_64, 4 on i386), -include's FROB_EXTRA member, -imacros's __u32
    // tail, -U's FROB_LEGACY left out, -isystem's vendor word.
    const sizes = json.records.map((r) => `${r.name} ${r.layouts.x86_64.size}/${r.layouts.i386.size}`);
    assert.deepEqual(sizes, ['frob_user 64/56', 'frob_local 40/32']);
  });

  it('agrees with gcc running the entry\'s own command on each struct\'s size and offsets (x86_64 and -m32)', (t) => {
    if (spawnSync('gcc', ['--version']).error) return t.skip('gcc is not installed');
    const run = layout('--compile-commands', join(top, 'build/compile_commands.json'), 'src/frob.c', 'src/frob_local.h');
    const json: LayoutJson = JSON.parse(run.stdout);
    const command = splitCommand(JSON.parse(FILES['build/compile_commands.json'])[0].command);
    // The command without its compiler, -c, -o and file: its -I, -isystem, -D, -U, -include and -imacros, run on a probe that includes each
    // input and asserts what sysarg said.
    const flags = command.slice(1).filter((w, i, all) => w !== '-c' && w !== '-o' && all[i - 1] !== '-o' && !w.endsWith('.c'));
    for (const [target, m] of [['x86_64', '-m64'], ['i386', '-m32']] as const) {
      if (m === '-m32' && spawnSync('gcc', ['-m32', '-idirafter', '/usr/include/x86_64-linux-gnu', '-fsyntax-only', '-x', 'c', '-'], { input: '#include <linux/types.h>\n' }).status !== 0) {
        t.diagnostic('gcc -m32 cannot compile a UAPI header here: i386 left out');
        continue;
      }
      for (const input of ['src/frob.c', 'src/frob_local.h']) {
        const asserts = json.records.filter((r) => r.file.endsWith(input)).flatMap((r) => {
          const l = r.layouts[target];
          const type = `${r.kind} ${r.name}`;
          return [`_Static_assert(sizeof(${type}) == ${l.size}, "${type} size");`, ...l.fields.filter((f) => !f.path.includes('.')).map((f) => `_Static_assert(__builtin_offsetof(${type}, ${f.path}) == ${f.offset}, "${type}.${f.path}");`)];
        });
        assert.ok(asserts.length > 2, `${input}: records laid out`);
        const probe = `#include "${join(top, input)}"\n${asserts.join('\n')}\n`;
        const gcc = spawnSync('gcc', [m, ...(m === '-m32' ? ['-idirafter', '/usr/include/x86_64-linux-gnu'] : []), ...flags, '-fsyntax-only', '-x', 'c', '-'], { cwd: join(top, 'build'), input: probe, encoding: 'utf8' });
        assert.equal(gcc.status, 0, `${target} ${input}: ${gcc.stderr}`);
      }
    }
  });

  it('says in one line, exit code 2, when the database is missing, unreadable or none', () => {
    writeFileSync(join(top, 'binary.json'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 0xff, 0xfe]));
    writeFileSync(join(top, 'object.json'), '{"directory": "/"}');
    for (const [db, expected] of [
      ['nowhere.json', /^sysarg layout: --compile-commands .*nowhere\.json: no such file\n$/],
      ['src', /^sysarg layout: --compile-commands .*src\/compile_commands\.json: no such file\n$/],
      ['binary.json', /^sysarg layout: --compile-commands binary\.json: not JSON \([^\n\u0000-\u0008]*\)\n$/],
      ['object.json', /^sysarg layout: --compile-commands object\.json: not a compilation database: expected a JSON array/],
    ] as const) {
      const run = layout('--compile-commands', db, 'src/frob.c');
      assert.equal(run.status, 2, `${db}: ${run.stderr}`);
      assert.match(run.stderr, expected);
      assert.equal(run.stdout, '');
    }
  });
});
