import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { judgeSplit } from '../../src/verdict/index.js';
import type { SplitInput, SplitVerdict } from '../../src/verdict/index.js';

const SETTINGS = { tolerancePoints: 5, confidence: 0.95, minRequests: 100 };
const VERDICTS = ['pass', 'drift', 'inconclusive', 'no-traffic'];

function judge(declaredPercent: number[], counts: number[], names?: string[]): SplitVerdict {
  return judgeSplit({ ...SETTINGS, declaredPercent, counts, ...(names ? { destinationNames: names } : {}) });
}

describe('judgeSplit: the seed walkthrough and the canonical cases', () => {
  it('calls 5 vs 8 requests on a 50/50 split inconclusive, not "about half and half"', () => {
    const verdict = judge([50, 50], [5, 8], ['v1', 'v2']);
    expect(verdict.status).toBe('inconclusive');
    expect(verdict.requests).toBe(13);
    expect(verdict.destinations.map((d) => d.status)).toEqual(['inconclusive', 'inconclusive']);
    expect(verdict.requestsNeeded).toBeGreaterThan(0);
    expect(verdict.message).toMatch(/^13 requests, fewer than the 100 required; about [\d,]+ more needed to settle$/);
  });

  it('passes 2030/7970 against a declared 20/80', () => {
    const verdict = judge([20, 80], [2030, 7970]);
    expect(verdict.status).toBe('pass');
    expect(verdict.requestsNeeded).toBeNull();
    const [v1, v2] = verdict.destinations;
    expect(v1?.actualPercent).toBeCloseTo(20.3, 10);
    expect(v1?.deltaPoints).toBeCloseTo(0.3, 10);
    // Bonferroni over 2 destinations: the 97.5 % interval (mpmath reference, see wilson.test.ts).
    expect(v1?.interval?.[0]).toBeCloseTo(19.4134513956, 8);
    expect(v1?.interval?.[1]).toBeCloseTo(21.2163755037, 8);
    expect(v2?.status).toBe('pass');
    expect(verdict.message).toBe('10,000 requests; every destination within 5 points of its declared share');
  });

  it('flags 560/1440 against a declared 20/80 as drift', () => {
    const verdict = judge([20, 80], [560, 1440], ['v1', 'v2']);
    expect(verdict.status).toBe('drift');
    expect(verdict.destinations.map((d) => d.status)).toEqual(['drift', 'drift']);
    expect(verdict.destinations[0]?.deltaPoints).toBeCloseTo(8, 10);
    expect(verdict.requestsNeeded).toBeNull();
    expect(verdict.message).toBe('v1 at 28.0% is outside 20% ± 5 (interval 25.8–30.3%)');
  });

  it('flags substantial traffic to an undeclared destination (declared 0 %) as drift', () => {
    const verdict = judge([50, 50, 0], [400, 400, 200], ['v1', 'v2', 'v3']);
    expect(verdict.status).toBe('drift');
    expect(verdict.destinations[2]?.status).toBe('drift');
    expect(verdict.destinations[2]?.actualPercent).toBeCloseTo(20, 10);
    expect(verdict.message).toMatch(/^v3 at 20\.0% is outside 0% ± 5/);
  });

  it('says no-traffic when nothing was observed', () => {
    const verdict = judge([20, 80], [0, 0]);
    expect(verdict).toEqual({
      status: 'no-traffic',
      requests: 0,
      destinations: [
        { actualPercent: null, deltaPoints: null, interval: null, status: 'no-traffic' },
        { actualPercent: null, deltaPoints: null, interval: null, status: 'no-traffic' },
      ],
      requestsNeeded: null,
      message: 'no requests in the window',
    });
  });
});

