// `sysarg check` through the real binary: baselines (git, files, a patch's preimage), text/JSON/SARIF, exit codes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CheckResult } from '../../core/check-report';
import { RULES } from '../../core/rules/catalog';
import { kernelTreeWith, repoRoot, SEED_PATCH, SEED_TREE, seedMissing } from '../helpers/paths';
import { runCli } from '../helpers/run-cli';
import { KERNEL_TREE_SKELETON } from '../helpers/temp-tree';

const PUBLISHED = '#include <linux/types.h>\n/* sysarg: extensible */\nstruct frob_args {\n\t__aligned_u64 flags;\n\t__aligned_u64 fd;\n};\n#define FROB_ARGS_SIZE_VER0 16\n';
const INSERTED = PUBLISHED.replace('\t__aligned_u64 fd;', '\t__aligned_u64 mode;\n\t__aligned_u64 fd;').replace('VER0 16\n', 'VER0 16\n#define FROB_ARGS_SIZE_VER1 24\n');
const APPENDED = PUBLISHED.replace('\t__aligned_u64 fd;', '\t__aligned_u64 fd;\n\t__aligned_u64 mode;').replace('VER0 16\n', 'VER0 16\n#define FROB_ARGS_SIZE_VER1 24\n');
const noHeaders = existsSync('/usr/include/linux/types.h') ? false : '/usr/include/linux is not installed (linux-libc-dev)';
const noGit = spawnSync('git', ['--version']).error ? 'git is not installed' : false;

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'sysarg-check-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

function check(args: string[], cwd?: string): { status: number | null; result: CheckResult; stderr: string } {
  const run = runCli(['check', '--format', 'json', ...args], { cwd });
  return { status: run.status, result: run.stdout ? JSON.parse(run.stdout) : undefined, stderr: run.stderr };
}

const rules = (result: CheckResult) => result.diagnostics.map((d) => [d.rule, d.line, d.column]);

