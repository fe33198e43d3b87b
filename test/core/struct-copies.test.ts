// The structs kernel code copies in with copy_struct_from_user(), read from .c text, and what they make extensible.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SourceCache } from '../../core/c/source-cache';
import { analyzeDocument } from '../../core/document-analysis';
import { copiedStructsOf, structCopies } from '../../core/struct-copies';
import { memoryHost } from '../helpers/memory-host';
import { kernelTreeWith } from '../helpers/paths';

const tags = (path: string, text: string) => structCopies(path, text).map((c) => `${c.tag}@${c.line}:${c.column}`);

describe('structs copied in with copy_struct_from_user()', () => {
  it('tells the struct by a local, a parameter pointer, a member or sizeof(struct ...)', () => {
    const text = `struct io_open { struct file *file; struct open_how how; };
static int copy_args(struct kernel_args *kargs, struct frob_args __user *uargs, size_t usize)
{
\tstruct frob_args args;
\tint err = copy_struct_from_user(&args, sizeof(args), uargs, usize);
\treturn err;
}
static int copy_attr(struct sched_attr __user *uattr, struct sched_attr *attr, size_t size)
{
\treturn copy_struct_from_user(attr, sizeof(*attr), uattr, size);
}
static int prep(struct io_open *open, void __user *how, size_t len)
{
\treturn copy_struct_from_user(&open->how, sizeof(open->how), how, len);
}
static long ioctl(void __user *arguser)
{
\tif (copy_struct_from_user(buffer, sizeof(struct hsmp_message), arguser, 44))
\t\treturn -EFAULT;
\treturn copy_min_struct_from_user(&(rs), sizeof(rs), offsetofend(struct landlock_ruleset_attr, x), arguser, 8);
}
`;
    // rs is not declared: the landlock-shaped call tells nothing, and says nothing.
    assert.deepEqual(tags('kernel/frob.c', text), ['frob_args@5:12', 'sched_attr@10:9', 'open_how@14:9', 'hsmp_message@18:6']);
  });

  it("takes bpf's tail check, bpf_check_uarg_tail_zero(UADDR, KSIZE, USIZE), by its sizeof, unions too", () => {
    const text = `static int map_get_info(struct bpf_map *map, union bpf_attr __user *uattr, u32 info_len)
{
\tstruct bpf_map_info info;
\terr = bpf_check_uarg_tail_zero(USER_BPFPTR(uinfo), sizeof(info), info_len);
}
static int __sys_bpf(int cmd, bpfptr_t uattr, unsigned int size)
{
\tunion bpf_attr attr;
\terr = bpf_check_uarg_tail_zero(uattr, sizeof(attr), size);
\terr = bpf_check_uarg_tail_zero(uattr, len, size);
}
`;
    // The third passes its size in a variable: nothing. The user's address (uattr, a union bpf_attr pointer in the
    // first function) is not what the kernel's size is of, so it is not read.
    const copies = structCopies('kernel/bpf/syscall.c', text);
    assert.deepEqual(copies.map((c) => `${c.kind} ${c.tag}@${c.line} ${c.checksTail}`), ['struct bpf_map_info@4 true', 'union bpf_attr@9 true']);
    assert.deepEqual(structCopies('kernel/frob.c', 'int f(void) { union frob_attr a; return copy_struct_from_user(&a, sizeof(a), u, n); }').map((c) => `${c.kind} ${c.tag} ${c.checksTail}`), ['union frob_attr false']);
  });

  it('finds nothing in a helper copying a void pointer, in comments, strings, definitions or an unclosed call', () => {
    const text = `/* copy_struct_from_user(&args, sizeof(args), u, n) in a comment */
static const char *s = "copy_struct_from_user(&args, sizeof(args), u, n)";
static int copy_min_struct_from_user(void *const dst, const size_t ksize, const void __user *src, size_t usize)
{
\treturn copy_struct_from_user(dst, ksize, src, usize);
}
int broken(void) { struct frob_args args; return copy_struct_from_user(&args, sizeof(args)`;
    assert.deepEqual(tags('kernel/helper.c', text), []);
  });

  it('keeps the first call of each struct, files in the order given, and names the other files copying it', () => {
    const first = structCopies('fs/open.c', 'int f(void) { struct open_how tmp; return copy_struct_from_user(&tmp, sizeof(tmp), u, n); }');
    const second = structCopies('io_uring/openclose.c', 'int g(struct open_how *how) { return copy_struct_from_user(how, sizeof(*how), u, n); }');
    const copied = copiedStructsOf([first, second]);
    assert.deepEqual([...copied.keys()], ['open_how']);
    assert.equal(copied.get('open_how')?.path, 'fs/open.c');
    assert.deepEqual(copied.get('open_how')?.alsoIn, ['io_uring/openclose.c']);
    assert.equal(copiedStructsOf([first]).get('open_how')?.alsoIn, undefined);
  });

  it('makes a union extensible by a tail check, and not a struct of the same tag', () => {
    const header = 'typedef unsigned int __u32;\nunion bpf_attr { struct { __u32 map_type; __u32 key_size; }; __u32 prog_fd; };\nstruct other { __u32 x; };\n';
    const cache = new SourceCache(memoryHost({ '/t/bpf.h': header }));
    const source = cache.get('/t/bpf.h')!;
    const bpfCopies = structCopies('kernel/bpf/syscall.c', 'int f(void) { union bpf_attr attr; return bpf_check_uarg_tail_zero(uattr, sizeof(attr), size); }');
    const copied = analyzeDocument(cache, source, ['x86_64'], { nostdinc: true, copiedStructs: copiedStructsOf([bpfCopies]) });
    assert.deepEqual(copied.records[0].extensible.reasons, ['kernel code accepts a larger one whose tail is zero with bpf_check_uarg_tail_zero() (kernel/bpf/syscall.c:1)']);
    const asStruct = structCopies('kernel/x.c', 'int f(void) { struct other o; return copy_struct_from_user(&o, sizeof(o), u, n); }').map((c) => ({ ...c, kind: 'union' as const }));
    const mismatched = analyzeDocument(cache, source, ['x86_64'], { nostdinc: true, copiedStructs: copiedStructsOf([asStruct]) });
    assert.equal(mismatched.records[1].extensible.extensible, false, 'a copy of union other says nothing of struct other');
  });

  it('makes a struct extensible, with the call as the reason, where nothing else would', () => {
    const header = 'typedef unsigned int __u32; typedef unsigned short __u16;\nstruct hsmp_message { __u32 msg_id; __u16 num_args; __u16 response_sz; __u32 args[8]; __u16 sock_ind; };\n';
    const cache = new SourceCache(memoryHost({ '/t/amd_hsmp.h': header }));
    const source = cache.get('/t/amd_hsmp.h')!;
    const plain = analyzeDocument(cache, source, ['x86_64'], { nostdinc: true });
    assert.equal(plain.records[0].extensible.extensible, false);
    const copiedStructs = copiedStructsOf([structCopies('drivers/hsmp.c', 'long f(void) { struct hsmp_message msg; return copy_struct_from_user(&msg, sizeof(msg), u, n); }')]);
    const copied = analyzeDocument(cache, source, ['x86_64'], { nostdinc: true, copiedStructs });
    assert.equal(copied.records[0].extensible.extensible, true);
    assert.deepEqual(copied.records[0].extensible.reasons, ['kernel code copies it in with copy_struct_from_user() (drivers/hsmp.c:1)']);
  });
});

