// Decides which records are extensible syscall argument structs: by `sysarg:` annotation or by evidence in the file.
import { LayoutError, type RecordLayout } from './abi/layout';
import type { Member, RecordDecl } from './c/ast';
import type { MacroDef } from './c/macro';
import type { SourceCache } from './c/source-cache';
import type { Comment } from './c/token';
import { emptyList } from './empty';
import type { TargetUnit } from './front-end';
import { macroValue } from './macro-values';
import type { Span } from './source';
import type { CopiedStructs, StructCopy } from './struct-copies';

export interface SizeVersion {
  name: string;
  n: number;
  value: number;
  macro: MacroDef;
}

export interface Annotation {
  kind: 'extensible' | 'fixed';
  sizeMacro?: string;
  since?: string;
  span: Span;
}

export interface ExtensibleInfo {
  extensible: boolean;
  /** Why: the annotation or each piece of evidence, in words. */
  reasons: string[];
  annotation?: Annotation;
  /** The struct's `PREFIX_SIZE_VER<n>` family, by n. */
  sizeVersions: SizeVersion[];
  sizeMacroPrefix?: string;
  /** The kernel code that copies it in, where that is evidence (the first call found). */
  copy?: StructCopy;
  /**
   * Why a struct that is no extensible syscall argument grows only at its end (bpf's program contexts, x86's mce: its
   * comment says so): programs depend on its published prefix, so the published-prefix rules judge it, and the rules
   * for what a syscall argument must be do not.
   */
  appendOnly?: string;
}

const ANNOTATION = /sysarg:\s*(extensible|fixed)\b([^\n*]*)/;
const SIZE_VER = /^(\w+)_SIZE_VER(\d+)$/;
/**
 * A comment saying the struct grows only at its end, as bpf's program contexts say ("new fields can only be added to
 * the end of this structure"), sched.h's clone_args ("New struct members must go at the end of the struct"), x86's mce
 * ("Only add new fields to the end of the structure") and the 2008 RFC ("add new members only at its tail").
 */
const APPEND_ONLY: readonly RegExp[] = [/\b(?:new|add(?:ing|ed)?)\b/gi, /\b(?:fields?|members?|entries)\b/gi, /\b(?:at|to)\s+(?:the|its)\s+(?:end|tail)\b(?!\s+of\s+the\s+(?:list|array|buffer|file|frame|area|ioctl))/gi];

/**
 * A comment calling the struct extensible: "versioned by size", or "extensible" in a sentence about the struct, its
 * arguments or its size. "extensible setup data list node" (x86's boot protocol) describes a list, not the struct.
 */
export function saysExtensible(text: string): boolean {
  return /versioned by (?:its )?size/i.test(text) || sentencesOf(text).some((s) => /\bextensible\b/i.test(s) && /\b(?:struct(?:ure)?|arg(?:ument)?s?|size[ds]?)\b/i.test(s));
}

/** A comment saying new members go at the struct's end (APPEND_ONLY's phrases in one sentence, in that order). */
export function saysAppendOnly(text: string): boolean {
  return inOneSentence(text, APPEND_ONLY);
}

/** A text's sentences: what lies between its periods. */
function sentencesOf(text: string): string[] {
  return text.split('.');
}

/**
 * Whether one sentence of `text` has a match of each of `patterns` (global), each after the one before: what
 * `a[^.]*b[^.]*c` says, in one pass a pattern, where that expression backtracks quadratically over a long sentence
 * with many a's (a fuzzed comment of 3 MB without a period took minutes).
 */
function inOneSentence(text: string, patterns: readonly RegExp[]): boolean {
  return sentencesOf(text).some((sentence) => {
    let from = 0;
    for (const pattern of patterns) {
      pattern.lastIndex = from;
      const match = pattern.exec(sentence);
      if (!match) return false;
      from = match.index + match[0].length;
    }
    return true;
  });
}

/**
 * Classifies every record defined (with a body) in the unit's root file; `copied`: the structs kernel code copies in
 * with copy_struct_from_user() (in the .c files of the workspace or of the run), by tag.
 */
