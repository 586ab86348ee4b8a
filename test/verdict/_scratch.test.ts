import { test } from 'vitest';
import { fitMix } from '../../src/verdict/index.js';
function rnd(seed: number) { return () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; }; }
test('scratch', () => {
  const r = rnd(7);
  let worst = 0; let worstT = 0;
  for (let k = 0; k < 2000; k++) {
    const R = 1 + Math.floor(r() * 6), D = 1 + Math.floor(r() * 6);
    const splits = Array.from({ length: R }, () => { const w = Array.from({ length: D }, () => (r() < 0.3 ? 0 : r())); const s = w.reduce((a, b) => a + b, 0) || 1; if (w.every(x=>x===0)) w[0]=1; const t = w.reduce((a,b)=>a+b,0); return w.map(x => x / t * 100); });
    if (r() < 0.3 && R > 1 && process.env.NEAR) splits[1] = splits[0]!.map(x => Math.max(0, x + (r() - 0.5) * 1e-4));
    const obs = Array.from({ length: D }, () => r() * 100);
    const t0 = performance.now();
    const { alpha } = fitMix(splits, obs);
    const dt = performance.now() - t0; worstT = Math.max(worstT, dt);
    // FW gap in fraction units
    const P = splits.map(s => s.map(x => x / 100)); const q = obs.map(x => x / 100);
    const res = q.map((qq, d) => P.reduce((s, col, i) => s + alpha[i]! * col[d]!, 0) - qq);
    const g = P.map(col => 2 * col.reduce((s, x, d) => s + x * res[d]!, 0));
    const gap = g.reduce((s, x, i) => s + x * alpha[i]!, 0) - Math.min(...g);
    worst = Math.max(worst, gap);
  }
  console.log('worst gap', worst, 'worst ms', worstT);
});
