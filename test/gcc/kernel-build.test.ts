// Kernel-internal structs, read with the compile_commands.json of a real out-of-tree (`make O=`) kernel build, agree
// with gcc running that build's own command: its -include'd kconfig.h and compiler_types.h, -nostdinc, and the
// headers the build generated in its output directory (autoconf.h, asm-offsets.h) all decide these layouts.
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { splitCommand } from '../../core/c/compile-commands';
import { runCli } from '../helpers/run-cli';

/** Debian's linux-source-6.1 (.ci/run installs it), unpacked whole by the test: a build needs its Makefiles and Kconfig. */
const TARBALL = process.env.SYSARG_KERNEL_TARBALL ?? '/usr/src/linux-source-6.1.tar.xz';
const TOOLS = ['make', 'gcc', 'flex', 'bison', 'bc', 'python3', 'tar'];

function missing(): string | false {
  if (!existsSync(TARBALL)) return `no kernel source tarball at ${TARBALL} (apt-get install linux-source-6.1)`;
  const absent = TOOLS.filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
  if (absent.length > 0) return `cannot build a kernel here: ${absent.join(', ')} not installed`;
  if (!existsSync('/usr/include/libelf.h')) return 'cannot build a kernel here: libelf-dev not installed (objtool)';
  return false;
}

/** The structs laid out: each embeds one kernel struct whose size and members hang on the configuration. */
const PROBE = `#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/mm_types.h>
#include <linux/fs.h>
struct probe_task { struct task_struct t; };
struct probe_clone { struct kernel_clone_args a; };
struct probe_mm { struct mm_struct m; };
struct probe_file { struct file f; };
struct probe_inode { struct inode i; };
`;

interface LayoutJson {
  records: { name: string; kind: string; layouts: Record<string, { size: number; fields: { path: string | null; offset?: number }[] }> }[];
  errors: { message: string }[];
}

