import { key, normal, tensor, tidy } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { assertChecks, checkTransform } from '../testing/index.js';
import { lipschitzMlp } from './lipschitz-mlp.js';
import { residualBlock } from './residual-block.js';
import { initPowerVectors, mixedPowerIterate, powerIterate, spectralNormEstimate } from './spectral-norm.js';

const pnorm = (v: readonly number[], p: number) => Math.pow(v.reduce((a, x) => a + Math.abs(x) ** p, 0), 1 / p);

/** max ‖Wx‖_q over the unit ℓp circle, by a dense grid of angles (W has two columns). */
function bruteInducedNorm(w: number[][], p: number, q: number): number {
  let best = 0;
  const steps = 200_000;
  for (let i = 0; i < steps; i++) {
    const t = (2 * Math.PI * i) / steps;
    const d = [Math.cos(t), Math.sin(t)];
    const s = pnorm(d, p);
    const x = [d[0]! / s, d[1]! / s];
    best = Math.max(best, pnorm(w.map((row) => row[0]! * x[0]! + row[1]! * x[1]!), q));
  }
  return best;
}

describe('induced mixed norms', () => {
  for (const [p, q] of [[3, 1.5], [2, 3], [4, 2.5]] as const) {
    it(`the generalised power method finds ‖W‖_{${p}→${q}} of a 3x2 matrix`, async () => {
      const rows = [[0.9, -0.4], [0.3, 1.2], [-0.7, 0.5]];
      const w = tensor(rows);
      const est = tidy(() => spectralNormEstimate(w, mixedPowerIterate(w, initPowerVectors(key(1), 3, 2), 200, p, q)));
      const brute = bruteInducedNorm(rows, p, q);
      expect(Math.abs((await est.data())[0]! - brute)).toBeLessThan(2e-4 * brute);
    });
  }

  it('never overestimates: a local maximum below the true ‖W‖_{1.5→4} is a lower bound', async () => {
    // For p < q the method can stop at a local maximum (here about 1.02 against 1.22):
    // σ̂ = ‖Wv‖_q with ‖v‖_p = 1 is still a valid lower bound, never above the norm.
    const rows = [[0.9, -0.4], [0.3, 1.2], [-0.7, 0.5]];
    const w = tensor(rows);
    const est = (await tidy(() => spectralNormEstimate(w, mixedPowerIterate(w, initPowerVectors(key(1), 3, 2), 200, 1.5, 4))).data())[0]!;
    expect(est).toBeLessThanOrEqual(bruteInducedNorm(rows, 1.5, 4) * (1 + 1e-5));
    expect(est).toBeGreaterThan(0);
  });

  it('reduces to the ordinary power method for p = q = 2', async () => {
    const w = normal(key(2), [4, 3]);
    const v0 = initPowerVectors(key(3), 4, 3);
    const a = spectralNormEstimate(w, mixedPowerIterate(w, v0, 60, 2, 2));
    const b = spectralNormEstimate(w, powerIterate(w, v0, 60));
    expect((await a.data())[0]).toBeCloseTo((await b.data())[0]!, 5);
  });

  it('bounds the residual branch in ℓ3: ‖g(x) − g(y)‖_3 <= c‖x − y‖_3 on random pairs', async () => {
    const c = 0.8;
    const g = lipschitzMlp(key(4), 2, { hidden: [8], activation: 'elu', coeff: c, norm: { orders: [3, 1.5, 3] } });
    // Scale the weights up so the normalisation is active.
    const params = { ...g.params, layers: g.params.layers.map((l) => ({ w: tensor(Array.from(l.w.dataSync(), (v) => 4 * v), l.w.shape), b: l.b })) };
    let bufs = g.buffers;
    for (let i = 0; i < 20; i++) bufs = g.updateBuffers(params, bufs);
    const f = g.bind(params, bufs, false);
    const x = normal(key(5), [2000, 2]), y = normal(key(6), [2000, 2]);
    const [fx, fy, xv, yv] = await Promise.all([f(x).data(), f(y).data(), x.data(), y.data()]);
    let worst = 0;
    for (let i = 0; i < 2000; i++) {
      const num = pnorm([fx[2 * i]! - fy[2 * i]!, fx[2 * i + 1]! - fy[2 * i + 1]!], 3);
      worst = Math.max(worst, num / pnorm([xv[2 * i]! - yv[2 * i]!, xv[2 * i + 1]! - yv[2 * i + 1]!], 3));
    }
    expect(worst).toBeLessThanOrEqual(c + 1e-3);
    expect(worst).toBeGreaterThan(0.2 * c); // the bound is not met trivially
  });

  it('residual blocks with mixed norms round-trip and match the brute-force log-det', async () => {
    const t = residualBlock(key(7), 3, { hidden: [10], activation: 'elu', coeff: 0.7, norm: { orders: [4, 2.5, 4] } });
    assertChecks('mixed-norm block', await checkTransform(t, t.params, t.buffers, normal(key(8), [5, 3])));
  });

  it('rejects orders whose first and last differ, or that leave (1, ∞)', () => {
    expect(() => lipschitzMlp(key(0), 2, { hidden: [4], norm: { orders: [3, 2, 2] } })).toThrow(/norm\.orders\): received \[3, 2, 2\]; expected 3 orders in \(1, ∞\)/);
    expect(() => lipschitzMlp(key(0), 2, { hidden: [4], norm: { orders: [1, 2, 1] } })).toThrow(/norm\.orders/);
  });
});
