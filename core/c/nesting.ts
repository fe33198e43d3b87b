// How deep the front end lets constructs nest inside one another before it reports an error instead of recursing on.

/**
 * Records, declarators and expressions in the parser, operands in `#if`, macro calls in macro arguments: each level is
 * a call in a recursive parser, and a line repeated a few thousand times (`struct a {struct a {...`, `((((...`)
 * overflowed the stack and failed the whole request. 256 is clang's default bracket depth; real headers nest a few
 * levels.
 */
export const MAX_NESTING = 256;
