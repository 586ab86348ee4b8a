import { test } from 'vitest';
import { fitMix } from '../../src/verdict/index.js';
function rnd(seed: number) { return () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; }; }
test('scratch', () => {
  const r = rnd(11);
  let worst = 0, worstT = 0, tot = 0;
  for (let k = 0; k < 20000; k++) {
    const R = 1 + Math.floor(r() * 8), D = 1 + Math.floor(r() * 8);
    const splits = Array.from({ length: R }, () => { const w = Array.from({ length: D }, () => (r() < 0.3 ? 0 : Math.floor(r()*(r()<0.5?10:1000)))); if (w.every(x=>x===0)) w[0]=1; const t = w.reduce((a,b)=>a+b,0); return w.map(x => x / t * 100); });
    if (r() < 0.2 && R > 1) splits[1] = [...splits[0]!];
    const obs = Array.from({ length: D }, () => r() * 100);
    const t0 = performance.now();
    const { alpha } = fitMix(splits, obs);
    const dt = performance.now() - t0; worstT = Math.max(worstT, dt); tot += dt;
    const P = splits.map(s => s.map(x => x / 100)); const q = obs.map(x => x / 100);
    const res = q.map((qq, d) => P.reduce((s, col, i) => s + alpha[i]! * col[d]!, 0) - qq);
    const g = P.map(col => 2 * col.reduce((s, x, d) => s + x * res[d]!, 0));
    const gap = g.reduce((s, x, i) => s + x * alpha[i]!, 0) - Math.min(...g);
    if (gap > worst) { worst = gap; if (gap > 1e-12) console.log(JSON.stringify({splits, obs, alpha, gap})); }
  }
  console.log('worst gap', worst, 'worst ms', worstT, 'total ms', tot);
});