const TREE = kernelTreeWith('kernel/fork.c', 'fs/open.c');
const skipTree = TREE ? false : "no Linux 6.1 tree with its .c files (apt-get install linux-source-6.1; see .ci/run)";

describe('copy_struct_from_user() over Linux 6.1', { skip: skipTree }, () => {
  it('finds every struct the tree copies in that way, and nothing else', () => {
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.c')) for (const c of structCopies(path.slice((TREE as string).length + 1), readFileSync(path, 'utf8'))) found.push(`${c.tag} ${c.path}:${c.line}`);
      }
    };
    walk(TREE as string);
    // Every call `grep -rn 'copy_\(min_\)\?struct_from_user *(' --include=*.c` shows in 6.1 but three: landlock's helper
    // (its definition and the call in it, on a void pointer) and lib/test_user_copy.c's tests of the call on buffers;
    // and the 5 of bpf_check_uarg_tail_zero()'s 10 calls whose size is a sizeof (the others pass a variable).
    assert.deepEqual(found.sort(), [
      'bpf_attr kernel/bpf/syscall.c:5060',
      'bpf_btf_info kernel/bpf/syscall.c:4355',
      'bpf_iter_link_info kernel/bpf/bpf_iter.c:529',
      'bpf_link_info kernel/bpf/syscall.c:4373',
      'bpf_map_info kernel/bpf/syscall.c:4311',
      'clone_args kernel/fork.c:2946',
      'hsmp_message drivers/platform/x86/amd/hsmp.c:264',
      'landlock_ruleset_attr security/landlock/syscalls.c:203',
      'mount_attr fs/namespace.c:4464',
      'open_how fs/open.c:1369',
      'open_how io_uring/openclose.c:89',
      'perf_event_attr kernel/events/core.c:12102',
      'sched_attr kernel/sched/core.c:7923',
      'seccomp_notif_addfd kernel/seccomp.c:1607',
      'ssam_cdev_event_desc drivers/platform/surface/surface_aggregator_cdev.c:411',
      'ssam_cdev_event_desc drivers/platform/surface/surface_aggregator_cdev.c:439',
      'ssam_cdev_notifier_desc drivers/platform/surface/surface_aggregator_cdev.c:378',
      'ssam_cdev_notifier_desc drivers/platform/surface/surface_aggregator_cdev.c:393',
      'ssam_cdev_request drivers/platform/surface/surface_aggregator_cdev.c:266',
      'user_reg kernel/trace/trace_events_user.c:1583',
    ]);
  });
});
