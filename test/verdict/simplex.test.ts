import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { projectOntoSimplex } from '../../src/verdict/simplex.js';

describe('projectOntoSimplex', () => {
  it('projects known points', () => {
    expect(projectOntoSimplex([0.2, 0.3, 0.5])).toEqual([0.2, 0.3, 0.5]);
    expect(projectOntoSimplex([2, 0])).toEqual([1, 0]);
    expect(projectOntoSimplex([1, 1])).toEqual([0.5, 0.5]);
    expect(projectOntoSimplex([0.5, 0.5, -1])).toEqual([0.5, 0.5, 0]);
    expect(projectOntoSimplex([5])).toEqual([1]);
  });

  it('lands on the simplex, at the point the projection theorem characterises', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 1, maxLength: 8 }), (v) => {
        const x = projectOntoSimplex(v);
        for (const xi of x) expect(xi).toBeGreaterThanOrEqual(0);
        expect(Math.abs(x.reduce((sum, xi) => sum + xi, 0) - 1)).toBeLessThanOrEqual(1e-12);
        // x is the projection iff (v − x)·(y − x) ≤ 0 for every y in the simplex; vertices suffice.
        const residual = v.map((vi, i) => vi - (x[i] ?? 0));
        const atX = residual.reduce((sum, r, i) => sum + r * (x[i] ?? 0), 0);
        for (const r of residual) expect(r - atX).toBeLessThanOrEqual(1e-9);
      }),
    );
  });
});
