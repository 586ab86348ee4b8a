import { describe, expect, it } from 'vitest';
import { extrapolatedRate, type Point } from '../../../mocks/promql/extrapolate.js';

/**
 * Hand-computed cases of Prometheus' extrapolatedRate (promql/functions.go), in the
 * millisecond units the TSDB uses. `increase(points, end, rangeSeconds)`.
 */
const increase = (points: Point[], endMs: number, rangeSeconds: number) =>
  extrapolatedRate(points, endMs - rangeSeconds * 1000, endMs, rangeSeconds, true, false);
const rate = (points: Point[], endMs: number, rangeSeconds: number) =>
  extrapolatedRate(points, endMs - rangeSeconds * 1000, endMs, rangeSeconds, true, true);

/** Samples every 15 s from k = from..to, value f(k); window [1507 − 600, 1507] s → k = 61..100. */
const every15s = (from: number, to: number, f: (k: number) => number): Point[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ t: (from + i) * 15_000, v: f(from + i) }));
const inWindow = (points: Point[], endMs: number, rangeSeconds: number) =>
  points.filter((p) => p.t >= endMs - rangeSeconds * 1000 && p.t <= endMs);
const END = 1_507_000;

describe('extrapolatedRate', () => {
  it('steady counter: both gaps (8 s, 7 s) under 1.1 × 15 s are extrapolated to the window edges', () => {
    const points = inWindow(every15s(0, 120, (k) => 1000 + 3 * k), END, 600);
    expect(points).toHaveLength(40);
    // 39 steps of 3 = 117 over 585 s, extrapolated by 8 s + 7 s.
    expect(increase(points, END, 600)).toBeCloseTo((117 * 600) / 585, 12);
    expect(increase(points, END, 600)).toBeCloseTo(120, 12);
    expect(rate(points, END, 600)).toBeCloseTo(0.2, 14);
  });

  it('late start with a small first value: the start is extrapolated only to the zero point', () => {
    // k = 80..100, 2 + 5(k − 80): +100 over 300 s; 293 s to the window start, but the line
    // through the samples is zero 300 × 2/100 = 6 s before the first sample.
    const points = inWindow(every15s(80, 120, (k) => 2 + 5 * (k - 80)), END, 600);
    expect(increase(points, END, 600)).toBeCloseTo((100 * (300 + 6 + 7)) / 300, 12);
  });

  it('late start and early end with a large value: both ends extrapolated by half an interval only', () => {
    // k = 80..95, 1000 + 5(k − 80): +75 over 225 s; zero point 3000 s away, gaps 293 s and 82 s.
    const points = inWindow(every15s(80, 95, (k) => 1000 + 5 * (k - 80)), END, 600);
    expect(increase(points, END, 600)).toBeCloseTo((75 * (225 + 7.5 + 7.5)) / 225, 12);
    expect(increase(points, END, 600)).toBeCloseTo(80, 12);
  });

  it('a counter reset adds the value before the drop', () => {
    const points = [10, 20, 30, 5, 15].map((v, i) => ({ t: i * 15_000, v }));
    // 15 − 10 + 30 = 35 over 60 s; start gap 5 s (zero point 60 × 10/35 s away), end gap 2 s.
    expect(increase(points, 62_000, 67)).toBeCloseTo((35 * 67) / 60, 12);
  });

  it('a gap of 1.1 × the average interval or more is extrapolated by half an interval only', () => {
    const points = [0, 10, 20].map((v, i) => ({ t: 100_000 + i * 10_000, v: 1000 + v }));
    // avg 10 s: a start gap of 11.5 s → +5 s; 10.9 s → extrapolated fully. End gap 0.
    expect(increase(points, 120_000, 31.5)).toBeCloseTo((20 * 25) / 20, 12);
    expect(increase(points, 120_000, 30.9)).toBeCloseTo((20 * 30.9) / 20, 12);
  });

  it('no zero clamp when the first value is negative (only for counters that start >= 0)', () => {
    const points = [-10, 0, 10].map((v, i) => ({ t: 30_000 + i * 15_000, v }));
    // +20 over 30 s, start gap 30 s > 16.5 → +7.5; end gap 0.
    expect(increase(points, 60_000, 60)).toBeCloseTo((20 * 37.5) / 30, 12);
  });

  it('fewer than two samples give no value', () => {
    expect(increase([], 60_000, 60)).toBeUndefined();
    expect(increase([{ t: 30_000, v: 1 }], 60_000, 60)).toBeUndefined();
  });

  it('rate divides by the range, not by the sampled interval', () => {
    const points = [{ t: 0, v: 0 }, { t: 60_000, v: 60 }];
    expect(rate(points, 60_000, 60)).toBe(1);
  });
});
