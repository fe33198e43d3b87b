// Compilation databases: reading compile_commands.json, splitting commands, and files read with their entries' flags.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileFlagsFor, flagsFrom, readCompilationDatabase, splitCommand, type CompilationDatabase } from '../../../core/c/compile-commands';
import { SourceCache } from '../../../core/c/source-cache';
import { analyzeDocument, type DocumentAnalysis } from '../../../core/document-analysis';
import { memoryHost } from '../../helpers/memory-host';

/** Each record as `tag size/size...` over the analysis's targets (`error` where it has no layout). */
function sizesOf(analysis: DocumentAnalysis): string[] {
  return analysis.records.map((r) => `${r.decl.tag} ${[...r.layouts.values()].map((l) => ('size' in l ? l.size : 'error')).join('/')}`);
}

function database(entries: unknown, path = '/p/build/compile_commands.json', cwd = '/'): CompilationDatabase {
  const db = readCompilationDatabase(path, JSON.stringify(entries), cwd);
  if ('error' in db) throw new Error(db.error);
  return db;
}

describe('compile_commands.json', () => {
  it('splits a command as a shell does: quotes, escapes, runs of blanks', () => {
    assert.deepEqual(splitCommand(`gcc  -c '-DNAME=a b' "-DQ=\\"x\\"" -DE=\\$HOME a\\ b.c\t-o x.o`), ['gcc', '-c', '-DNAME=a b', '-DQ="x"', '-DE=$HOME', 'a b.c', '-o', 'x.o']);
    assert.deepEqual(splitCommand(`cc "" ''`), ['cc', '', '']);
    assert.deepEqual(splitCommand('   '), []);
  });

  it('takes -I, -isystem, -idirafter and -iquote (joined or apart, relative to the directory), -D, -U, -imacros, -include and -nostdinc; skips other values', () => {
    const flags = flagsFrom(
      ['-c', '-I', 'inc', '-I/abs', '-isystem', '../sys', '-iquote', 'q', '-idirafter', 'late', '-include', '-Inot-a-dir.h', '-o', '-Ialso-not', '-DA', '-D', 'B=2', '-UC', '-imacros', '-Dnot.h', '-include-pch', '-Dpch', '-include/abs/c.h', 'x.c'],
      '/p/build',
    );
    assert.deepEqual(flags, {
      includePaths: ['/p/build/inc', '/abs', '/p/sys', '/p/build/late', '/p/build/q'],
      defines: ['A', 'B=2'],
      undefines: ['C'],
      forcedIncludes: [
        { path: '/p/build/-Dnot.h', name: '-Dnot.h', macrosOnly: true },
        { path: '/p/build/-Inot-a-dir.h', name: '-Inot-a-dir.h' },
        { path: '/abs/c.h', name: '/abs/c.h' },
      ],
      nostdinc: false,
      abi: undefined,
    });
    assert.equal(flagsFrom(['-nostdinc', '-isystem', '/gcc/include'], '/').nostdinc, true);
  });

  it('reads entries with a command or arguments, the first for each file, and lends a source file\'s to the headers beside it', () => {
    const db = database([
      { directory: '/p/build', file: '../src/a.c', command: 'gcc -I ../inc -DWHICH=1 -c ../src/a.c' },
      { directory: 'out', file: '/p/src/b.c', arguments: ['clang', '-I', 'gen', '-c', '/p/src/b.c'] },
      { directory: '/p/build', file: '../src/a.c', command: 'gcc -DWHICH=2 -c ../src/a.c' },
    ]);
    assert.deepEqual(compileFlagsFor(db, '/p/src/a.c')?.defines, ['WHICH=1']);
    assert.deepEqual(compileFlagsFor(db, '/p/src/b.c')?.includePaths, ['/p/build/out/gen'], "a relative directory is taken from the database's folder");
    assert.equal(compileFlagsFor(db, '/p/src/a.h')?.file, '/p/src/a.c', 'a header borrows the first source file of its directory');
    assert.equal(compileFlagsFor(db, '/p/src/c.c'), undefined, 'a source file without an entry borrows none');
    assert.equal(compileFlagsFor(db, '/p/inc/a.h'), undefined, 'nor does a header in a directory without one');
    const relative = database([{ directory: '/p', file: 'src/a.c', command: 'cc -DX -c src/a.c' }], '/p/compile_commands.json', '/p');
    assert.deepEqual(compileFlagsFor(relative, 'src/a.c')?.defines, ['X'], 'a relative path asked about is taken from cwd');
  });

  it("splits only the commands of the files asked about (a kernel build's database holds 32,000)", () => {
    const entries = Array.from({ length: 5000 }, (_, i) => ({ directory: '/k', file: `drivers/d${i}/x.c`, command: `gcc -nostdinc -I./include -Idrivers/d${i} '-DKBUILD_MODNAME="x${i}"' -c -o x.o drivers/d${i}/x.c` }));
    const db = database(entries, '/k/compile_commands.json');
    assert.deepEqual(compileFlagsFor(db, '/k/drivers/d42/x.h'), {
      includePaths: ['/k/include', '/k/drivers/d42'],
      defines: ['KBUILD_MODNAME="x42"'],
      undefines: [],
      forcedIncludes: [],
      nostdinc: true,
      abi: undefined,
      file: '/k/drivers/d42/x.c',
    });
    assert.equal([...db.byFile.values()].filter((e) => e.flags !== undefined).length, 1);
  });

  it('says in one line why a file is no database', () => {
    const error = (text: string) => (readCompilationDatabase('/db.json', text) as { error: string }).error;
    assert.match(error('{"directory": "/"}'), /^not a compilation database: expected a JSON array/);
    assert.match(error('[{"directory": "/", "file": "a.c"}]'), /^entry 1: no 'arguments' list of strings nor 'command' string$/);
    assert.match(error('[1]'), /^entry 1: not an object$/);
    assert.match(error('[{"file": "a.c", "command": "cc"}]'), /^entry 1: no 'directory' or 'file' string$/);
    const binary = error('\u007fELF\u0002\u0001\u0001\u0000\u0000');
    assert.match(binary, /^not JSON \(/);
    assert.doesNotMatch(binary, /[\u0000-\u001f\u007f]/, 'control characters quoted from the file are replaced');
  });

  it("reads a file with its entry's include directories and macros, after the options given, and not a kernel tree's", () => {
    const files = {
      '/p/inc/gen/frob.h': 'struct frob { FROB_WORD w; char c; };\n',
      '/p/src/user.c': '#include <gen/frob.h>\nstruct user { struct frob f; };\n',
      '/p/src/local.h': '#include <gen/frob.h>\nstruct local { struct frob f; char d; };\n',
      '/p/other/lone.h': '#include <gen/frob.h>\nstruct lone { struct frob f; };\n',
    };
    const db = database([{ directory: '/p/build', file: '../src/user.c', command: "gcc -I../inc '-DFROB_WORD=long long' -UNDEBUG -c ../src/user.c" }]);
    const cache = new SourceCache(memoryHost(files));
    const sizes = (path: string, defines: string[] = []) =>
      sizesOf(analyzeDocument(cache, cache.get(path)!, ['x86_64', 'i386'], { nostdinc: true, compileCommands: db, defines }));
    assert.deepEqual(sizes('/p/src/user.c'), ['user 16/12']);
    assert.deepEqual(sizes('/p/src/local.h'), ['local 24/16'], 'a header beside user.c is read as user.c is');
    assert.deepEqual(sizes('/p/src/user.c', ['FROB_WORD=char']), ['user 2/2'], "the user's own -D comes after the command's");
    assert.deepEqual(sizes('/p/other/lone.h'), ['lone 16/12'], 'a header elsewhere below /p borrows the nearest source file\'s');
    const far = new SourceCache(memoryHost({ '/q/lone.h': files['/p/other/lone.h'] }));
    const lone = analyzeDocument(far, far.get('/q/lone.h')!, ['x86_64'], { nostdinc: true, compileCommands: db });
    assert.match(lone.diagnostics.map((d) => d.message).join('\n'), /'gen\/frob\.h' file not found/, 'one sharing only / borrows none');
  });

  it("reads the entry's -include files first, in order, from its directory or else searched for; says where one is missing", () => {
    const files = {
      '/p/build/config.h': '#define FROB_WIDE 1\n',
      '/p/inc/word.h': '#ifdef FROB_WIDE\ntypedef long long word_t;\n#else\ntypedef char word_t;\n#endif\n',
      '/p/src/user.c': 'struct user { word_t w; char c; };\n',
      '/p/src/again.c': '#include <word.h>\nstruct again { word_t w; char c; };\n',
    };
    const db = (includes: string) =>
      database([
        { directory: '/p/build', file: '../src/user.c', command: `gcc -I../inc ${includes} -c ../src/user.c` },
        { directory: '/p/build', file: '../src/again.c', command: `gcc -I../inc ${includes} -c ../src/again.c` },
      ]);
    const cache = new SourceCache(memoryHost(files));
    const analysis = (path: string, includes: string) => analyzeDocument(cache, cache.get(path)!, ['x86_64', 'i386'], { nostdinc: true, compileCommands: db(includes) });
    const sizes = (path: string, includes: string) =>
      sizesOf(analysis(path, includes));
    assert.deepEqual(sizes('/p/src/user.c', '-include config.h -include word.h'), ['user 16/12'], 'config.h from the directory, word.h from -I, in order');
    assert.deepEqual(sizes('/p/src/user.c', '-include word.h -include config.h'), ['user 2/2'], 'word.h read before config.h defines FROB_WIDE');
    assert.deepEqual(sizes('/p/src/user.c', '-include /p/inc/word.h'), ['user 2/2'], 'an absolute path');
    assert.deepEqual(sizes('/p/src/again.c', '-include config.h -include word.h'), ['again 16/12'], "word.h's guardless second #include redefines the same typedef");
    const missing = analysis('/p/src/user.c', '-include config.h -include nothere.h -include word.h');
    const errors = missing.diagnostics.filter((d) => d.severity === 'error');
    assert.equal(errors[0]?.message, "'nothere.h' file not found (-include in the compile command)");
    assert.equal(errors[0].span.file.path, '/p/src/user.c');
    assert.equal(errors[0].span.start, 0, 'said at the first line, where gcc says <command-line>');
    assert.deepEqual(sizesOf(missing), ['user 16/12'], 'the includes after the missing one are still read');
  });

  it('reads -imacros files before every -include, keeping their macros and dropping what they declare', () => {
    const files = {
      '/p/build/macros.h': '#define WORD long long\nstruct from_macros { int x; };\n',
      '/p/build/later.h': '#ifdef WORD\ntypedef WORD word_t;\n#endif\n',
      '/p/src/user.c': 'struct user { word_t w; char c; };\nstruct uses { struct from_macros m; };\n',
    };
    const cache = new SourceCache(memoryHost(files));
    const db = database([{ directory: '/p/build', file: '../src/user.c', command: 'gcc -include later.h -imacros macros.h -c ../src/user.c' }]);
    for (let pass = 0; pass < 2; pass++) {
      // The second time over the same cache, macros.h's include memo is replayed: its declaration must stay dropped.
      const analysis = analyzeDocument(cache, cache.get('/p/src/user.c')!, ['x86_64', 'i386'], { nostdinc: true, compileCommands: db });
      assert.equal(sizesOf(analysis)[0], 'user 16/12', 'WORD was defined when later.h was read');
      const uses = analysis.records.find((r) => r.decl.tag === 'uses');
      assert.deepEqual([...(uses?.layouts.values() ?? [])].map((l) => ('size' in l ? l.size : l.message)), [
        'struct from_macros is incomplete (declared, never defined)',
        'struct from_macros is incomplete (declared, never defined)',
      ], 'macros.h declared nothing');
    }
    const missing = analyzeDocument(cache, cache.get('/p/src/user.c')!, ['x86_64'], { nostdinc: true, compileCommands: database([{ directory: '/p/build', file: '../src/user.c', command: 'gcc -imacros gone.h -c ../src/user.c' }]) });
    assert.equal(missing.diagnostics[0]?.message, "'gone.h' file not found (-imacros in the compile command)");
  });

  it("drops the system directories for an entry that says -nostdinc, keeping the command's own -isystem", () => {
    const files = {
      '/sys/include/sysword.h': 'typedef long sysword_t;\n',
      '/p/src/a.c': '#include <sysword.h>\nstruct a { sysword_t w; };\n',
    };
    const cache = new SourceCache(memoryHost(files));
    const messages = (command: string) =>
      analyzeDocument(cache, cache.get('/p/src/a.c')!, ['x86_64'], { usrInclude: '/sys/include', compileCommands: database([{ directory: '/p', file: 'src/a.c', command }]) })
        .diagnostics.filter((d) => d.severity === 'error')
        .map((d) => d.message);
    assert.deepEqual(messages('gcc -c src/a.c'), []);
    assert.equal(messages('gcc -nostdinc -c src/a.c')[0], "'sysword.h' file not found");
    assert.deepEqual(messages('gcc -nostdinc -isystem /sys/include -c src/a.c'), []);
  });

  it("lays out a file a kernel build's command reads on that command's ABI only", () => {
    const abi = (compiler: string, ...args: string[]) => flagsFrom(args, '/k', compiler).abi;
    assert.equal(abi('gcc', '-nostdinc', '-I/src/arch/x86/include', '-I./arch/x86/include/generated', '-D__KERNEL__', '-m64'), 'x86_64');
    assert.equal(abi('gcc', '-I/src/arch/x86/include', '-D__KERNEL__', '-m64', '-m32'), 'i386', 'the last -m counts');
    assert.equal(abi('/usr/bin/aarch64-linux-gnu-gcc', '-I./arch/arm64/include', '-D__KERNEL__'), 'aarch64');
    assert.equal(abi('riscv64-linux-gnu-gcc-12', '-D__KERNEL__'), 'riscv64');
    assert.equal(abi('gcc', '-Iarch/riscv/include', '-D__KERNEL__'), 'riscv64', 'the arch of its include directory');
    assert.equal(abi('clang', '--target=arm-linux-gnueabi', '-I./arch/arm/include', '-D__KERNEL__'), 'arm');
    assert.equal(abi('clang', '-target', 'i686-linux-gnu', '-D__KERNEL__'), 'i386');
    assert.equal(abi('clang', '--target=powerpc64le-linux-gnu', '-I./arch/x86/include', '-D__KERNEL__'), undefined, 'an architecture Sysarg has no target for');
    assert.equal(abi('gcc', '-I/src/arch/x86/include', '-m32'), undefined, 'userspace code may be portable: not narrowed');
    assert.equal(abi('gcc', '-D__KERNEL__'), undefined, 'no architecture said');

    const files = {
      '/k/kernel/fork.c': 'struct probe { long l; };\n',
      '/k/include/linux/sched.h': 'struct internal { long l; };\n',
      '/k/include/uapi/linux/x.h': 'struct x { long l; };\n',
      '/k/include/uapi/asm-generic/int-ll64.h': '',
      '/k/arch/x86/include/uapi/asm/types.h': '',
      '/q/y.h': 'struct y { long l; };\n',
    };
    const cache = new SourceCache(memoryHost(files));
    const db = database([{ directory: '/k/out', file: '/k/kernel/fork.c', command: 'gcc -nostdinc -I/k/arch/x86/include -D__KERNEL__ -m32 -c /k/kernel/fork.c' }]);
    const targets = (path: string) => analyzeDocument(cache, cache.get(path)!, ['x86_64', 'aarch64'], { nostdinc: true, compileCommands: db }).records.map((r) => [...r.layouts.keys()].join(','));
    assert.deepEqual(targets('/k/kernel/fork.c'), ['i386'], 'its ABI, asked for or not');
    assert.deepEqual(targets('/k/include/linux/sched.h'), ['i386'], "an internal header borrows the nearest source file's command");
    assert.deepEqual(targets('/k/include/uapi/linux/x.h'), ['x86_64,aarch64'], "a UAPI header is read as userspace sees it: it borrows no kernel command");
    assert.deepEqual(targets('/q/y.h'), ['x86_64,aarch64'], 'a file no entry is near keeps the targets asked for');
  });

  it("lends a header without a source file beside it the nearest source file's entry, as clangd does", () => {
    const db = database([
      { directory: '/p', file: 'a/one.c', command: 'cc -DWHICH=1 -c a/one.c' },
      { directory: '/p', file: 'b/two.c', command: 'cc -DWHICH=2 -c b/two.c' },
      { directory: '/p', file: 'b/deep/er/three.c', command: 'cc -DWHICH=3 -c b/deep/er/three.c' },
    ]);
    const which = (path: string) => compileFlagsFor(db, path, true)?.defines.join(' ');
    assert.equal(which('/p/b/inc/x.h'), 'WHICH=2', 'the longest shared leading path: /p/b');
    assert.equal(which('/p/b/deep/x.h'), 'WHICH=3', '/p/b/deep');
    assert.equal(which('/p/c/y.h'), 'WHICH=1', 'a tie goes to the first in the database');
    assert.equal(which('/p/b/z.h'), 'WHICH=2', "a source file's own directory first");
    assert.equal(which('/elsewhere/z.h'), undefined);
    assert.equal(which('/p/c/y.c'), undefined, 'a source file without an entry borrows none');
    assert.equal(compileFlagsFor(db, '/p/c/y.h'), undefined, 'only when asked');
    // A kernel build's database lists the host tools it built first (arch/x86/tools/relocs_32.c).
    const kernel = database([
      { directory: '/k/out', file: '/k/arch/x86/tools/relocs_32.c', command: 'gcc -O2 -c /k/arch/x86/tools/relocs_32.c' },
      { directory: '/k/out', file: '/k/kernel/fork.c', command: 'gcc -I/k/include -I./include -D__KERNEL__ -c /k/kernel/fork.c' },
    ]);
    assert.equal(compileFlagsFor(kernel, '/k/include/linux/sched/task.h', true)?.file, '/k/kernel/fork.c', 'the nearest command that searches a directory holding the header');
    assert.equal(compileFlagsFor(kernel, '/k/lib/x.h', true)?.file, '/k/arch/x86/tools/relocs_32.c', 'none does: the nearest');
  });
});
