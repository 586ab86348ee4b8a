import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitMix, judgeMix } from '../../src/verdict/index.js';

const SETTINGS = { tolerancePoints: 5, confidence: 0.95, minRequests: 100 };

function squaredDistance(a: readonly number[], b: readonly number[]): number {
  return a.reduce((sum, x, i) => sum + (x - (b[i] ?? 0)) ** 2, 0);
}

function mixOf(routeSplits: readonly (readonly number[])[], alpha: readonly number[]): number[] {
  return (routeSplits[0] ?? []).map((_, d) => routeSplits.reduce((sum, split, r) => sum + (alpha[r] ?? 0) * (split[d] ?? 0), 0));
}

describe('fitMix', () => {
  it('recovers the mix that produced the observation', () => {
    // reviews: testers pinned to v2, everyone else 90/10 over v1/v3, canary 50/50 over v2/v3.
    const routeSplits = [
      [0, 100, 0],
      [90, 0, 10],
      [0, 50, 50],
    ];
    const truth = [0.2, 0.5, 0.3];
    const { alpha, fittedPercent } = fitMix(routeSplits, mixOf(routeSplits, truth));
    alpha.forEach((a, r) => expect(a).toBeCloseTo(truth[r] ?? Number.NaN, 12));
    fittedPercent.forEach((p, d) => expect(p).toBeCloseTo(mixOf(routeSplits, truth)[d] ?? Number.NaN, 10));
  });

  it.each([
    {
      name: 'a mix that leaves one route out',
      routeSplits: [[80, 20, 0], [0, 20, 80], [34, 33, 33]],
      truth: [0.25, 0.75, 0],
      digits: 12,
    },
    {
      // Where the iteration alone crawls: the direct solve settles it.
      name: 'a mix of routes whose splits are close',
      routeSplits: [[50, 30, 20], [50, 31, 19], [49, 30, 21]],
      truth: [0.5, 0.3, 0.2],
      digits: 9,
    },
  ])('recovers $name', ({ routeSplits, truth, digits }) => {
    const { alpha } = fitMix(routeSplits, mixOf(routeSplits, truth));
    alpha.forEach((a, r) => expect(a).toBeCloseTo(truth[r] ?? Number.NaN, digits));
  });

  it('gives a single route all the weight', () => {
    expect(fitMix([[20, 80]], [55, 45])).toEqual({ alpha: [1], fittedPercent: [20, 80] });
  });

  it('projects an observation outside the routes’ hull onto its nearest point', () => {
    // min over t of (100t − 40)² + (100(1 − t) − 40)² + 20² is at t = ½.
    const { alpha, fittedPercent } = fitMix(
      [
        [100, 0, 0],
        [0, 100, 0],
      ],
      [40, 40, 20],
    );
    expect(alpha[0]).toBeCloseTo(0.5, 12);
    expect(alpha[1]).toBeCloseTo(0.5, 12);
    expect(fittedPercent[0]).toBeCloseTo(50, 10);
    expect(fittedPercent[1]).toBeCloseTo(50, 10);
    expect(fittedPercent[2]).toBe(0);
  });

  it('clamps to the nearest route when the observation lies beyond it', () => {
    const { alpha, fittedPercent } = fitMix(
      [
        [80, 20],
        [20, 80],
      ],
      [90, 10],
    );
    expect(alpha).toEqual([1, 0]);
    expect(fittedPercent).toEqual([80, 20]);
  });

  it('shares weight evenly between routes with identical splits, deterministically', () => {
    const routeSplits = [
      [50, 50],
      [50, 50],
      [0, 100],
    ];
    const first = fitMix(routeSplits, [30, 70]);
    expect(first.alpha[0]).toBeCloseTo(0.3, 9);
    expect(first.alpha[1]).toBe(first.alpha[0]);
    expect(first.alpha[2]).toBeCloseTo(0.4, 9);
    expect(fitMix(routeSplits, [30, 70])).toEqual(first);
  });

  it('still answers for an all-zero observation', () => {
    const { alpha } = fitMix(
      [
        [100, 0],
        [0, 100],
      ],
      [0, 0],
    );
    expect(alpha[0]).toBeCloseTo(0.5, 12);
    expect(alpha[1]).toBeCloseTo(0.5, 12);
  });

  it('rejects splits over a different destination list', () => {
    expect(() => fitMix([[100], [50, 50]], [50, 50])).toThrow(RangeError);
    expect(() => fitMix([], [])).toThrow(RangeError);
  });

  const declaredSplit = (destinations: number) =>
    fc
      .array(fc.integer({ min: 0, max: 1000 }), { minLength: destinations, maxLength: destinations })
      .filter((weights) => weights.some((w) => w > 0))
      .map((weights) => {
        const total = weights.reduce((sum, w) => sum + w, 0);
        return weights.map((w) => (w / total) * 100);
      });
  const fitProblem = fc.integer({ min: 1, max: 6 }).chain((destinations) =>
    fc.record({
      routeSplits: fc.array(declaredSplit(destinations), { minLength: 1, maxLength: 6 }),
      observedPercent: declaredSplit(destinations),
    }),
  );

  it('keeps α on the simplex', () => {
    fc.assert(
      fc.property(fitProblem, ({ routeSplits, observedPercent }) => {
        const { alpha } = fitMix(routeSplits, observedPercent);
        expect(alpha).toHaveLength(routeSplits.length);
        for (const a of alpha) expect(a).toBeGreaterThanOrEqual(0);
        expect(Math.abs(alpha.reduce((sum, a) => sum + a, 0) - 1)).toBeLessThanOrEqual(1e-9);
      }),
    );
  });

  it('fits no worse than any single route, and as well as any other mix', () => {
    fc.assert(
      fc.property(
        fitProblem,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 6, maxLength: 6 }),
        ({ routeSplits, observedPercent }, raw) => {
          const { alpha, fittedPercent } = fitMix(routeSplits, observedPercent);
          mixOf(routeSplits, alpha).forEach((p, d) => expect(fittedPercent[d]).toBeCloseTo(p, 9));
          const fit = squaredDistance(fittedPercent, observedPercent);
          for (const split of routeSplits) expect(fit).toBeLessThanOrEqual(squaredDistance(split, observedPercent) + 1e-6);
          const weights = raw.slice(0, routeSplits.length);
          const total = weights.reduce((sum, w) => sum + w, 0);
          if (total > 0) {
            const other = mixOf(routeSplits, weights.map((w) => w / total));
            expect(fit).toBeLessThanOrEqual(squaredDistance(other, observedPercent) + 1e-6);
          }
        },
      ),
    );
  });
});

