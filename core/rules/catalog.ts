// Every rule id Sysarg reports, with what it finds in a line (docs/rules.md says more; SARIF's rule list is this).
export const RULES: Record<string, string> = {
  'non-tail-insertion': 'A member added anywhere but after the last published member',
  'member-removed': 'A published member is gone',
  'member-reordered': 'A published member moved before another published one',
  'member-retyped': "A published member's type and size or place changed",
  'member-renamed': 'A published member has another name (same bytes)',
  'reserved-field-consumed': 'A reserved member was given a meaning in place',
  'unaligned-extension': "A version's new members, or its size, off an 8-byte boundary",
  'size-ver-mismatch': 'A *_SIZE_VER<n> value not on a member end, not increasing, or larger than the struct',
  'size-ver-missing': 'The struct grew past the newest *_SIZE_VER<n> without a new one',
  'implicit-padding': 'A hole or tail padding in an extensible struct',
  'arch-dependent-type': 'A member type whose size or alignment the ABI decides (long, pointers, enums, libc types)',
  'compat-layout': 'The layout differs between targets (a 32-bit process passes another struct)',
  'flexible-array-not-last': 'Members after a flexible array',
  'flag-bit-duplicate': 'Two flags of one word share a bit',
  'flag-bit-overlap': 'A flag lies in a mask its word reserves (CSIGNAL)',
  'flag-out-of-range': 'A flag wider than its word, or another value on another target',
  'flag-bits-exhausted': 'A flag word with one free bit left or none',
  'flags-unchecked': 'A flags member of a struct kernel code copies in that the code never tests for unknown bits (flags & ~VALID)',
  'reserved-unchecked': 'A reserved member of a struct kernel code copies in that the code never reads, so never checks to be zero',
  'strict-size-check': 'Kernel code refuses a size larger than its struct outright (copy_struct_from_user() is the fix)',
  patch: 'A patch hunk that does not apply, applied with fuzz, or a file the tree lacks',
  'no-target': "(information) A UAPI header of an architecture Sysarg has no target for, not laid out",
};

/** The front end's own problem codes (parse-error, include-not-found...) are reported under their code too. */
export function ruleDescription(id: string): string {
  return RULES[id] ?? 'A problem reading the C source';
}
