import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bonferroniConfidence, twoSidedZ, wilsonInterval } from '../../src/verdict/wilson.js';

/**
 * Reference bounds computed independently of this code, with mpmath at 40 digits, as the two
 * roots of (n + z²)π² − (2nq + z²)π + nq² = 0 with z = √2·erfinv(confidence):
 *   python3 -c "import mpmath as mp; mp.mp.dps=40; z=mp.sqrt(2)*mp.erfinv(.95); ..."
 */
const MPMATH_REFERENCE: [successes: number, trials: number, confidence: number, lo: number, hi: number][] = [
  [50, 100, 0.95, 0.403831530366, 0.596168469634],
  [0, 10, 0.95, 0, 0.277532799863],
  [10, 10, 0.95, 0.722467200137, 1],
  [5, 13, 0.975, 0.157919740941, 0.675634467689],
  [2030, 10000, 0.975, 0.194134513956, 0.212163755037],
  [560, 2000, 0.975, 0.258069189586, 0.303033295994],
];

/**
 * Newcombe, R. G. (1998). Two-sided confidence intervals for the single proportion: comparison
 * of seven methods. Statistics in Medicine 17, 857–872 — Table II, method 3 (score, no continuity
 * correction), 95 %, published to four decimals.
 */
const NEWCOMBE_1998: [successes: number, trials: number, lo: number, hi: number][] = [
  [81, 263, 0.2553, 0.3662],
  [15, 148, 0.0624, 0.1605],
  [0, 20, 0, 0.1611],
  [1, 29, 0.0061, 0.1718],
];

describe('wilsonInterval', () => {
  it.each(MPMATH_REFERENCE)('%d/%d at %d matches the high-precision reference', (s, n, confidence, lo, hi) => {
    const [actualLo, actualHi] = wilsonInterval(s, n, confidence);
    expect(actualLo).toBeCloseTo(lo, 11);
    expect(actualHi).toBeCloseTo(hi, 11);
  });

  it.each(NEWCOMBE_1998)('%d/%d at 95 %% matches Newcombe (1998)', (s, n, lo, hi) => {
    const [actualLo, actualHi] = wilsonInterval(s, n, 0.95);
    expect(actualLo).toBeCloseTo(lo, 4);
    expect(actualHi).toBeCloseTo(hi, 4);
  });

  it('pins the bound at an observed share of exactly 0 or 1', () => {
    expect(wilsonInterval(0, 10, 0.95)[0]).toBe(0);
    expect(wilsonInterval(10, 10, 0.95)[1]).toBe(1);
  });

  it('knows nothing without trials', () => {
    expect(wilsonInterval(0, 0, 0.95)).toEqual([0, 1]);
  });

  it('accepts the fractional counts that increase() extrapolates', () => {
    const [lo, hi] = wilsonInterval(2.5, 12.2, 0.95);
    expect(lo).toBeLessThan(2.5 / 12.2);
    expect(hi).toBeGreaterThan(2.5 / 12.2);
  });

  it('rejects impossible input', () => {
    expect(() => wilsonInterval(-1, 10, 0.95)).toThrow(RangeError);
    expect(() => wilsonInterval(11, 10, 0.95)).toThrow(RangeError);
    expect(() => wilsonInterval(1, Number.NaN, 0.95)).toThrow(RangeError);
    expect(() => wilsonInterval(1, 10, 1)).toThrow(RangeError);
    expect(() => wilsonInterval(1, 10, 0)).toThrow(RangeError);
  });

  const shareOverTrials = fc
    .tuple(fc.double({ min: 1e-3, max: 1e9, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }))
    .map(([trials, fraction]) => ({ trials, successes: trials * fraction }));
  const confidence = fc.double({ min: 0.5, max: 0.9999, noNaN: true });

  it('contains the point estimate and stays within [0, 1]', () => {
    fc.assert(
      fc.property(shareOverTrials, confidence, ({ successes, trials }, c) => {
        const [lo, hi] = wilsonInterval(successes, trials, c);
        const share = successes / trials;
        expect(lo).toBeGreaterThanOrEqual(0);
        expect(hi).toBeLessThanOrEqual(1);
        expect(lo).toBeLessThanOrEqual(share);
        expect(hi).toBeGreaterThanOrEqual(share);
      }),
    );
  });

  it('has bounds that solve the score equation (q − π)² = z²·π(1 − π)/n', () => {
    fc.assert(
      fc.property(shareOverTrials, confidence, ({ successes, trials }, c) => {
        const z = twoSidedZ(c);
        const share = successes / trials;
        for (const bound of wilsonInterval(successes, trials, c)) {
          const lhs = (share - bound) ** 2;
          const rhs = (z * z * bound * (1 - bound)) / trials;
          expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(1e-9 * Math.max(lhs, rhs, 1e-12));
        }
      }),
    );
  });

  it('shrinks, nested, as N grows at a fixed share', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 2, max: 1000 }),
        confidence,
        (trials, fraction, factor, c) => {
          const successes = Math.round(trials * fraction);
          const [lo, hi] = wilsonInterval(successes, trials, c);
          const [moreLo, moreHi] = wilsonInterval(successes * factor, trials * factor, c);
          expect(moreHi - moreLo).toBeLessThan(hi - lo);
          expect(moreLo).toBeGreaterThanOrEqual(lo - 1e-12);
          expect(moreHi).toBeLessThanOrEqual(hi + 1e-12);
        },
      ),
    );
  });
});

describe('twoSidedZ', () => {
  it('is the familiar critical value (mpmath: √2·erfinv(c))', () => {
    expect(twoSidedZ(0.95)).toBeCloseTo(1.959963984540054, 12);
    expect(twoSidedZ(0.975)).toBeCloseTo(2.241402727604945, 12);
    expect(twoSidedZ(0.99)).toBeCloseTo(2.5758293035489, 12);
  });
});

describe('bonferroniConfidence', () => {
  it('splits the error rate evenly over the comparisons', () => {
    expect(bonferroniConfidence(0.95, 1)).toBeCloseTo(0.95, 15);
    expect(bonferroniConfidence(0.95, 2)).toBeCloseTo(0.975, 15);
    expect(bonferroniConfidence(0.95, 5)).toBeCloseTo(0.99, 15);
    expect(bonferroniConfidence(0.99, 4)).toBeCloseTo(0.9975, 15);
  });

  it('stays below 1, so z stays finite, for a confidence a hair below 1 or very many comparisons', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.5, max: 1, maxExcluded: true, noNaN: true }), fc.integer({ min: 1, max: 10_000_000 }), (confidence, comparisons) => {
        const corrected = bonferroniConfidence(confidence, comparisons);
        expect(corrected).toBeLessThan(1);
        expect(corrected).toBeGreaterThanOrEqual(confidence);
        expect(Number.isFinite(twoSidedZ(corrected))).toBe(true);
      }),
    );
    expect(twoSidedZ(bonferroniConfidence(0.9999999999999999, 3))).toBeCloseTo(8.29, 1);
  });

  it('rejects a count of comparisons that is not a positive integer', () => {
    expect(() => bonferroniConfidence(0.95, 0)).toThrow(RangeError);
    expect(() => bonferroniConfidence(0.95, 1.5)).toThrow(RangeError);
    expect(() => bonferroniConfidence(1.2, 2)).toThrow(RangeError);
  });
});
