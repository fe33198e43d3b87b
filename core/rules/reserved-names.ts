// The names that say a member's bytes were kept free for later: read by the published-prefix and reserved-check rules.

/** `__reserved`, `rsvd`, `pad2`, `spare`, `unused`. */
export const RESERVED_NAME = /reserved|rsvd|pad|spare|unused/i;