describe('sysarg check', { skip: noHeaders }, () => {
  it('finds a member inserted mid-struct against the file at git HEAD (the default baseline), and exits 1', { skip: noGit }, () => {
    const dir = dirWith({ 'frob.h': PUBLISHED });
    const git = (...args: string[]) => assert.equal(spawnSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd: dir }).status, 0);
    git('init', '-q');
    git('add', 'frob.h');
    git('commit', '-qm', 'published');
    writeFileSync(join(dir, 'frob.h'), INSERTED);
    const inserted = check(['frob.h'], dir);
    assert.equal(inserted.status, 1, inserted.stderr);
    assert.deepEqual(rules(inserted.result), [['non-tail-insertion', 5, 16]]);
    assert.equal(inserted.result.diagnostics[0].file, 'frob.h', 'paths as given');
    assert.deepEqual(inserted.result.diagnostics[0].fixes, [
      {
        title: "Move 'mode' to the tail of struct frob_args",
        edits: [
          { file: 'frob.h', line: 5, column: 1, endLine: 6, endColumn: 1, newText: '' },
          { file: 'frob.h', line: 7, column: 1, endLine: 7, endColumn: 1, newText: '\t__aligned_u64 mode;\n' },
        ],
      },
    ]);
    assert.deepEqual(inserted.result.summary, { files: 1, errors: 1, warnings: 0, information: 0 });
    writeFileSync(join(dir, 'frob.h'), APPENDED);
    const appended = check(['frob.h'], dir);
    assert.deepEqual([appended.status, appended.result.diagnostics], [0, []], 'an append with its new size version is fine');
    writeFileSync(join(dir, 'frob.h'), INSERTED);
    assert.deepEqual(rules(check(['--baseline', 'none', 'frob.h'], dir).result), [], 'no baseline: nothing to compare');
    const bad = runCli(['check', '--baseline', 'git:no-such-ref', 'frob.h'], { cwd: dir });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^sysarg check: --baseline git:no-such-ref: .*\n$/);
  });

  it('takes an older header or a tree of them as the baseline, structs matched by tag', () => {
    const dir = dirWith({ 'old/frob.h': PUBLISHED, 'new/frob.h': INSERTED });
    for (const baseline of [join(dir, 'old/frob.h'), join(dir, 'old')]) {
      assert.deepEqual(rules(check(['--baseline', baseline, join(dir, 'new/frob.h')]).result), [['non-tail-insertion', 5, 16]]);
    }
    const outside = check([join(dir, 'new/frob.h')]);
    assert.deepEqual([outside.status, outside.result.diagnostics], [0, []], 'no git work tree: no baseline');
  });

  it('--new-only against an older header or tree: the older copy of the same name, or at the same path below it', () => {
    const padded = PUBLISHED.replace('\t__aligned_u64 flags;', '\t__u32 flags;');
    const edited = `/* frob(2) */\n${padded.replace('\t__aligned_u64 fd;', '\t__aligned_u64 mode;\n\t__aligned_u64 fd;')}`;
    const dir = dirWith({ 'old/uapi/frob.h': padded, 'old/other.h': padded, 'new/uapi/frob.h': edited, 'single.h': edited });
    const found = (args: string[]) => {
      const { result } = check(['--new-only', ...args]);
      return [result.diagnostics.map((d) => d.rule), result.summary.unchanged];
    };
    const fresh = [['non-tail-insertion', 'size-ver-missing'], 1];
    assert.deepEqual(found(['--baseline', join(dir, 'old'), join(dir, 'new')]), fresh, 'new/uapi/frob.h against old/uapi/frob.h');
    assert.deepEqual(found(['--baseline', join(dir, 'old'), join(dir, 'new/uapi/frob.h')]), [['implicit-padding', 'non-tail-insertion', 'size-ver-missing'], 0], 'a file named directly: old/frob.h, which is not there');
    assert.deepEqual(found(['--baseline', join(dir, 'old/uapi'), join(dir, 'new/uapi/frob.h')]), fresh, 'old/uapi/frob.h, by its name');
    assert.deepEqual(found(['--baseline', join(dir, 'old/other.h'), join(dir, 'single.h')]), fresh, 'the only input, whatever its name');
    assert.deepEqual(found(['--baseline', 'none', join(dir, 'single.h')]), [['implicit-padding', 'size-ver-missing'], 0], 'no baseline: all of it');
  });

  it("compares a patch with its preimage, in the tree or hunk by hunk without it, and points into the patch", () => {
    const tree = dirWith({ 'include/uapi/frob.h': PUBLISHED });
    const patch = '--- a/include/uapi/frob.h\n+++ b/include/uapi/frob.h\n@@ -2,5 +2,6 @@\n /* sysarg: extensible */\n struct frob_args {\n \t__aligned_u64 flags;\n+\t__aligned_u64 mode;\n \t__aligned_u64 fd;\n };\n';
    const patchPath = join(tree, 'frob.patch');
    writeFileSync(patchPath, patch);
    const inTree = check(['--tree', tree, patchPath]);
    assert.equal(inTree.status, 1);
    const found = inTree.result.diagnostics.find((d) => d.rule === 'non-tail-insertion')!;
    assert.deepEqual([found.file, found.line, found.column], [patchPath, 7, 17], "the + line of 'mode' (one column right of the file's, past the marker)");
    assert.deepEqual(found.related?.[0], { file: join(tree, 'include/uapi/frob.h'), line: 5, column: 16, message: 'in the file as patched' });
    const alone = check(['--tree', dirWith({}), patchPath]);
    assert.ok(alone.result.diagnostics.some((d) => d.rule === 'non-tail-insertion' && d.line === 7), JSON.stringify(alone.result.diagnostics));
  });

  it('judges the shape of a struct a patch adds to a UAPI header, extensible or not; elsewhere, or published, it is left alone', () => {
    const added = '+\n+struct frob_info {\n+\t__u64 mask;\n+\t__u32 fd;\n+};\n';
    const patchFor = (path: string) => `--- a/${path}\n+++ b/${path}\n@@ -5,3 +5,8 @@\n \t__aligned_u64 fd;\n };\n #define FROB_ARGS_SIZE_VER0 16\n${added}`;
    const tree = dirWith({ 'include/uapi/linux/frob.h': PUBLISHED, 'include/frob.h': PUBLISHED });
    const uapi = join(tree, 'uapi.patch');
    writeFileSync(uapi, patchFor('include/uapi/linux/frob.h'));
    const { status, result } = check(['--tree', tree, uapi]);
    assert.equal(status, 0);
    assert.deepEqual(result.diagnostics.map((d) => [d.rule, d.line]), [['implicit-padding', 8], ['compat-layout', 8]], "at the + line of 'struct frob_info'");
    assert.match(result.diagnostics[0].message, /tail padding \(4 bytes on x86_64\).* the struct is new in this UAPI header, so its layout can still be fixed/);
    assert.match(result.diagnostics[1].message, /is 16 bytes on x86_64 and 12 on i386/);
    const internal = join(tree, 'internal.patch');
    writeFileSync(internal, patchFor('include/frob.h'));
    assert.deepEqual(check(['--tree', tree, internal]).result.diagnostics, [], 'not a UAPI header');
    const patched = join(tree, 'include/uapi/linux/frob.h');
    writeFileSync(patched, `${PUBLISHED}\nstruct frob_info {\n\t__u64 mask;\n\t__u32 fd;\n};\n`);
    assert.deepEqual(check(['--baseline', 'none', patched]).result.diagnostics, [], 'with no baseline nothing is known to be new');
    assert.deepEqual(check(['--baseline', patched, patched]).result.diagnostics, [], 'published already');
    // A UAPI header the patch creates: nothing of it was published.
    const created = join(tree, 'created.patch');
    writeFileSync(created, '--- /dev/null\n+++ b/include/uapi/linux/frob_info.h\n@@ -0,0 +1,5 @@\n+#include <linux/types.h>\n+struct frob_info {\n+\t__u64 mask;\n+\t__u32 fd;\n+};\n');
    assert.deepEqual(check(['--tree', tree, created]).result.diagnostics.map((d) => [d.rule, d.line]), [['implicit-padding', 5], ['compat-layout', 5]]);
  });

  it("finds the 2008 RFC's two problems at the mail's lines: one free clone bit left, and a strict size check", { skip: seedMissing }, () => {
    const { status, result } = check(['--tree', SEED_TREE, SEED_PATCH]);
    assert.equal(status, 0, 'no error, a warning');
    assert.deepEqual(result.diagnostics.filter((d) => d.rule !== 'patch').map((d) => [d.rule, d.severity, d.file, d.line]), [
      ['flag-bits-exhausted', 'information', SEED_PATCH, 38],
      ['strict-size-check', 'warning', SEED_PATCH, 103],
    ]);
  });

  it("reads a Linux tree's internal file a patch changes as written: a strict size check there, at the patch's line", () => {
    const tree = dirWith({
      ...KERNEL_TREE_SKELETON,
      'include/uapi/linux/frob.h': PUBLISHED,
      'kernel/frob.c': '#include <linux/frob.h>\n\nSYSCALL_DEFINE2(frob2, struct frob_args __user *, uargs, size_t, size)\n{\n\treturn 0;\n}\n',
    });
    const patch = join(tree, 'frob.patch');
    writeFileSync(patch, '--- a/kernel/frob.c\n+++ b/kernel/frob.c\n@@ -3,4 +3,6 @@\n SYSCALL_DEFINE2(frob2, struct frob_args __user *, uargs, size_t, size)\n {\n+\tif (usize > sizeof(struct frob_args))\n+\t\treturn -E2BIG;\n \treturn 0;\n }\n');
    const { status, result } = check(['--tree', tree, patch]);
    assert.equal(status, 0);
    assert.deepEqual(result.diagnostics.map((d) => [d.rule, d.severity, d.file, d.line]), [
      ['patch', 'information', patch, 1],
      ['strict-size-check', 'warning', patch, 6],
    ]);
    assert.match(result.diagnostics[1].message, /refused outright \(E2BIG\)/);
  });

  it('counts a struct a .c file of the run copies in with copy_struct_from_user() as extensible; a tree\'s .c is read as written', () => {
    // hsmp_message's shape (arch/x86/include/uapi/asm/amd_hsmp.h): nothing in the header says it is versioned.
    const header = '#include <linux/types.h>\nstruct hsmp_message {\n\t__u32 msg_id;\n\t__u16 num_args;\n\t__u16 response_sz;\n\t__u32 args[8];\n\t__u16 sock_ind;\n};\n';
    const source = '#include <linux/platform_device.h>\n#include <asm/amd_hsmp.h>\n\nstatic long hsmp_ioctl(struct file *fp, unsigned int cmd, unsigned long arg)\n{\n\tvoid __user *arguser = (void __user *)arg;\n\tstruct hsmp_message msg = { 0 };\n\n\tif (copy_struct_from_user(&msg, sizeof(msg), arguser, sizeof(struct hsmp_message)))\n\t\treturn -EFAULT;\n\treturn 0;\n}\n';
    const tree = dirWith({
      ...KERNEL_TREE_SKELETON,
      'arch/x86/include/uapi/asm/amd_hsmp.h': header,
      'drivers/platform/x86/amd/hsmp.c': source,
    });
    const hsmp = join(tree, 'arch/x86/include/uapi/asm/amd_hsmp.h');
    assert.deepEqual(check(['--baseline', 'none', hsmp]).result.diagnostics, [], 'the header alone: not an extensible struct');
    const { status, result } = check(['--baseline', 'none', hsmp, join(tree, 'drivers/platform/x86/amd/hsmp.c')]);
    assert.equal(status, 0);
    // The .c file is the kernel's own, not preprocessed: no include errors from it.
    assert.deepEqual(result.diagnostics.map((d) => [d.rule, d.file, d.line]), [['implicit-padding', hsmp, 2]]);
    assert.match(result.diagnostics[0].message, /tail padding \(2 bytes on x86_64 and 2 bytes on i386\)/);
    assert.equal(result.summary.files, 2);
    // The whole tree: its internal files are read one at a time as they are checked; a binary one is said to be one.
    writeFileSync(join(tree, 'drivers/blob.c'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]));
    const whole = check(['--baseline', 'none', tree]);
    assert.deepEqual(whole.result.diagnostics.map((d) => [d.rule, d.file.slice(tree.length)]), [
      ['implicit-padding', '/arch/x86/include/uapi/asm/amd_hsmp.h'],
      ['unreadable-file', '/drivers/blob.c'],
    ]);
    assert.match(whole.result.diagnostics[1].message, /^binary file/);
  });

  it("takes a patch's own kernel code copying a struct in with copy_struct_from_user() as evidence for the header it changes", () => {
    const tree = dirWith({
      ...KERNEL_TREE_SKELETON,
      'include/uapi/linux/frob.h': '#include <linux/types.h>\nstruct frob_args {\n\t__aligned_u64 a;\n\t__aligned_u64 b;\n};\n',
      'kernel/frob.c': '#include <linux/frob.h>\n\nSYSCALL_DEFINE2(frob, struct frob_args __user *, uargs, size_t, usize)\n{\n\tstruct frob_args args;\n\n\treturn 0;\n}\n',
    });
    const header = '--- a/include/uapi/linux/frob.h\n+++ b/include/uapi/linux/frob.h\n@@ -2,4 +2,5 @@\n struct frob_args {\n \t__aligned_u64 a;\n \t__aligned_u64 b;\n+\t__u32 c;\n };\n';
    const code = '--- a/kernel/frob.c\n+++ b/kernel/frob.c\n@@ -3,6 +3,9 @@\n SYSCALL_DEFINE2(frob, struct frob_args __user *, uargs, size_t, usize)\n {\n \tstruct frob_args args;\n+\n+\tif (copy_struct_from_user(&args, sizeof(args), uargs, usize))\n+\t\treturn -EFAULT;\n \n \treturn 0;\n }\n';
    const alone = join(tree, 'header.patch');
    writeFileSync(alone, header);
    assert.deepEqual(check(['--tree', tree, alone]).result.diagnostics, [], 'a published struct, not known to be extensible');
    const both = join(tree, 'both.patch');
    writeFileSync(both, code + header);
    const { result } = check(['--tree', tree, both]);
    assert.deepEqual(result.diagnostics.map((d) => [d.rule, d.line]), [['patch', 1], ['implicit-padding', 16]]);
    assert.match(result.diagnostics[1].message, /tail padding \(4 bytes on x86_64 and 4 bytes on i386\)/);
  });

  it('finds a flag a patch adds on a bit its block of #defines already has (bpf.h-style families, found by evidence)', () => {
    const header = '#define FROB_F_A (1U << 0)\n#define FROB_F_B (1U << 1)\n#define FROB_F_C (1U << 2)\n#define FROB_F_D (1U << 3)\n';
    const tree = dirWith({ 'include/uapi/frob_flags.h': header });
    const patch = join(tree, 'flags.patch');
    writeFileSync(patch, '--- a/include/uapi/frob_flags.h\n+++ b/include/uapi/frob_flags.h\n@@ -2,3 +2,4 @@\n #define FROB_F_B (1U << 1)\n #define FROB_F_C (1U << 2)\n #define FROB_F_D (1U << 3)\n+#define FROB_F_NEW (1U << 1)\n');
    const { status, result } = check(['--tree', tree, patch]);
    assert.equal(status, 1);
    assert.deepEqual(result.diagnostics.map((d) => [d.rule, d.file, d.line, d.column]), [['flag-bit-duplicate', patch, 7, 10]]);
    assert.match(result.diagnostics[0].message, /FROB_F_NEW is bit 1 \(0x2\), already FROB_F_B's/);
    assert.deepEqual(check(['--baseline', 'none', join(tree, 'include/uapi/frob_flags.h')]).result.diagnostics, [], 'with no baseline such families are not judged');
  });

  it('--new-only leaves out what the file at git HEAD had too, lines moved or not; text, JSON and SARIF say so', { skip: noGit }, () => {
    const padded = PUBLISHED.replace('\t__aligned_u64 flags;', '\t__u32 flags;');
    const dir = dirWith({ 'frob.h': padded });
    const git = (...args: string[]) => assert.equal(spawnSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd: dir }).status, 0);
    git('init', '-q');
    git('add', 'frob.h');
    git('commit', '-qm', 'published');
    // A line above the struct (every line moves) and a member inserted mid-struct.
    writeFileSync(join(dir, 'frob.h'), `/* frob(2) */\n${padded.replace('\t__aligned_u64 fd;', '\t__aligned_u64 mode;\n\t__aligned_u64 fd;')}`);
    const all = check(['frob.h'], dir);
    assert.deepEqual(rules(all.result).map(([rule, line]) => [rule, line]), [['implicit-padding', 5], ['non-tail-insertion', 6], ['size-ver-missing', 9]]);
    const onlyNew = check(['--new-only', 'frob.h'], dir);
    assert.equal(onlyNew.status, 1, 'new errors');
    assert.deepEqual(rules(onlyNew.result).map(([rule, line]) => [rule, line]), [['non-tail-insertion', 6], ['size-ver-missing', 9]], 'the hole after flags was published');
    assert.deepEqual(onlyNew.result.summary, { files: 1, errors: 2, warnings: 0, information: 0, unchanged: 1 });
    const text = runCli(['check', '--new-only', 'frob.h'], { cwd: dir });
    assert.match(text.stdout, /\n1 file checked: 2 errors, 0 warnings, 0 information \(1 finding the earlier versions had too, not shown\)\n$/);
    const sarif = JSON.parse(runCli(['check', '--new-only', '--format', 'sarif', 'frob.h'], { cwd: dir }).stdout);
    assert.deepEqual(sarif.runs[0].results.map((r: { ruleId: string; baselineState: string }) => [r.ruleId, r.baselineState]), [['non-tail-insertion', 'new'], ['size-ver-missing', 'new']]);
    assert.equal(JSON.parse(runCli(['check', '--format', 'sarif', 'frob.h'], { cwd: dir }).stdout).runs[0].results[0].baselineState, undefined, 'not compared');
    // Only the published hole left: nothing new, exit 0.
    writeFileSync(join(dir, 'frob.h'), `/* frob(2) */\n${padded}`);
    const same = check(['--new-only', 'frob.h'], dir);
    assert.deepEqual([same.status, same.result.diagnostics, same.result.summary.unchanged], [0, [], 1]);
    // A file git does not have: all of it is new.
    writeFileSync(join(dir, 'other.h'), padded.replace(/frob/g, 'other').replace(/FROB/g, 'OTHER'));
    assert.deepEqual(rules(check(['--new-only', 'other.h'], dir).result).map(([rule]) => rule), ['implicit-padding']);
  });

  it("--new-only compares a patch's files with their preimages, a tree's internal .c file too", () => {
    const padded = PUBLISHED.replace('\t__aligned_u64 flags;', '\t__u32 flags;');
    const fork = '#include <linux/frob.h>\n\nSYSCALL_DEFINE2(frob2, struct frob_args __user *, uargs, size_t, size)\n{\n\tif (size > sizeof(struct frob_args))\n\t\treturn -EINVAL;\n\treturn 0;\n}\n';
    const tree = dirWith({ ...KERNEL_TREE_SKELETON, 'include/uapi/linux/frob.h': padded, 'kernel/frob.c': fork });
    const patch = join(tree, 'frob.patch');
    writeFileSync(
      patch,
      '--- a/include/uapi/linux/frob.h\n+++ b/include/uapi/linux/frob.h\n@@ -5,3 +5,4 @@\n \t__aligned_u64 fd;\n+\t__aligned_u64 mode;\n };\n #define FROB_ARGS_SIZE_VER0 16\n' +
        '--- a/kernel/frob.c\n+++ b/kernel/frob.c\n@@ -6,3 +6,5 @@\n \t\treturn -EINVAL;\n+\tif (size > sizeof(struct frob_args))\n+\t\treturn -E2BIG;\n \treturn 0;\n }\n',
    );
    const seen = (args: string[]) => check(['--tree', tree, ...args, patch]).result.diagnostics.filter((d) => d.rule !== 'patch');
    const all = seen([]);
    assert.deepEqual(all.map((d) => [d.rule, d.file === patch]), [['implicit-padding', false], ['size-ver-missing', true], ['strict-size-check', false], ['strict-size-check', true]], JSON.stringify(all));
    const onlyNew = seen(['--new-only']);
    assert.deepEqual(onlyNew.map((d) => [d.rule, d.file, d.line]), [['size-ver-missing', patch, 7], ['strict-size-check', patch, 12]], 'the preimages had the hole and the first check');
  });

  const drmTree = kernelTreeWith('include/uapi/drm/drm.h', 'include/uapi/linux/types.h');
  it("--new-only shows what a patch adding an ioctl to 6.1's drm.h adds, not the legacy structs' findings", { skip: drmTree ? false : "6.1's include/uapi is not unpacked (apt-get install linux-source-6.1; see .ci/run)" }, () => {
    const patch = join(dirWith({}), 'drm-frob.patch');
    writeFileSync(
      patch,
      '--- a/include/uapi/drm/drm.h\n+++ b/include/uapi/drm/drm.h\n@@ -1117,4 +1117,11 @@\n #define DRM_IOCTL_MODE_GETFB2\t\tDRM_IOWR(0xCE, struct drm_mode_fb_cmd2)\n+\n+struct drm_frob {\n+\t__u32 handle;\n+\tvoid *data;\n+};\n+\n+#define DRM_IOCTL_FROB\t\t\tDRM_IOWR(0xCF, struct drm_frob)\n \n /*\n  * Device specific ioctls should only be in their respective headers\n',
    );
    const all = check(['--tree', drmTree!, patch]).result;
    const inPatch = all.diagnostics.filter((d) => d.file === patch);
    assert.deepEqual(inPatch.map((d) => [d.rule, d.line]), [['implicit-padding', 7], ['compat-layout', 8], ['arch-dependent-type', 8]]);
    assert.ok(all.summary.warnings > 70, `drm.h's own: ${all.summary.warnings}`);
    const onlyNew = check(['--new-only', '--tree', drmTree!, patch]);
    assert.equal(onlyNew.status, 0);
    assert.deepEqual(onlyNew.result.diagnostics, inPatch);
    assert.deepEqual(onlyNew.result.summary, { files: 1, errors: 0, warnings: 3, information: 0, unchanged: all.summary.warnings - 3 });
  });

  it('writes SARIF 2.1.0 with every rule and each result at its place', () => {
    const dir = dirWith({ 'old.h': PUBLISHED, 'new.h': INSERTED });
    const run = runCli(['check', '--format', 'sarif', '--baseline', join(dir, 'old.h'), join(dir, 'new.h')]);
    assert.equal(run.status, 1);
    const sarif = JSON.parse(run.stdout);
    assert.equal(sarif.version, '2.1.0');
    const [only] = sarif.runs;
    assert.equal(only.tool.driver.name, 'sysarg');
    const ids = only.tool.driver.rules.map((r: { id: string }) => r.id);
    for (const id of Object.keys(RULES)) assert.ok(ids.includes(id), id);
    assert.deepEqual(only.results.map((r: { ruleId: string; level: string; locations: { physicalLocation: { region: { startLine: number } } }[]; ruleIndex: number }) => [r.ruleId, r.level, r.locations[0].physicalLocation.region.startLine, ids[r.ruleIndex]]), [['non-tail-insertion', 'error', 5, 'non-tail-insertion']]);
    // The quick fix, as SARIF's fix: the member's line taken out and written again at the tail, in new.h.
    const json = check(['--baseline', join(dir, 'old.h'), join(dir, 'new.h')]).result.diagnostics[0].fixes?.[0];
    const [fix] = only.results[0].fixes;
    assert.equal(fix.description.text, json?.title);
    assert.match(fix.description.text, /^Move 'mode' to the tail of struct frob_args$/);
    assert.deepEqual(fix.artifactChanges.map((c: { artifactLocation: { uri: string } }) => c.artifactLocation.uri), [join(dir, 'new.h')]);
    assert.deepEqual(
      fix.artifactChanges[0].replacements.map((r: { deletedRegion: { startLine: number; startColumn: number; endLine: number; endColumn: number }; insertedContent: { text: string } }) => [r.deletedRegion.startLine, r.deletedRegion.endLine, r.insertedContent.text]),
      json?.edits.map((e) => [e.line, e.endLine, e.newText]),
    );
  });

  it('prints gcc-style lines and a summary; sched.h has two findings and no error', () => {
    const run = runCli(['check', '/usr/include/linux/sched.h']);
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout.trim().split('\n');
    assert.match(lines[0], /^\/usr\/include\/linux\/sched\.h:34:9: information: .* \[flag-bits-exhausted\]$/);
    assert.match(lines[1], /^\/usr\/include\/linux\/sched\.h:44:9: warning: .* \[flag-bit-overlap\]$/);
    assert.equal(lines[2], '1 file checked: 0 errors, 1 warning, 1 information');
  });

  it('documents every rule it reports in docs/rules.md', () => {
    const doc = readFileSync(join(repoRoot, 'docs', 'rules.md'), 'utf8');
    for (const id of Object.keys(RULES)) assert.ok(doc.includes(`id="${id}"`), `docs/rules.md has no anchor for ${id}`);
  });

  it('refuses bad arguments with one line and exit code 2', () => {
    for (const [args, message] of [
      [['--format', 'xml', '/usr/include/linux/sched.h'], /--format must be text, json or sarif/],
      [['--baseline', '/no/such/dir', '/usr/include/linux/sched.h'], /no such file or directory/],
      [[], /no input files/],
      [['--new-only=yes', '/usr/include/linux/sched.h'], /option --new-only takes no value/],
    ] as const) {
      const run = runCli(['check', ...args]);
      assert.equal(run.status, 2, args.join(' '));
      assert.match(run.stderr, message);
      assert.equal(run.stderr.trim().split('\n').length, 1);
    }
  });
});
