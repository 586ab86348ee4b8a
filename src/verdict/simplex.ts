/**
 * Euclidean projection of `v` onto the probability simplex {x : x ≥ 0, Σx = 1}.
 * Exact, by the sort-and-threshold method (Held, Wolfe & Crowder 1974; Duchi et al. 2008):
 * the projection is max(v − θ, 0) for the one θ that makes the result sum to 1.
 */
export function projectOntoSimplex(v: readonly number[]): number[] {
  if (v.length === 0) throw new RangeError('cannot project an empty vector onto the simplex');
  const sorted = [...v].sort((a, b) => b - a);
  let prefix = 0;
  let theta = 0;
  for (const [i, value] of sorted.entries()) {
    prefix += value;
    const candidate = (prefix - 1) / (i + 1);
    // The largest index whose value stays above its threshold fixes θ.
    if (value - candidate > 0) theta = candidate;
  }
  return v.map((value) => Math.max(value - theta, 0));
}