describe('judgeMix', () => {
  // A conditional VirtualService: header-matched testers go to v3, everyone else 80/20 over v1/v2.
  const routeSplits = [
    [0, 0, 100],
    [80, 20, 0],
  ];

  it('passes traffic explained by some mix of the routes and reports that mix', () => {
    const verdict = judgeMix({ ...SETTINGS, routeSplits, counts: [2400, 600, 7000] });
    expect(verdict.status).toBe('pass');
    expect(verdict.alpha?.[0]).toBeCloseTo(0.7, 9);
    expect(verdict.alpha?.[1]).toBeCloseTo(0.3, 9);
    expect(verdict.fittedPercent?.[0]).toBeCloseTo(24, 8);
  });

  it('flags drift when no mix of the routes explains the traffic', () => {
    // v1:v2 at 50:50 whatever the testers do — the declared 80/20 cannot produce that.
    const verdict = judgeMix({ ...SETTINGS, routeSplits, counts: [2500, 2500, 5000] });
    expect(verdict.status).toBe('drift');
  });

  it('reports no traffic without inventing a mix', () => {
    const verdict = judgeMix({ ...SETTINGS, routeSplits, counts: [0, 0, 0] });
    expect(verdict.status).toBe('no-traffic');
    expect(verdict.alpha).toBeNull();
    expect(verdict.fittedPercent).toBeNull();
  });

  it('is inconclusive on thin traffic, like any route', () => {
    const verdict = judgeMix({ ...SETTINGS, routeSplits, counts: [8, 2, 5] });
    expect(verdict.status).toBe('inconclusive');
    expect(verdict.requestsNeeded).toBeGreaterThan(0);
  });

  it('rejects route splits over a different destination list', () => {
    expect(() => judgeMix({ ...SETTINGS, routeSplits: [[50, 50]], counts: [1, 2, 3] })).toThrow(RangeError);
  });
});
