// Tests of the C export: what the generated program contains for each kind of call, and that gcc builds and runs it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { arch, platform, tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportC, EXPORT_EXIT } from '../../../core/sim/export-c';
import { normalizeInput } from '../../../core/sim/input';
import type { SimulateInput } from '../../../core/sim/types';

const HOST = '6.18.44';

function program(input: Partial<SimulateInput> & Pick<SimulateInput, 'syscall'>, options = {}): string {
  return exportC(normalizeInput({ kernel: '6.1', flags: [], ...input }, { hostRelease: HOST }), options);
}

/** The body of one C function of the program. */
function body(source: string, name: string): string {
  const start = source.search(new RegExp(`^static [^\\n]*\\b${name}\\(`, 'm'));
  assert.ok(start >= 0, `function ${name} is in the program`);
  const end = source.indexOf('\n}\n', start);
  return source.slice(start, end + 2);
}

test('clone3: the buffer is the struct and then the tail, of exactly size bytes', () => {
  const zero = program({ syscall: 'clone3', size: 96, tail: 'zero' });
  assert.match(zero, /static unsigned char call_buffer\[96\]/);
  assert.match(body(zero, 'make_call'), /raw_clone\(SYS_clone3, \(long\)call_buffer, 96L, 0, 0, 0\)/);
  assert.doesNotMatch(zero, /call_buffer\[\d+\] = 0xff/);

  const nonzero = program({ syscall: 'clone3', size: 96, tail: 'nonzero' });
  assert.match(body(nonzero, 'make_call'), /call_buffer\[95\] = 0xff;/);

  const small = program({ syscall: 'clone3', size: 64, tail: 'nonzero' });
  assert.match(small, /static unsigned char call_buffer\[88\]/, 'the whole struct is still written; the kernel reads size bytes');
  assert.match(body(small, 'make_call'), /, 64L, /);
  assert.doesNotMatch(small, /= 0xff;/, 'no tail exists below sizeof(struct clone_args)');
});

test('clone3: a size beyond PAGE_SIZE is passed as is, without a buffer that large', () => {
  const source = program({ syscall: 'clone3', size: 1 << 30 });
  assert.match(body(source, 'make_call'), /, 1073741824L, /);
  assert.match(source, /call_buffer\[65536\]/);
});

test('clone3: flags, numbers, "ptr", "bad" and set_tid arrays become the right C values', () => {
  const source = program({
    syscall: 'clone3',
    flags: ['CLONE_PIDFD', 'CLONE_NEWPID', 'CLONE_CHILD_SETTID'],
    fields: { pidfd: 'ptr', child_tid: 'bad', exit_signal: 17, set_tid: [1, 42], set_tid_size: 2, tls: 4096 },
  });
  const call = body(source, 'make_call');
  assert.match(call, /args\.flags = 0x21001000ULL; \/\* CLONE_PIDFD \| CLONE_CHILD_SETTID \| CLONE_NEWPID \*\//);
  assert.match(call, /args\.pidfd = \(uint64_t\)\(uintptr_t\)&slot_pidfd;/);
  assert.match(call, /args\.child_tid = \(uint64_t\)\(uintptr_t\)bad_address;/);
  assert.match(call, /bad_address = reserve_unmapped_page\(\)/);
  assert.match(call, /args\.exit_signal = 0x11ULL;/);
  assert.match(call, /args\.tls = 0x1000ULL;/);
  assert.match(call, /args\.set_tid_size = 0x2ULL;/);
  assert.match(source, /static pid_t set_tid_array\[32\] = \{ 1, 42 \};/);
  assert.match(body(source, 'report'), /report_clone\(ret, \(int\)slot_pidfd\)/, 'the pidfd is closed after the call');
  assert.match(body(source, 'reserve_unmapped_page'), /PROT_NONE/);
});

test('CLONE_VM gets a child stack when none is given; a given stack is kept', () => {
  const clone3 = program({ syscall: 'clone3', flags: ['CLONE_VM'] });
  assert.match(body(clone3, 'make_call'), /args\.stack = \(uint64_t\)\(uintptr_t\)stack_area;\n\targs\.stack_size = 65536;/);
  const legacy = program({ syscall: 'clone', flags: ['CLONE_VM'], fields: { exit_signal: 17 } });
  assert.match(body(legacy, 'make_call'), /\(long\)\(uint64_t\)\(uintptr_t\)stack_top, /);
  const given = program({ syscall: 'clone3', flags: ['CLONE_VM'], fields: { stack: 0, stack_size: 4096 } });
  assert.match(body(given, 'make_call'), /args\.stack = 0x0ULL;\n\targs\.stack_size = 0x1000ULL;/);
  assert.doesNotMatch(given, /map_stack\(\)/);
});

test('the child exits at once in the raw syscall, without returning into C', () => {
  const source = program({ syscall: 'clone', flags: ['CLONE_VM', 'CLONE_VFORK'], fields: { exit_signal: 17 } });
  const raw = body(source, 'raw_clone');
  const asm = raw.slice(raw.indexOf('__asm__ volatile('));
  const order = ['"syscall', 'test %%rax, %%rax', 'jnz 1f', 'mov $60, %%eax', '"syscall', 'hlt', '"1:"'].map((s, i, all) =>
    asm.indexOf(s, i === 0 ? 0 : asm.indexOf(all[i - 1]) + 1),
  );
  assert.ok(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1])), `raw_clone's asm: syscall, child → SYS_exit(60):\n${asm}`);
  assert.match(body(source, 'report_clone'), /waitpid\(\(pid_t\)ret, &status, __WALL\)/, 'the parent reaps the child');
  assert.match(body(source, 'block_all_signals'), /SYS_rt_sigprocmask, SIG_BLOCK/);
});

