// Evidence that a struct is an extensible syscall argument: kernel code copying it in with copy_struct_from_user() (or
// checking the tail of a larger one as bpf does), read from a .c file's tokens as written (kernel .c files are not
// built, so nothing is preprocessed).
import type { Token } from './c/token';
import { isIdentifier, isPunct, isWord, sizeofAt, writtenTokens } from './written-code';

/** One call copying a struct from userspace the way extensible structs are copied. */
export interface StructCopy {
  /** `union` for bpf's `union bpf_attr`. */
  kind: 'struct' | 'union';
  /** The struct's tag (`clone_args`). */
  tag: string;
  /** The function called (`copy_struct_from_user`). */
  call: string;
  /** The call checks that a larger struct's tail is zero (bpf's), where the others also copy it in. */
  checksTail: boolean;
  /**
   * Every member name the call's file reads (`.name`, `->name`, `offsetof(T, name)`): whether a reserved member is ever
   * checked there (shared by the file's copies).
   */
  membersNamed: ReadonlySet<string>;
  /** The names the file tests for unknown bits, `NAME & ~VALID` or `~VALID & NAME` (shared by the file's copies). */
  maskedNames: ReadonlySet<string>;
  path: string;
  /** Other files copying the same struct in, whose reads and tests `membersNamed` and `maskedNames` include. */
  alsoIn?: readonly string[];
  /** 1-based, of the call's name. */
  line: number;
  column: number;
}

/**
 * The structs copied in a set of files, by tag: the first call found (files in the order given), with what every file
 * copying the same struct reads and tests.
 */
export type CopiedStructs = ReadonlyMap<string, StructCopy>;

/**
 * copy_struct_from_user() and its kin: landlock's copy_min_struct_from_user(), copy_struct_from_sockptr() (6.10), and
 * bpf_check_uarg_tail_zero(UADDR, KSIZE, USIZE), with which bpf accepts a larger `union bpf_attr` or `struct
 * bpf_map_info` whose tail is zero (copying it in after). Each takes the kernel's size second.
 */
const COPY_CALL = /^(?:copy_(?:min_)?struct_from_(?:user|sockptr)|bpf_check_uarg_tail_zero)$/;
/** The call whose first argument is the user's address, not the kernel's copy: only its size tells the struct. */
const USER_ADDRESS_FIRST = 'bpf_check_uarg_tail_zero';

/** Strings one of those calls' names holds: a .c file without them copies nothing (a test before reading it). */
export const COPY_MARKERS: readonly string[] = ['struct_from_', 'uarg_tail_zero'];

/** Words between `struct TAG` and a declared name that leave it an object or a pointer to one. */
const DECLARATOR_WORDS = new Set(['*', 'const', 'volatile', '__user', '__kernel', 'restrict', '__restrict']);

/** How many tokens a call's arguments may take before it is not read (a call is a dozen). */
const ARGUMENTS_WINDOW = 96;

/** Cheap test before lexing: most .c files never name the calls. */
export function mayCopyStructs(text: string): boolean {
  return COPY_MARKERS.some((m) => text.includes(m));
}

/**
 * Every call `copy_struct_from_user(DST, KSIZE, SRC, USIZE)` (or `bpf_check_uarg_tail_zero(SRC, KSIZE, USIZE)`) in the
 * text whose struct can be told from the file alone: `sizeof(struct TAG)`, or DST/KSIZE naming a variable, parameter or
 * member (`&args`, `sizeof(*attr)`, `&open->how`) declared `struct TAG` or `union TAG` (or a pointer to one) before
 * the call. A call whose struct cannot be told (a `void *` helper's own body, a size in a variable) gives nothing.
 */
export function structCopies(path: string, text: string): StructCopy[] {
  if (!mayCopyStructs(text)) return [];
  const { file, tokens } = writtenTokens(path, text);
  const out: StructCopy[] = [];
  let membersNamed: ReadonlySet<string> | undefined;
  let maskedNames: ReadonlySet<string> | undefined;
  for (let i = 0; i + 1 < tokens.length; i++) {
    const name = tokens[i];
    if (!isIdentifier(name) || !COPY_CALL.test(name.text) || !isPunct(tokens[i + 1], '(')) continue;
    const args = callArguments(tokens, i + 2);
    if (!args || args.length < 2) continue;
    const [dst, ksize] = args;
    const sized = sizeofAt(tokens, ksize[0]);
    const named = (from: number, end: number) => declaredTag(tokens, i, lastName(tokens.slice(from, end)));
    const written = /^(struct|union) (\w+)$/.exec(sized?.type ?? '');
    const record = written
      ? { kind: written[1] as 'struct' | 'union', tag: written[2] }
      : ((name.text === USER_ADDRESS_FIRST ? undefined : named(dst[0], dst[1])) ?? (sized && named(sized.from, sized.end - 1)));
    if (!record) continue;
    const pos = file.positionAt(name.start);
    membersNamed ??= memberNames(tokens);
    maskedNames ??= namesMaskedWithComplement(tokens);
    out.push({ ...record, call: name.text, checksTail: name.text === USER_ADDRESS_FIRST, membersNamed, maskedNames, path, line: pos.line + 1, column: pos.character + 1 });
  }
  return out;
}

