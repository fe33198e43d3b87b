// The kernel's own extensions, replayed on the installed UAPI headers: what Linux did right draws no error or warning,
// and the mistakes the rules exist for are caught in the same structs.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { SourceCache } from '../../../core/c/source-cache';
import { analyzeDocument } from '../../../core/document-analysis';
import { baselineOf } from '../../../core/published-records';
import { documentRules } from '../../../core/rules/document-rules';
import { nodeFileHost } from '../../../cli/node-host';

const SCHED = '/usr/include/linux/sched.h';
const PERF = '/usr/include/linux/perf_event.h';
const SCHED_TYPES = '/usr/include/linux/sched/types.h';
const LANDLOCK = '/usr/include/linux/landlock.h';
const missing = [SCHED, PERF, SCHED_TYPES, LANDLOCK].every((path) => existsSync(path)) ? false : '/usr/include/linux is not installed (linux-libc-dev)';

/**
 * The rules' findings on `now` (the text at `path`) against `then` (an earlier text of it; null: the file is new, nothing
 * of it published), codes with the text they point at.
 */
function compare(path: string, then: string | null, now: string) {
  const analyse = (text: string) => {
    const cache = new SourceCache(nodeFileHost);
    return { cache, analysis: analyzeDocument(cache, cache.setText(path, text), ['x86_64', 'i386'], {}) };
  };
  const published = then === null ? { records: [], complete: true } : baselineOf(analyse(then).analysis);
  const { cache, analysis } = analyse(now);
  return documentRules(analysis, cache, published).findings.map((f) => [f.code, f.severity, f.span.file.text.slice(f.span.start, f.span.end).split('\n')[0]]);
}

/** `text` with each of `edits` made (each must be there once). */
function edited(text: string, edits: [string | RegExp, string][]): string {
  for (const [from, to] of edits) {
    const next = text.replace(from, to);
    assert.notEqual(next, text, `${String(from)} is not in the header`);
    text = next;
  }
  return text;
}

describe('the rules on the kernel\'s own extensions (installed UAPI headers)', { skip: missing }, () => {
  const sched = missing ? '' : readFileSync(SCHED, 'utf8');
  const perf = missing ? '' : readFileSync(PERF, 'utf8');
  // clone_args as 5.3 published it: eight members, one size version.
  const clone53 = missing ? '' : edited(sched, [[/\t__aligned_u64 set_tid;\n\t__aligned_u64 set_tid_size;\n\t__aligned_u64 cgroup;\n/, ''], [/#define CLONE_ARGS_SIZE_VER1 80.*\n#define CLONE_ARGS_SIZE_VER2 88.*\n/, '']]);
  // perf_event_attr as 5.12 had it: before inherit_thread, remove_on_exec and sigtrap took bits of __reserved_1, and sig_data came.
  const perf512 = missing ? '' : edited(perf, [[/\t+inherit_thread :  1,.*\n\t+remove_on_exec :  1,.*\n\t+sigtrap        :  1,.*\n/, ''], ['__reserved_1   : 26', '__reserved_1   : 29'], [/\t__u64\tsig_data;\n/, ''], [/#define PERF_ATTR_SIZE_VER7.*\n/, '']]);

  it('clone_args from 5.3 to 6.1 (set_tid, set_tid_size, cgroup appended with their size versions): nothing but the flag words', () => {
    const found = compare(SCHED, clone53, sched);
    assert.deepEqual(found.filter(([code]) => !String(code).startsWith('flag-')), []);
  });

  it('perf_event_attr from 5.12 to 6.1 (three bits of __reserved_1 given a meaning, sig_data appended): information only', () => {
    assert.deepEqual(compare(PERF, perf512, perf), [
      ['reserved-field-consumed', 'information', 'inherit_thread'],
      ['reserved-field-consumed', 'information', 'remove_on_exec'],
      ['reserved-field-consumed', 'information', 'sigtrap'],
    ]);
  });

  it('sched_attr from 4.19 to 6.1 (sched_util_min and sched_util_max appended, SCHED_ATTR_SIZE_VER1): nothing', () => {
    const types = readFileSync(SCHED_TYPES, 'utf8');
    const then = edited(types, [[/\t__u32 sched_util_min;\n\t__u32 sched_util_max;\n/, ''], [/#define SCHED_ATTR_SIZE_VER1.*\n/, '']]);
    assert.deepEqual(compare(SCHED_TYPES, then, types), []);
  });

  it('landlock.h, new in 5.13: its new structs are judged as new UAPI structs and pass; without its packed, the tail padding and the compat layout are caught', () => {
    const landlock = readFileSync(LANDLOCK, 'utf8');
    assert.deepEqual(compare(LANDLOCK, null, landlock).filter(([code]) => !String(code).startsWith('flag-')), []);
    // "This struct is packed to avoid trailing reserved members" (the header's own comment): 12 bytes on every ABI.
    const unpacked = edited(landlock, [['} __attribute__((packed));', '};']]);
    const found = compare(LANDLOCK, null, unpacked).filter(([code]) => !String(code).startsWith('flag-'));
    assert.deepEqual(found, [
      ['implicit-padding', 'warning', 'landlock_path_beneath_attr'],
      ['compat-layout', 'warning', 'landlock_path_beneath_attr'],
    ]);
    // Published already (the baseline has it): a struct's shape is judged only while it is new, or extensible.
    assert.deepEqual(compare(LANDLOCK, unpacked, unpacked).filter(([code]) => !String(code).startsWith('flag-')), []);
  });

  it('catches the mistakes in the same structs: a member inserted mid-struct, a size version forgotten', () => {
    const inserted = edited(sched, [['\t__aligned_u64 stack;\n', '\t__aligned_u64 time_ns;\n\t__aligned_u64 stack;\n'], ['#define CLONE_ARGS_SIZE_VER2 88', '#define CLONE_ARGS_SIZE_VER2 88\n#define CLONE_ARGS_SIZE_VER3 96']]);
    assert.deepEqual(compare(SCHED, sched, inserted).filter(([code]) => !String(code).startsWith('flag-')), [['non-tail-insertion', 'error', 'time_ns']]);
    const forgotten = edited(perf, [[/\t__u64\tsig_data;\n/, '\t__u64\tsig_data;\n\t__u64\tconfig3;\n']]);
    assert.deepEqual(compare(PERF, perf, forgotten), [['size-ver-missing', 'error', 'PERF_ATTR_SIZE_VER7']]);
  });
});