export function classifyRecords(unit: TargetUnit, cache: SourceCache, records: RecordDecl[], copied?: CopiedStructs): Map<RecordDecl, ExtensibleInfo> {
  const families = sizeVersionFamilies(unit, cache);
  const comments = unit.root.lexed.comments;
  const out = new Map<RecordDecl, ExtensibleInfo>();
  const claimed = assignFamilies(unit, records, families);
  const drmIoctls = records.length > 0 ? drmIoctlStructs(unit) : NO_IOCTLS;
  for (const decl of records) {
    const info: ExtensibleInfo = { extensible: false, reasons: emptyList(), sizeVersions: emptyList() };
    const comment = commentBefore(comments, unit.root.file.text, decl.span.start);
    const annotation = comment ? parseAnnotation(comment, unit) : undefined;
    const family = claimed.get(decl);
    if (annotation?.sizeMacro) {
      const named = families.get(annotation.sizeMacro.replace(/_SIZE_VER$/, ''));
      if (named) {
        info.sizeVersions = named;
        info.sizeMacroPrefix = annotation.sizeMacro.replace(/_SIZE_VER$/, '');
      }
    } else if (family) {
      info.sizeVersions = family.versions;
      info.sizeMacroPrefix = family.prefix;
    }
    const found = decl.tag !== null ? copied?.get(decl.tag) : undefined;
    const copy = found?.kind === decl.kind ? found : undefined;
    if (copy) info.copy = copy;
    if (annotation) {
      info.annotation = annotation;
      info.extensible = annotation.kind === 'extensible';
      info.reasons.push(`annotated 'sysarg: ${annotation.kind}'`);
      out.set(decl, info);
      continue;
    }
    if (family) info.reasons.push(`${family.prefix}_SIZE_VER<n> values fall on member ends`);
    if (comment && saysExtensible(comment.text)) info.reasons.push('its comment says it is extensible / versioned by size');
    if (copy) info.reasons.push(`kernel code ${copy.checksTail ? 'accepts a larger one whose tail is zero' : 'copies it in'} with ${copy.call}() (${copy.path}:${copy.line})`);
    const ioctl = decl.kind === 'struct' && decl.tag !== null ? drmIoctls.get(decl.tag) : undefined;
    if (ioctl) info.reasons.push(`${ioctl} passes it, and drm_ioctl() zero-extends a shorter one (botching-up-ioctls.rst: new fields at the end)`);
    const sized = leadingSizeEvidence(decl, comments, comment);
    if (sized) info.reasons.push(sized);
    info.extensible = info.reasons.length > 0;
    if (!info.extensible && comment && saysAppendOnly(comment.text)) info.appendOnly = 'its comment says new members go at its end';
    out.set(decl, info);
  }
  return out;
}

const NO_IOCTLS: ReadonlyMap<string, string> = new Map();

const COMMENT_OR_SPLICE = /\/\*[^]*?\*\/|\/\/[^\n]*|\\\r?\n/g;

/** `DRM_IOWR(nr, struct TAG)` (or `DRM_IOR`, `DRM_IOW`) in a macro's replacement: the struct a DRM ioctl passes. */
const DRM_IOCTL_ARG = /\bDRM_IO(?:WR|R|W)\s*\([^;]{0,200}?,\s*struct\s+(\w+)\s*\)/;

/**
 * The structs the unit's DRM ioctls pass (`#define DRM_IOCTL_I915_GEM_CREATE DRM_IOWR(..., struct
 * drm_i915_gem_create)`), by tag, each with the ioctl's name: drm_ioctl() dispatches on the ioctl's number alone and
 * zero-extends a struct shorter than the kernel's, so these grow at their tail as extensible syscall arguments do.
 * Looked for only where drm.h's DRM_IOWR is defined; drm.h's own ioctls pass drm_mode.h's structs.
 */
function drmIoctlStructs(unit: TargetUnit): ReadonlyMap<string, string> {
  if (unit.pp.macros.get('DRM_IOWR') === undefined) return NO_IOCTLS;
  const out = new Map<string, string>();
  for (const macro of unit.pp.macros.ownDefinitions()) {
    if (macro.params !== null || !macro.name.startsWith('DRM_IOCTL_') || !macro.file) continue;
    const body = macro.tokens ? macro.tokens.map((t) => t.text).join(' ') : macro.file.text.slice(macro.bodyStart, macro.bodyEnd).replace(COMMENT_OR_SPLICE, ' ');
    const tag = DRM_IOCTL_ARG.exec(body)?.[1];
    if (tag !== undefined && !out.has(tag)) out.set(tag, macro.name);
  }
  return out;
}