/** What copies say, as text that changes when any of it does: where each call is, what its file reads and tests. */
export function copiesKey(copies: Iterable<StructCopy>): string {
  return [...copies]
    .map((c) => `${c.kind} ${c.tag} ${c.path}:${c.line}:${c.column} ${c.call} ${[...c.membersNamed].join(',')} ${[...c.maskedNames].join(',')} ${c.alsoIn?.join(',') ?? ''}`)
    .join('\n');
}

/**
 * The structs of several files' copies, by tag: the first call found for each, with the member reads and flag tests of
 * every file that copies the same struct in (a check in `io_uring/openclose.c` counts as one in `fs/open.c`: either
 * may be the one the call's path runs through). A path met again later (a patch's version of a file, then the
 * workspace's) is the first one's alone.
 */
export function copiedStructsOf(copies: Iterable<readonly StructCopy[]>): CopiedStructs {
  const byTag = new Map<string, StructCopy[]>();
  for (const list of copies) {
    for (const copy of list) {
      const seen = byTag.get(copy.tag);
      if (!seen) byTag.set(copy.tag, [copy]);
      else if (seen[0].kind === copy.kind && !seen.some((s) => s.path === copy.path)) seen.push(copy);
    }
  }
  const out = new Map<string, StructCopy>();
  for (const [tag, [first, ...others]] of byTag) out.set(tag, others.length === 0 ? first : mergedCopy(first, others));
  return out;
}

function mergedCopy(first: StructCopy, others: readonly StructCopy[]): StructCopy {
  const all = [first, ...others];
  return {
    ...first,
    membersNamed: new Set(all.flatMap((c) => [...c.membersNamed])),
    maskedNames: new Set(all.flatMap((c) => [...c.maskedNames])),
    alsoIn: others.map((c) => c.path),
  };
}

/**
 * The arguments from `at` (after the call's `(`) to its `)`, split at top-level commas, each as the indices of its
 * first token and past its last; undefined if the call is not closed within ARGUMENTS_WINDOW tokens.
 */
function callArguments(tokens: readonly Token[], at: number): [number, number][] | undefined {
  const args: [number, number][] = [];
  let start = at;
  let depth = 0;
  for (let j = at; j < tokens.length && j < at + ARGUMENTS_WINDOW; j++) {
    const t = tokens[j];
    if (isPunct(t, '(') || isPunct(t, '[')) depth++;
    else if (isPunct(t, ']')) depth--;
    else if ((isPunct(t, ')') && depth === 0) || (isPunct(t, ',') && depth === 0)) {
      args.push([start, j]);
      if (isPunct(t, ')')) return args;
      start = j + 1;
    } else if (isPunct(t, ')')) depth--;
  }
  return undefined;
}

/** Macros naming a member as their second argument (`offsetof(struct foo, pad)`). */
const MEMBER_MACROS = new Set(['offsetof', 'offsetofend', 'sizeof_field', 'typeof_member']);

/** The member names the tokens read: after `.` or `->`, or as a member macro's second argument. */
function memberNames(tokens: readonly Token[]): Set<string> {
  const names = new Set<string>();
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i];
    if (!isIdentifier(t)) continue;
    const before = tokens[i - 1];
    if (isPunct(before, '.') || isPunct(before, '->')) names.add(t.text);
    else if (MEMBER_MACROS.has(t.text) && isPunct(tokens[i + 1], '(')) {
      const args = callArguments(tokens, i + 2);
      const member = args?.[1] && tokens[args[1][0]];
      if (member && isIdentifier(member)) names.add(member.text);
    }
  }
  return names;
}

/**
 * The names ANDed with a complement, the test for unknown bits (`if (args.flags & ~VALID_FLAGS) return -EINVAL;`):
 * a name just before `& ~` (or `& (~`), or just after `&` where `~NAME` or `~(...)` comes before it. A local that
 * holds a member (`u64 f = how->flags;`) tested so counts as the member tested.
 */
