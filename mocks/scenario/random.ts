/**
 * Seeded randomness that does not depend on evaluation order: every draw is a pure function
 * of (seed, keys), so any scrape of any series can be computed alone and runs repeat exactly.
 */

/** 32-bit FNV-1a over the keys' text. */
export function hash(...keys: (string | number)[]): number {
  let value = 0x811c9dc5;
  for (const character of keys.join('\u0000')) {
    value ^= character.codePointAt(0) ?? 0;
    value = Math.imul(value, 0x01000193) >>> 0;
  }
  return value;
}

/** mulberry32: a small, well-mixed PRNG for one draw sequence. */
export function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal by Box–Muller. */
export function normal(random: () => number): number {
  const u = Math.max(random(), Number.EPSILON);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/**
 * Poisson-distributed count with the given mean: Knuth's method for small means (low traffic
 * must stay honest: 5 vs 8 requests), a rounded normal approximation for large ones.
 */
export function poisson(mean: number, random: () => number): number {
  if (mean <= 0) return 0;
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(random)));
  const limit = Math.exp(-mean);
  let count = 0;
  let product = random();
  while (product > limit) {
    count += 1;
    product *= random();
  }
  return count;
}