/** `PREFIX_SIZE_VER<n>` macros defined in the root file, by prefix, sorted by n. */
function sizeVersionFamilies(unit: TargetUnit, cache: SourceCache): Map<string, SizeVersion[]> {
  const families = new Map<string, SizeVersion[]>();
  for (const macro of unit.pp.definitions) {
    if (macro.file !== unit.root.file || !macro.name.includes('_SIZE_VER')) continue;
    const m = SIZE_VER.exec(macro.name);
    if (!m) continue;
    const value = macroValue(unit, cache, macro);
    if (value === undefined) continue;
    const list = families.get(m[1]) ?? [];
    const n = Number(m[2]);
    const existing = list.findIndex((v) => v.n === n);
    const entry = { name: macro.name, n, value: Number(value), macro };
    if (existing >= 0) list[existing] = entry;
    else list.push(entry);
    families.set(m[1], list);
  }
  for (const list of families.values()) list.sort((a, b) => a.n - b.n);
  return families;
}

/** Gives each SIZE_VER family to one struct: the one named like the prefix, else the nearest whose member ends fit. */
function assignFamilies(unit: TargetUnit, records: RecordDecl[], families: Map<string, SizeVersion[]>): Map<RecordDecl, { prefix: string; versions: SizeVersion[] }> {
  const out = new Map<RecordDecl, { prefix: string; versions: SizeVersion[] }>();
  for (const [prefix, versions] of families) {
    const byName = records.find((r) => r.tag && r.tag.toUpperCase() === prefix);
    if (byName) {
      out.set(byName, { prefix, versions });
      continue;
    }
    const at = versions[0].macro.start;
    const fitting = records
      .filter((r) => r.kind === 'struct' && fitsMemberEnds(unit, r, versions))
      .sort((a, b) => Math.abs(a.span.start - at) - Math.abs(b.span.start - at));
    if (fitting[0] && !out.has(fitting[0])) out.set(fitting[0], { prefix, versions });
  }
  return out;
}

function fitsMemberEnds(unit: TargetUnit, decl: RecordDecl, versions: SizeVersion[]): boolean {
  const layout = unit.engine.layout(decl);
  if (layout instanceof LayoutError) return false;
  const ends = memberEnds(layout);
  return versions.every((v) => ends.has(v.value));
}

/** Byte offsets where a top-level member ends (the sizes a versioned struct can be cut at). */
export function memberEnds(layout: RecordLayout): Set<number> {
  const ends = new Set<number>();
  for (const m of layout.members) ends.add(m.bitWidth !== undefined ? Math.ceil(((m.bitOffset as number) + m.bitWidth) / 8) : m.offset + m.size);
  ends.add(layout.size);
  return ends;
}