test('legacy clone: the raw first argument carries the exit signal byte', () => {
  const named = program({ syscall: 'clone', flags: ['CLONE_NEWPID'], fields: { exit_signal: 17, parent_tid: 'ptr' } });
  assert.match(body(named, 'make_call'), /raw_clone\(SYS_clone, \(long\)0x20000011ULL \/\* exit signal 17 \| CLONE_NEWPID \*\/,/);
  assert.match(body(named, 'make_call'), /\(long\)\(uint64_t\)\(uintptr_t\)&slot_ptid,/);
  const raw = program({ syscall: 'clone', flags: '0x180' });
  assert.match(body(raw, 'make_call'), /\(long\)0x180ULL \/\* exit signal 128 \| CLONE_VM \*\//);
});

test('unshare passes the flags word alone', () => {
  const source = program({ syscall: 'unshare', flags: ['CLONE_NEWUSER', 'CLONE_NEWNS'] });
  assert.match(body(source, 'make_call'), /if \(syscall\(SYS_unshare, \(unsigned long\)0x10020000ULL \/\* CLONE_NEWNS \| CLONE_NEWUSER \*\/\)\)\n\t\treturn -errno;/);
  assert.doesNotMatch(source, /raw_clone/);
});

test('the caller context is recreated in order: namespaces, state, threads, then privileges dropped', () => {
  const source = program({
    syscall: 'unshare',
    flags: ['CLONE_NEWNS'],
    context: { privileged: false, threads: 3, pidNamespaceLevel: 2, userNamespaceLevel: 1, timeNamespaceForChildren: true, chrooted: true },
  });
  const caller = body(source, 'caller');
  const steps = ['geteuid() != 0', 'enter_user_namespace()', 'enter_pid_namespace()', 'enter_pid_namespace()', 'stay_below_init()',
    'enter_chroot()', 'start_threads(2)', 'CLONE_NEWTIME', 'drop_privileges()', 'make_call()'];
  let at = -1;
  for (const step of steps) {
    const next = caller.indexOf(step, at + 1);
    assert.ok(next > at, `${step} comes after the previous step in:\n${caller}`);
    at = next;
  }
  assert.match(body(source, 'drop_privileges'), /SYS_setresuid, 65534, 65534, 65534/);
  assert.match(body(source, 'drop_privileges'), /effective_capabilities\(\) != 0/);
  assert.doesNotMatch(caller, /has_capability/);

  const init = program({ syscall: 'clone3', flags: ['CLONE_PARENT'], context: { pidNamespaceLevel: 1, isInit: true } });
  assert.doesNotMatch(body(init, 'caller'), /stay_below_init/, 'as PID 1 the caller stays the init');
  assert.match(body(init, 'caller'), /has_capability\(21/);
});

test('a caller that shares its memory gets a sleeping partner; the supervisor kills what is left', () => {
  const source = program({ syscall: 'unshare', flags: ['CLONE_SIGHAND'], context: { sharedVm: true, sharedSighand: true } });
  const caller = body(source, 'caller');
  assert.ok(caller.indexOf('start_sharing_partner(CLONE_VM | CLONE_SIGHAND);') < caller.indexOf('make_call()'));
  assert.match(body(source, 'start_sharing_partner'), /mov \$34, %%eax/, 'the partner only pauses');
  const supervise = body(source, 'supervise');
  assert.ok(supervise.indexOf('kill(-child, SIGKILL)') > supervise.indexOf('if (got == child)'), 'the group dies once the caller is done');
});

test('calls the program cannot make print "unsupported" and exit 3', () => {
  const cases: [Partial<SimulateInput> & Pick<SimulateInput, 'syscall'>, RegExp][] = [
    [{ syscall: 'clone3', context: { isInit: true } }, /PID 1 of the initial pid namespace/],
    [{ syscall: 'unshare', flags: ['CLONE_SIGHAND'], context: { sharedSighand: true } }, /CLONE_SIGHAND needs CLONE_VM/],
    [{ syscall: 'clone3', fields: { exit_signal: 9 } }, /exit signal 9 cannot be blocked/],
    [{ syscall: 'clone3', fields: { set_tid: [5], set_tid_size: 1 }, context: { pidsInUse: [5] } }, /pidsInUse needs pidNamespaceLevel >= 1/],
  ];
  for (const [input, why] of cases) {
    const source = program(input);
    const line = /printf\("sysarg-result: unsupported %s\\n", "([^"]*)"\);\n\treturn 3;/.exec(source);
    assert.ok(line, `unsupported program for ${JSON.stringify(input)}`);
    assert.match(line[1], why);
  }
  assert.equal(EXPORT_EXIT.unsupported, 3);
});

test("an author's member is written at its offset; without its offset the field is unsupported", () => {
  const call = normalizeInput({ kernel: '6.1', syscall: 'clone3', flags: [], size: 96 }, { hostRelease: HOST });
  call.fields.new_member = 0x1234n;
  const source = exportC(call, { members: [{ name: 'new_member', offset: 88, size: 8 }] });
  assert.match(body(source, 'make_call'), /uint64_t value = 0x1234ULL;\n\n\t\tmemcpy\(call_buffer \+ 88, &value, 8\);/);
  assert.match(exportC(call), /"field new_member is not in struct clone_args and its offset was not given to the export"\);\n\treturn 3;/);
});

const canBuild = platform() === 'linux' && arch() === 'x64' && spawnSync('gcc', ['--version']).status === 0;

test('gcc builds every kind of program without a warning', { skip: canBuild ? false : 'needs gcc on Linux x86_64' }, () => {
  const inputs: (Partial<SimulateInput> & Pick<SimulateInput, 'syscall'>)[] = [
    { syscall: 'clone3', flags: ['CLONE_PIDFD', 'CLONE_VM'], size: 4097, tail: 'nonzero', fields: { pidfd: 'ptr', stack: 'bad', stack_size: 64, set_tid: 'ptr', set_tid_size: 1 } },
    { syscall: 'clone3', argsPointer: 'bad', context: { pidNamespaceLevel: 1, pidsInUse: [3, 4], threads: 2 }, fields: { set_tid: [9], set_tid_size: 1 } },
    { syscall: 'clone', flags: ['CLONE_VM', 'CLONE_SETTLS', 'CLONE_NEWUSER'], fields: { exit_signal: 17, tls: 'bad', stack: 'ptr', child_tid: 'ptr' }, context: { privileged: false, chrooted: true } },
    { syscall: 'clone', kernel: '2.6.24+longarg-rfc', flags: '0x80000011', size: 12, tail: 'nonzero' },
    { syscall: 'unshare', flags: ['CLONE_VM'], context: { sharedVm: true, userNamespaceLevel: 2, isInit: true, pidNamespaceLevel: 1, timeNamespaceForChildren: true, pidNamespaceForChildren: true } },
    { syscall: 'clone3', context: { isInit: true } },
  ];
  const dir = mkdtempSync(join(tmpdir(), 'sysarg-export-c-'));
  try {
    inputs.forEach((input, i) => {
      const file = join(dir, `p${i}.c`);
      writeFileSync(file, program(input));
      const gcc = spawnSync('gcc', ['-Wall', '-Wextra', '-Werror', '-pthread', '-fsyntax-only', file], { encoding: 'utf8' });
      assert.equal(gcc.status, 0, `gcc on ${JSON.stringify(input)}:\n${gcc.stderr}`);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the built program makes the call and prints one result line', { skip: canBuild ? false : 'needs gcc on Linux x86_64' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'sysarg-export-c-'));
  try {
    const run = (input: Partial<SimulateInput> & Pick<SimulateInput, 'syscall'>): { status: number | null; line: string } => {
      const file = join(dir, 'call.c');
      writeFileSync(file, program(input));
      const gcc = spawnSync('gcc', ['-O1', '-pthread', '-o', join(dir, 'call'), file], { encoding: 'utf8' });
      assert.equal(gcc.status, 0, gcc.stderr);
      const out = spawnSync(join(dir, 'call'), [], { encoding: 'utf8', timeout: 30_000 });
      return { status: out.status, line: out.stdout.split('\n').find((l) => l.startsWith('sysarg-result:')) ?? out.stdout };
    };
    const root = process.getuid?.() === 0;
    const ok = run({ syscall: 'clone3', flags: ['CLONE_PIDFD'], fields: { pidfd: 'ptr', exit_signal: 17 } });
    if (root) {
      assert.equal(ok.status, EXPORT_EXIT.made);
      assert.match(ok.line, /^sysarg-result: success pid=\d+ reaped=exit-0 pidfd=yes$/);
      assert.deepEqual(run({ syscall: 'clone3', size: 63 }), { status: 0, line: 'sysarg-result: EINVAL' });
      assert.deepEqual(run({ syscall: 'clone3', size: 96, tail: 'nonzero' }), { status: 0, line: 'sysarg-result: E2BIG' });
    } else {
      assert.equal(ok.status, EXPORT_EXIT.cannot, 'a privileged caller cannot be recreated without root');
      assert.match(ok.line, /^sysarg-result: cannot /);
    }
    const unsupported = run({ syscall: 'clone3', context: { isInit: true } });
    assert.equal(unsupported.status, EXPORT_EXIT.unsupported);
    assert.match(unsupported.line, /^sysarg-result: unsupported /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