describe('kernel structs read with a make O= build\'s compile_commands.json', { skip: missing() }, () => {
  const top = mkdtempSync(join(tmpdir(), 'sysarg-kbuild-'));
  after(() => rmSync(top, { recursive: true, force: true }));
  const build = join(top, 'build');
  const run = (command: string, args: string[], options: SpawnSyncOptions = {}) => {
    const r = spawnSync(command, args, { encoding: 'utf8', timeout: 20 * 60_000, maxBuffer: 64 * 1024 * 1024, ...options });
    assert.equal(r.status, 0, `${command} ${args.join(' ')}: ${String(r.stderr).slice(-2000)}`);
  };

  it('agree with gcc on every size and member offset, the -include files and generated headers read', () => {
    run('tar', ['-xJf', TARBALL, '-C', top]);
    const src = join(top, 'linux-source-6.1');
    mkdirSync(build);
    // Fixed build identity, so that no host tool beyond the build's own is asked (mkcompile_h).
    const env = { ...process.env, KBUILD_BUILD_USER: 'sysarg', KBUILD_BUILD_HOST: 'sysarg', KBUILD_BUILD_TIMESTAMP: 'Thu Jan 1 00:00:00 UTC 1970' };
    run('make', ['-s', `O=${build}`, 'defconfig'], { cwd: src, env });
    run('make', ['-s', `-j${Math.max(1, cpus().length)}`, `O=${build}`, 'kernel/fork.o'], { cwd: src, env });
    run('python3', [join(src, 'scripts/clang-tools/gen_compile_commands.py'), '-d', build, '-o', join(build, 'compile_commands.json')], { cwd: src });

    // The probe gets fork.c's entry: the command the build ran, as the database recorded it.
    const entries: { directory: string; file: string; command: string }[] = JSON.parse(readFileSync(join(build, 'compile_commands.json'), 'utf8'));
    const fork = entries.find((e) => e.file.endsWith('/kernel/fork.c'));
    assert.ok(fork, 'the database has kernel/fork.c');
    assert.match(fork.command, /-include \S*kconfig\.h/);
    const probe = join(top, 'probe', 'sysarg_probe.c');
    mkdirSync(join(top, 'probe'));
    writeFileSync(probe, PROBE);
    const database = join(top, 'probe', 'compile_commands.json');
    writeFileSync(database, JSON.stringify([{ ...fork, file: probe }]));

    // The editor's default targets: the build's configuration is x86_64's, so that is the one ABI laid out.
    const layout = runCli(['layout', '--json', '--target', 'x86_64,i386', '--compile-commands', database, probe], { cwd: top, timeoutMs: 120_000 });
    assert.equal(layout.status, 0, layout.stderr);
    const json: LayoutJson = JSON.parse(layout.stdout);
    assert.deepEqual(json.errors, []);
    assert.deepEqual(json.records.map((r) => `${r.name} ${Object.keys(r.layouts).join(',')}`), ['probe_task', 'probe_clone', 'probe_mm', 'probe_file', 'probe_inode'].map((n) => `${n} x86_64`));

    const asserts = json.records.flatMap((r) => {
      const l = r.layouts.x86_64;
      const type = `struct ${r.name}`;
      const offsets = l.fields.filter((f) => f.path !== null && !f.path.includes('[') && f.offset !== undefined);
      return [`_Static_assert(sizeof(${type}) == ${l.size}, "${type}");`, ...offsets.map((f) => `_Static_assert(__builtin_offsetof(${type}, ${f.path}) == ${f.offset}, "${type}.${f.path}");`)];
    });
    assert.ok(asserts.length > 500, `only ${asserts.length} checks`);
    // The entry's own command, without its output, its dependency file and its source file.
    const words = splitCommand(fork.command);
    const flags = words.slice(1).filter((w, i, all) => w !== '-c' && w !== '-o' && all[i - 1] !== '-o' && !w.startsWith('-Wp,') && !w.endsWith('.c'));
    const gcc = spawnSync(words[0], [...flags, '-fsyntax-only', '-x', 'c', '-'], { cwd: fork.directory, input: `#include "${probe}"\n${asserts.join('\n')}\n`, encoding: 'utf8' });
    const failed = gcc.stderr.split('\n').filter((line) => line.includes('error'));
    assert.equal(gcc.status, 0, `gcc disagrees on ${failed.length} of ${asserts.length}:\n${failed.slice(0, 10).join('\n')}`);

    // An internal header the database has no command for borrows the nearest source file's that searches its
    // directory (fork.c's, not the host tools' listed before it): kernel_clone_args as the probe had it.
    const task = runCli(['layout', '--json', '--target', 'x86_64,i386', '--compile-commands', build, join(src, 'include/linux/sched/task.h')], { cwd: top, timeoutMs: 120_000 });
    const header: LayoutJson = JSON.parse(task.stdout);
    assert.deepEqual(header.errors, []);
    const args = header.records.find((r) => r.name === 'kernel_clone_args');
    assert.deepEqual(Object.keys(args?.layouts ?? {}), ['x86_64']);
    assert.equal(args?.layouts.x86_64.size, json.records[1].layouts.x86_64.size);

    // The editor's view of the same file: nothing to say. (The x86_64 configuration read on i386 drew a warning, and
    // the assembler macros on the headers' __ASSEMBLY__ side stray characters.)
    const check = runCli(['check', '--baseline', 'none', '--format', 'json', '--target', 'x86_64,i386', '--compile-commands', database, probe], { cwd: top, timeoutMs: 120_000 });
    assert.equal(check.status, 0, check.stderr);
    assert.deepEqual(JSON.parse(check.stdout).diagnostics, []);
    process.stdout.write(`# ${asserts.length} sizes and offsets of ${json.records.length} kernel structs agree with gcc (task_struct: ${json.records[0].layouts.x86_64.size} bytes)\n`);
  });
});