/** Words saying that a `size` member holds the struct's own size (sched_attr's "size of the structure, for fwd/bwd compat"). */
const OWN_SIZE = /\bsize of (?:the |this )?(?:whole |entire )?(?:struct(?:ure)?|arg(?:ument)?s?)\b|\bstruct(?:ure)? size\b|\bsizeof\s*\(\s*(?:struct\b|\*)|\b(?:fwd|forward)\s*\/\s*(?:bwd|backward)\b/i;

/**
 * What the comment over a struct whose only member is `size` says when the struct is to grow behind it, as the 2008
 * RFC's long_clone_arg ("This structure has a variable size, which is to be recorded in the size member... Always add
 * new members only at its tail").
 */
function growsAtTail(words: string): boolean {
  return /\bvariable(?:-|\s+)size\b|\bsize member\b/i.test(words) || inOneSentence(words, ADDED_AT_TAIL);
}
const ADDED_AT_TAIL = [/\b(?:add|put|append)\w*\b/gi, /\b(?:at|to)\s+(?:the|its)\s+(?:tail|end)\b/gi];

/**
 * A leading `size` member (the RFC's and sched_attr's convention) is evidence only where it is the struct's own size:
 * the struct has no other member yet and its comment says it grows behind it (the RFC's long_clone_arg), or a
 * comment on the member says so. Most UAPI structs that start with a `size` count something else (fuse's xattr sizes,
 * floppy_struct's sectors, nfs3_fh's handle, rdma's one-member ib_uverbs_flow_action_esp_replay_bmp: a bitmap's
 * size); one that ends in a flexible array measures that array.
 */
function leadingSizeEvidence(decl: RecordDecl, comments: Comment[], structComment: Comment | undefined): string | undefined {
  const members = decl.members ?? [];
  const first = members[0];
  if (first?.name !== 'size' || first.bitWidth !== null || !['base', 'typedef', 'enum', 'attributed'].includes(first.type.kind)) return undefined;
  if (members.length === 1 && structComment && growsAtTail(commentWords(structComment.text))) {
    return "its only member is 'size', and its comment says members are to come after it (the RFC's long_clone_arg)";
  }
  if (isFlexibleArray(members[members.length - 1])) return undefined;
  const said = sizeMemberComments(decl, comments, structComment).find((text) => OWN_SIZE.test(text));
  return said === undefined ? undefined : `its first member 'size' is the struct's own size, as its comment says ("${firstSentence(said)}")`;
}

/** A comment's words, without its delimiters and leading stars, on one line. */
function commentWords(text: string): string {
  // [ \t]*, not \s*: from each of a long run of blank lines, \s* would scan the whole run again.
  return text.replace(/^\/\*+|\*+\/$|^\/\/+/g, '').replace(/\n[ \t]*\*+(?!\/)/g, ' ').replace(/\s+/g, ' ').trim();
}

/** The first sentence of `words`, at most 80 characters of it. */
function firstSentence(words: string): string {
  const sentence = /^.*?[.;](?=\s|$)/.exec(words)?.[0] ?? words;
  return sentence.length > 80 ? `${sentence.slice(0, 77)}...` : sentence;
}

/**
 * What the comments say about a struct's first member, each as words: its kernel-doc `@size` line, the comments
 * before it and the comments after it (up to the next member or the struct's end; a run of comments is one text, as
 * usbdevice_fs.h continues a member's comment on the lines below).
 */
function sizeMemberComments(decl: RecordDecl, comments: Comment[], structComment: Comment | undefined): string[] {
  const members = decl.members as Member[];
  const out: string[] = [];
  const doc = structComment && /@size\b:?([^@]*)/.exec(structComment.text);
  if (doc) out.push(commentWords(doc[1]));
  const first = members[0].span;
  if (first.file !== decl.span.file) return out;
  const next = members[1];
  const to = next === undefined ? decl.span.end : next.span.file === first.file ? next.span.start : first.end;
  const around = commentsBetween(comments, decl.nameSpan.end, to);
  const words = (list: Comment[]) => list.map((c) => commentWords(c.text)).join(' ');
  out.push(words(around.filter((c) => c.end <= first.start)), words(around.filter((c) => c.start >= first.end)));
  return out;
}

/** The comments (sorted by place) that lie between `from` and `to`, found by bisection: a file can hold many. */
function commentsBetween(comments: Comment[], from: number, to: number): Comment[] {
  let lo = 0;
  let hi = comments.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (comments[mid].start < from) lo = mid + 1;
    else hi = mid;
  }
  const out: Comment[] = [];
  for (let i = lo; i < comments.length && comments[i].end <= to; i++) out.push(comments[i]);
  return out;
}

/**
 * `[]`, or `[0]` written so (GNU's old flexible array): an array a macro sizes to 0 (tls.h's
 * `salt[TLS_CIPHER_CHACHA20_POLY1305_SALT_SIZE]`, a cipher with no salt) is an empty member, not a flexible array.
 */
export function isFlexibleArray(member: Member): boolean {
  if (member.type.kind !== 'array') return false;
  const length = member.type.length;
  if (length === null) return true;
  if (length.kind !== 'int' || length.value !== 0n) return false;
  const written = member.span.file.text.slice(member.span.start, member.span.end);
  return /\[\s*0+[uUlL]*\s*\]/.test(written);
}

/** The comment that ends right before `start`, with only whitespace (or `typedef`) between. */
export function commentBefore(comments: Comment[], text: string, start: number): Comment | undefined {
  let lo = 0;
  let hi = comments.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (comments[mid].end <= start) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0) return undefined;
  const between = text.slice(comments[found].end, start);
  return /^\s*(typedef\s+)?$/.test(between) ? comments[found] : undefined;
}

function parseAnnotation(comment: Comment, unit: TargetUnit): Annotation | undefined {
  const m = ANNOTATION.exec(comment.text);
  if (!m) return undefined;
  const start = comment.start + m.index;
  const annotation: Annotation = { kind: m[1] as 'extensible' | 'fixed', span: { file: unit.root.file, start, end: start + m[0].trimEnd().length } };
  for (const [, key, value] of m[2].matchAll(/([\w-]+)=(\S+)/g)) {
    if (key === 'size-macro') annotation.sizeMacro = value;
    else if (key === 'since') annotation.since = value;
  }
  return annotation;
}
