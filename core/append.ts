// Appending one array to another without passing it as call arguments.

/**
 * Appends in bulk (a token-by-token loop was the main cost of replaying a header), in chunks: `out.push(...items)`
 * passes every element as an argument on the stack, and a macro argument of 300,000 tokens overflowed it.
 */
export function appendAll<T>(out: T[], items: readonly T[]): void {
  const CHUNK = 16384;
  for (let i = 0; i < items.length; i += CHUNK) out.push(...(i === 0 && items.length <= CHUNK ? items : items.slice(i, i + CHUNK)));
}