function namesMaskedWithComplement(tokens: readonly Token[]): Set<string> {
  const names = new Set<string>();
  for (let i = 1; i + 1 < tokens.length; i++) {
    if (!isPunct(tokens[i], '&')) continue;
    const left = tokens[i - 1];
    if (isIdentifier(left) && complementStartsAt(tokens, i + 1)) names.add(left.text);
    else if (complementEndsAt(tokens, i - 1)) {
      const right = designatedName(tokens, i + 1);
      if (right !== undefined) names.add(right);
    }
  }
  for (const [local, member] of memberAliases(tokens)) if (names.has(local)) names.add(member);
  return names;
}

/** Whether the operand starting at token `at` is `~...`, in parentheses or not. */
function complementStartsAt(tokens: readonly Token[], at: number): boolean {
  let k = at;
  while (isPunct(tokens[k], '(')) k++;
  return isPunct(tokens[k], '~');
}

/** Locals given a member's value as it is (`u64 f = how->flags;`, `f = args.flags,`): local name to member name. */
function memberAliases(tokens: readonly Token[]): Map<string, string> {
  const aliases = new Map<string, string>();
  for (let i = 1; i + 4 < tokens.length; i++) {
    if (!isPunct(tokens[i], '=') || !isIdentifier(tokens[i - 1])) continue;
    const k = nameChainEnd(tokens, i + 1);
    if (k !== undefined && k > i + 1 && (isPunct(tokens[k + 1], ';') || isPunct(tokens[k + 1], ','))) aliases.set(tokens[i - 1].text, tokens[k].text);
  }
  return aliases;
}

/** The name `NAME`, `x.NAME` or `p->NAME` starting at token `at` designates (its last), or undefined. */
function designatedName(tokens: readonly Token[], at: number): string | undefined {
  const last = nameChainEnd(tokens, at);
  return last === undefined ? undefined : tokens[last].text;
}

/** The index of the last name of the chain `NAME`, `x.NAME` or `p->NAME` starting at token `at`, or undefined. */
function nameChainEnd(tokens: readonly Token[], at: number): number | undefined {
  if (!isIdentifier(tokens[at])) return undefined;
  let k = at;
  while ((isPunct(tokens[k + 1], '.') || isPunct(tokens[k + 1], '->')) && isIdentifier(tokens[k + 2])) k += 2;
  return k;
}

/** Whether the operand ending at token `end` is `~NAME` or `~( ... )`. */
function complementEndsAt(tokens: readonly Token[], end: number): boolean {
  if (isIdentifier(tokens[end])) return isPunct(tokens[end - 1], '~');
  if (!isPunct(tokens[end], ')')) return false;
  for (let j = end - 1, depth = 1; j >= 0 && j > end - ARGUMENTS_WINDOW; j--) {
    if (isPunct(tokens[j], ')')) depth++;
    else if (isPunct(tokens[j], '(') && --depth === 0) return isPunct(tokens[j - 1], '~');
  }
  return false;
}

/**
 * The name an argument designates: `args`, `&args`, `*attr`, `&open->how` (the member `how`), in parentheses or not.
 * Anything else (a cast, a call, arithmetic) names nothing.
 */
function lastName(arg: Token[]): string | undefined {
  const inner = arg.filter((t) => !isPunct(t, '(') && !isPunct(t, ')'));
  let k = 0;
  if (isPunct(inner[k], '&') || isPunct(inner[k], '*')) k++;
  if (!isIdentifier(inner[k])) return undefined;
  let name = inner[k++].text;
  while (k < inner.length) {
    if (!(isPunct(inner[k], '.') || isPunct(inner[k], '->')) || !isIdentifier(inner[k + 1])) return undefined;
    name = inner[k + 1].text;
    k += 2;
  }
  return name;
}

/** The record of the nearest `struct TAG [*|const|__user]... NAME` (or `union TAG ...`) declared before token `before`. */
function declaredTag(tokens: readonly Token[], before: number, name: string | undefined): Pick<StructCopy, 'kind' | 'tag'> | undefined {
  if (name === undefined) return undefined;
  for (let j = before - 1; j >= 2; j--) {
    const t = tokens[j];
    if (!isIdentifier(t) || t.text !== name) continue;
    const after = tokens[j + 1];
    if (!(isPunct(after, ';') || isPunct(after, ',') || isPunct(after, ')') || isPunct(after, '=') || isPunct(after, '['))) continue;
    let k = j - 1;
    while (k >= 2 && DECLARATOR_WORDS.has(tokens[k].text)) k--;
    const keyword = tokens[k - 1];
    if (isIdentifier(tokens[k]) && (isWord(keyword, 'struct') || isWord(keyword, 'union'))) return { kind: keyword.text as 'struct' | 'union', tag: tokens[k].text };
  }
  return undefined;
}