describe('judgeSplit: rules at the edges', () => {
  it('reports clear drift even below min-requests', () => {
    // 0 of 30 on a 50 % destination: a 1-in-a-billion outcome if the split held.
    const verdict = judge([50, 50], [0, 30]);
    expect(verdict.requests).toBeLessThan(SETTINGS.minRequests);
    expect(verdict.status).toBe('drift');
  });

  it('does not pass below min-requests even when every interval is inside', () => {
    const verdict = judgeSplit({ ...SETTINGS, tolerancePoints: 40, declaredPercent: [50, 50], counts: [25, 25] });
    expect(verdict.destinations.every((d) => d.interval !== null && d.interval[0] >= 10 && d.interval[1] <= 90)).toBe(true);
    expect(verdict.status).toBe('inconclusive');
    expect(verdict.requestsNeeded).toBe(50);
  });

  it('says when a share on the band edge will never settle', () => {
    const verdict = judge([50, 50], [550, 450]);
    expect(verdict.status).toBe('inconclusive');
    expect(verdict.requestsNeeded).toBeNull();
    expect(verdict.message).toContain('would not settle');
  });

  it('estimates the extra requests after which the route settles, and not one fewer', () => {
    const counts = [40, 60];
    const verdict = judge([50, 50], counts);
    expect(verdict.status).toBe('inconclusive');
    const needed = verdict.requestsNeeded ?? Number.NaN;
    const scaled = (extra: number) => counts.map((count) => (count * (100 + extra)) / 100);
    expect(judge([50, 50], scaled(needed)).status).not.toBe('inconclusive');
    expect(judge([50, 50], scaled(needed - 1)).status).toBe('inconclusive');
  });

  it('passes a single-destination route once it has enough requests', () => {
    expect(judge([100], [150]).status).toBe('pass');
    expect(judge([100], [10]).status).toBe('inconclusive');
  });

  it('Bonferroni-corrects over every destination, undeclared ones included', () => {
    const two = judge([50, 50], [500, 500]).destinations[0]?.interval ?? [0, 0];
    const three = judge([50, 50, 0], [500, 500, 0]).destinations[0]?.interval ?? [0, 0];
    expect(three[1] - three[0]).toBeGreaterThan(two[1] - two[0]);
  });

  it('reads fractional counts from increase() without rounding them', () => {
    const verdict = judge([20, 80], [2.5, 9.7]);
    expect(verdict.requests).toBeCloseTo(12.2, 12);
    expect(verdict.destinations[0]?.actualPercent).toBeCloseTo((2.5 / 12.2) * 100, 10);
    expect(verdict.message).toMatch(/^12 requests/);
  });

  it('rejects malformed input as a bug upstream', () => {
    const valid: SplitInput = { ...SETTINGS, declaredPercent: [20, 80], counts: [1, 2] };
    expect(() => judgeSplit({ ...valid, counts: [1] })).toThrow(RangeError);
    expect(() => judgeSplit({ ...valid, counts: [1, -2] })).toThrow(RangeError);
    expect(() => judgeSplit({ ...valid, counts: [1, Number.NaN] })).toThrow(RangeError);
    expect(() => judgeSplit({ ...valid, declaredPercent: [20, 70] })).toThrow(RangeError);
    expect(() => judgeSplit({ ...valid, confidence: 1 })).toThrow(RangeError);
    expect(() => judgeSplit({ ...valid, counts: [0, 0], confidence: 1 })).toThrow(RangeError);
    expect(() => judgeSplit({ ...valid, tolerancePoints: -1 })).toThrow(RangeError);
    expect(() => judgeSplit({ ...valid, destinationNames: ['v1'] })).toThrow(RangeError);
  });
});

/** A declared split as Istio produces it: integer weights, made relative, undeclared ones at 0. */
const declaredSplit = fc
  .array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 6 })
  .filter((weights) => weights.some((w) => w > 0))
  .map((weights) => {
    const total = weights.reduce((sum, w) => sum + w, 0);
    return weights.map((w) => (w / total) * 100);
  });

const count = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 1_000_000 }), fc.double({ min: 0, max: 1e12, noNaN: true }));

const splitInput: fc.Arbitrary<SplitInput> = declaredSplit.chain((declaredPercent) =>
  fc.record({
    declaredPercent: fc.constant(declaredPercent),
    counts: fc.array(count, { minLength: declaredPercent.length, maxLength: declaredPercent.length }),
    tolerancePoints: fc.double({ min: 0, max: 50, noNaN: true }),
    confidence: fc.double({ min: 0.5, max: 0.9999, noNaN: true }),
    minRequests: fc.integer({ min: 0, max: 10_000 }),
  }),
);

describe('judgeSplit: properties', () => {
  it('never throws for non-negative counts and always answers with one of the four verdicts', () => {
    fc.assert(
      fc.property(splitInput, (input) => {
        const verdict = judgeSplit(input);
        expect(VERDICTS).toContain(verdict.status);
        expect(verdict.destinations).toHaveLength(input.counts.length);
        for (const destination of verdict.destinations) expect(VERDICTS).toContain(destination.status);
        expect(verdict.message.length).toBeGreaterThan(0);
      }),
    );
  });

  it('keeps the route verdict consistent with its destinations', () => {
    fc.assert(
      fc.property(splitInput, (input) => {
        const verdict = judgeSplit(input);
        const statuses = verdict.destinations.map((d) => d.status);
        if (verdict.requests === 0) expect(verdict.status).toBe('no-traffic');
        else if (statuses.includes('drift')) expect(verdict.status).toBe('drift');
        else if (statuses.every((s) => s === 'pass')) expect(verdict.status).toBe('pass');
        else expect(verdict.status).toBe('inconclusive');
        if (verdict.status === 'pass') expect(verdict.requests).toBeGreaterThanOrEqual(input.minRequests);
        if (verdict.status !== 'inconclusive') expect(verdict.requestsNeeded).toBeNull();
        if (verdict.requestsNeeded !== null) expect(verdict.requestsNeeded).toBeGreaterThan(0);
      }),
    );
  });

  it('gives every observed share an interval around it, in percent', () => {
    fc.assert(
      fc.property(splitInput, (input) => {
        for (const destination of judgeSplit(input).destinations) {
          if (destination.interval === null || destination.actualPercent === null) continue;
          const [lo, hi] = destination.interval;
          expect(lo).toBeGreaterThanOrEqual(0);
          expect(hi).toBeLessThanOrEqual(100);
          expect(lo).toBeLessThanOrEqual(destination.actualPercent);
          expect(hi).toBeGreaterThanOrEqual(destination.actualPercent);
        }
      }),
    );
  });
});
