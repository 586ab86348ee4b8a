/**
 * `target.push(...items)` without its limit: spread arguments overflow the stack beyond some
 * 125,000 items, and input can hold more than that (objects and findings of a 64 MB List, merge
 * sources, a server's warnings).
 */
export function append<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}
