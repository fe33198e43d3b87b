// Which records are extensible syscall args: annotations, SIZE_VER families on member ends, kernel-doc, a leading size.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { nodeFileHost } from '../../cli/node-host';
import { SourceCache } from '../../core/c/source-cache';
import { analyzeDocument } from '../../core/document-analysis';
import { saysAppendOnly, saysExtensible } from '../../core/extensible';
import { structShapeFindings } from '../../core/rules/struct-shape';
import { analysisOf } from '../helpers/memory-host';
import { kernelTreeWith } from '../helpers/paths';

const TYPES = 'typedef unsigned int __u32; typedef unsigned long long __u64;\n';
const noUapi = existsSync('/usr/include/linux/sched.h') ? false : '/usr/include/linux is not installed (linux-libc-dev)';

function classify(text: string): Record<string, { extensible: boolean; reasons: string[]; versions: number[]; appendOnly?: string }> {
  const analysis = analysisOf(TYPES + text);
  return Object.fromEntries(
    analysis.records.map((r) => [r.name, { extensible: r.extensible.extensible, reasons: r.extensible.reasons, versions: r.extensible.sizeVersions.map((v) => v.value), ...(r.extensible.appendOnly ? { appendOnly: r.extensible.appendOnly } : {}) }]),
  );
}

describe('extensible struct detection', () => {
  it('follows the sysarg annotation, including fixed and the size-macro option', () => {
    const out = classify(`/* sysarg: extensible size-macro=XA_SIZE_VER since=6.8 */
struct xa { __u64 a; __u64 b; };
#define XA_SIZE_VER0 8
#define XA_SIZE_VER1 16
/*
 * struct fx - versioned by size, but:
 * sysarg: fixed
 */
struct fx { __u32 size; __u32 v; };
`);
    assert.deepEqual(out.xa, { extensible: true, reasons: ["annotated 'sysarg: extensible'"], versions: [8, 16] });
    assert.equal(out.fx.extensible, false);
  });

  it('finds a SIZE_VER family by name or by member ends, with values given as expressions', () => {
    const out = classify(`struct clone_args { __u64 flags; __u64 pidfd; __u64 cgroup; };
#define CLONE_ARGS_SIZE_VER0 8
#define CLONE_ARGS_SIZE_VER1 (2 * sizeof(__u64))
struct perf_event_attr { __u32 type; __u32 size; __u64 config; };
#define PERF_ATTR_SIZE_VER0 16
struct plain { __u64 x; };
`);
    assert.deepEqual(out.clone_args.versions, [8, 16]);
    assert.match(out.clone_args.reasons[0], /CLONE_ARGS_SIZE_VER<n> values fall on member ends/);
    assert.deepEqual(out.perf_event_attr.versions, [16]);
    assert.equal(out.plain.extensible, false);
  });

  it('takes kernel-doc wording and a leading size member as evidence', () => {
    const out = classify(`/**
 * struct oa - open arguments. This struct is extensible.
 */
struct oa { __u64 flags; };
/*
 * This structure has a variable size, which is to be recorded
 * in the size member. All other members a to be put after this.
 * Never ... No. Always add new members only at its tail.
 */

struct long_clone_arg {
	int size;
};
struct sized_later { __u32 x; __u32 size; };
struct esp_replay_bmp {
	__u32 size;
};
struct lone_said { __u32 size; /* the structure size, for later fields */ };
/* extensible setup data list node */
struct setup_data { __u64 next; __u32 type; __u32 len; };
/* Extensible arguments: new fields go at the end. */
struct ea { __u64 flags; };
`);
    assert.ok(out.oa.extensible);
    assert.match(out.oa.reasons[0], /comment says/);
    assert.ok(out.long_clone_arg.extensible);
    assert.match(out.long_clone_arg.reasons[0], /only member is 'size', and its comment says members are to come after it/);
    assert.equal(out.sized_later.extensible, false);
    assert.equal(out.esp_replay_bmp.extensible, false, "rdma's one-member struct: a bitmap's size, nothing says the struct grows");
    assert.match(out.lone_said.reasons[0] ?? '', /as its comment says \("the structure size, for later fields"\)/);
    assert.equal(out.setup_data.extensible, false, "x86's boot protocol list node: 'extensible' says nothing of the struct");
    assert.equal(out.ea.appendOnly, undefined, 'an extensible struct is not said to be append-only as well');
    assert.ok(out.ea.extensible, '"extensible" said of the arguments');
  });

  it('tells a struct whose comment says it grows only at its end as append-only, not as a syscall argument', () => {
    const out = classify(`/* user accessible mirror of in-kernel sk_buff.
 * new fields can only be added to the end of this structure
 */
struct __sk_buff { __u32 len; };
/*
 * Fields are zero when empty.
 * Only add new fields to the end of the structure
 */
struct mce { __u64 status; };
/* User accessible data for SK_LOOKUP programs. Add new fields at the end. */
struct bpf_sk_lookup { __u32 family; };
/* Entries are added at the end of the list. */
struct node { __u32 next; };
/* New bits go in the flags member; new fields at the end of the ioctl's buffer. */
struct buf { __u32 flags; };
`);
    for (const tag of ['__sk_buff', 'mce', 'bpf_sk_lookup']) {
      assert.equal(out[tag].extensible, false, tag);
      assert.equal(out[tag].appendOnly, 'its comment says new members go at its end', tag);
    }
    assert.equal(out.node.appendOnly, undefined, 'entries of a list');
    assert.equal(out.buf.appendOnly, undefined, "the end of a buffer, not the struct's");
  });

  it("reads comments' phrases sentence by sentence as the expressions with [^.]* did, on every comment of the installed UAPI headers", { skip: noUapi }, () => {
    // The expressions saysExtensible and saysAppendOnly replaced (quadratic over a long sentence), as the oracle.
    const evidence = /versioned by (?:its )?size|\b(?:struct(?:ure)?|arg(?:ument)?s?|size[ds]?)\b[^.]*\bextensible\b|\bextensible\b[^.]*\b(?:struct(?:ure)?|arg(?:ument)?s?|size[ds]?)\b/i;
    const appendOnly = /\b(?:new|add(?:ing|ed)?)\b[^.]*\b(?:fields?|members?|entries)\b[^.]*\b(?:at|to)\s+(?:the|its)\s+(?:end|tail)\b(?!\s+of\s+the\s+(?:list|array|buffer|file|frame|area|ioctl))/i;
    let comments = 0;
    const said = { extensible: 0, appendOnly: 0 };
    for (const file of readdirSync('/usr/include/linux').filter((f) => f.endsWith('.h'))) {
      for (const [comment] of readFileSync(join('/usr/include/linux', file), 'utf8').matchAll(/\/\*[^]*?\*\//g)) {
        comments++;
        assert.equal(saysExtensible(comment), evidence.test(comment), `${file}: ${comment}`);
        assert.equal(saysAppendOnly(comment), appendOnly.test(comment), `${file}: ${comment}`);
        said.extensible += Number(evidence.test(comment));
        said.appendOnly += Number(appendOnly.test(comment));
      }
    }
    assert.ok(comments > 10_000 && said.extensible > 0 && said.appendOnly > 0, JSON.stringify({ comments, ...said }));
    for (const text of ['New members go in front. Fields at the end', 'add fields, at the end of the list', 'the end: new fields at', 'Add new entries to the tail. Extensible struct.']) {
      assert.equal(saysAppendOnly(text), appendOnly.test(text), text);
      assert.equal(saysExtensible(text), evidence.test(text), text);
    }
  });

  it('finds the phrases of a long comment without a period in their order, or not at all', () => {
    const words = (word: string) => `${word} `.repeat(2_000);
    assert.equal(saysExtensible(`/* ${words('struct n {')} */`), false);
    assert.equal(saysExtensible(`/* ${words('struct n {')} extensible */`), true);
    assert.equal(saysAppendOnly(`/* ${words('new member')} */`), false);
    assert.equal(saysAppendOnly(`/* ${words('new member')} at the end */`), true);
    assert.equal(saysAppendOnly(`/* ${words('new member')}. at the end */`), false, 'another sentence');
    assert.equal(saysAppendOnly(`/* at the end ${words('member new')} */`), false, 'the end before the members');
  });

  it('takes a struct a DRM ioctl passes as extensible: drm_ioctl() zero-extends it', () => {
    const drm = `#define DRM_IOCTL_BASE 'd'
#define DRM_IOWR(nr, type) _IOWR(DRM_IOCTL_BASE, nr, type)
#define DRM_IOW(nr, type) _IOW(DRM_IOCTL_BASE, nr, type)
#define DRM_COMMAND_BASE 0x40
struct drm_frob_create { __u64 size; __u32 handle; __u32 pad; };
struct drm_frob_wait { __u32 handle; __u32 flags; };
struct drm_frob_other { __u32 x; };
struct drm_frob_macro { __u32 y; };
#define DRM_IOCTL_FROB_CREATE DRM_IOWR(DRM_COMMAND_BASE + 0x00, struct drm_frob_create)
#define DRM_IOCTL_FROB_WAIT\tDRM_IOW(DRM_COMMAND_BASE + 0x01, /* in */ struct drm_frob_wait)
#define FROB_IOCTL(n) DRM_IOWR(n, struct drm_frob_macro)
`;
    const out = classify(drm);
    assert.deepEqual(out.drm_frob_create.reasons, ['DRM_IOCTL_FROB_CREATE passes it, and drm_ioctl() zero-extends a shorter one (botching-up-ioctls.rst: new fields at the end)']);
    assert.ok(out.drm_frob_wait.extensible, 'a comment in the macro');
    assert.equal(out.drm_frob_other.extensible, false, 'no ioctl passes it');
    assert.equal(out.drm_frob_macro.extensible, false, 'a function-like macro is no ioctl');
    const noDrm = classify(drm.replace(/DRM_IOWR\(nr, type\)/, 'OTHER_IOWR(nr, type)'));
    assert.equal(noDrm.drm_frob_create.extensible, false, "without drm.h's DRM_IOWR");
  });

  it("takes a leading 'size' as evidence only where its comment says it is the struct's own size", () => {
    const out = classify(`struct xattr_out { __u32 size; __u32 padding; };
struct conninfo {
	__u32 size;		/* Size of the structure from the kernel's */
				/* point of view. */
	__u32 busnum;
};
/**
 * struct sattr - scheduling attributes
 * @size		size of the structure, for fwd/bwd compat.
 * @policy	the policy
 */
struct sattr { __u32 size; __u32 policy; };
struct before {
	/* sizeof(struct before), set by the caller */
	__u32 size;
	__u32 x;
};
struct policy_id {
	__u32 size;	/* size of the structure including real id[] length */
	__u32 x;
	char id[0];
};
struct ptr_size { __u32 *size; __u32 x; };
struct next_says { __u32 size; /* of the data */ /* structure size */ __u32 x; };
`);
    assert.equal(out.xattr_out.extensible, false, 'a size that counts something else');
    assert.deepEqual(out.conninfo.reasons, [`its first member 'size' is the struct's own size, as its comment says ("Size of the structure from the kernel's point of view.")`]);
    assert.match(out.sattr.reasons[0], /as its comment says \("size of the structure, for fwd\/bwd compat\."\)$/);
    assert.match(out.before.reasons[0], /"sizeof\(struct before\), set by the caller"/);
    assert.equal(out.policy_id.extensible, false, 'a size that measures a flexible array');
    assert.equal(out.ptr_size.extensible, false, 'a pointer is no size');
    assert.equal(out.next_says.extensible, true, 'every comment between the member and the next one is read');
  });
});

const DRM_TREE = kernelTreeWith('include/uapi/drm/drm.h', 'include/uapi/drm/drm_mode.h', 'include/uapi/drm/i915_drm.h');

describe('DRM ioctl structs of Linux 6.1', { skip: DRM_TREE ? false : 'no Linux 6.1 tree with its UAPI headers (apt-get install linux-source-6.1; see .ci/run)' }, () => {
  it("counts every struct a DRM ioctl passes as extensible, and finds drm_mode_fb_cmd2's i386 layout, for which drm_ioc32.c has a compat handler", () => {
    const tree = DRM_TREE as string;
    const cache = new SourceCache(nodeFileHost);
    const analysis = (header: string) => analyzeDocument(cache, cache.get(join(tree, 'include/uapi/drm', header))!, ['x86_64', 'i386'], {});
    const mode = analysis('drm_mode.h');
    const fb = mode.records.find((r) => r.name === 'drm_mode_fb_cmd2');
    assert.deepEqual(fb?.extensible.reasons, ['DRM_IOCTL_MODE_ADDFB2 passes it, and drm_ioctl() zero-extends a shorter one (botching-up-ioctls.rst: new fields at the end)'], "drm.h's ioctl, drm_mode.h's struct");
    const compat = structShapeFindings(mode).filter((f) => f.code === 'compat-layout' && f.severity === 'warning');
    assert.ok(compat.some((f) => /^struct drm_mode_fb_cmd2 is 104 bytes on x86_64 and 100 on i386; 'modifier' is at 72/.test(f.message)), compat.map((f) => f.message).join('\n'));
    const i915 = analysis('i915_drm.h');
    assert.ok(i915.records.find((r) => r.name === 'drm_i915_gem_create')?.extensible.extensible);
    assert.equal(i915.records.find((r) => r.name === 'drm_i915_gem_relocation_entry')?.extensible.extensible, false, 'an array element, passed by pointer, no ioctl of its own');
  });
});
