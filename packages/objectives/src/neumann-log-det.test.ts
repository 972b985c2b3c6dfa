import { describe, expect, test } from 'vitest';
import { type Tensor, broadcastTo, grad, key, mean, sum, tensor } from '@rheo/tensor';
import { memorySavingLogDet, neumannLogDet } from './neumann-log-det.js';
import { russianRouletteLogDet } from './residual-log-det.js';
import { type BlockTensors, D, applyBlock, blockTensors, logDetParamGradFd, logDetRef, makeBlock } from './testing/residual-block.js';

const params = makeBlock(0.7);
const x0 = [0.4, -0.3, 0.2, 0.6];
const flat = (g: BlockTensors): number[] => [...g.b.dataSync(), ...g.w1.dataSync(), ...g.w2.dataSync()];

describe('Neumann-series gradient estimators', () => {
  test('the mean of seeded Neumann gradient estimates matches the exact gradient of log det within 3 standard errors', () => {
    const exact = logDetParamGradFd(params, x0);
    const R = 40, n = 250;
    const x = broadcastTo(tensor([x0]), [n, D]);
    const runs: number[][] = [];
    for (let r = 0; r < R; r++) {
      const g = grad((p: BlockTensors) => mean(neumannLogDet((y) => applyBlock(y, p), x, { key: key(1000 + r), perSample: true })))(blockTensors(params));
      runs.push(flat(g));
    }
    // Directional derivatives along fixed directions: each a scalar with a standard error over the R runs.
    const dirs = [exact.map((_, i) => Math.sin(3 * i + 1)), exact.map((_, i) => (i % 3) - 1), exact];
    for (const u of dirs) {
      const vals = runs.map((g) => g.reduce((a, v, i) => a + v * u[i]!, 0));
      const m = vals.reduce((a, b) => a + b) / R;
      const se = Math.sqrt(vals.reduce((a, b) => a + (b - m) ** 2, 0) / (R - 1) / R);
      const ref = exact.reduce((a, v, i) => a + v * u[i]!, 0);
      expect(Math.abs(m - ref)).toBeLessThan(3 * se);
    }
    // and the whole mean vector is close
    const meanVec = exact.map((_, i) => runs.reduce((a, g) => a + g[i]!, 0) / R);
    const err = Math.hypot(...meanVec.map((v, i) => v - exact[i]!)) / Math.hypot(...exact);
    expect(err).toBeLessThan(0.1);
  });

  test('value is the roulette estimate with the same key; memory-saving form has the same value and gradients', () => {
    const n = 6;
    const xs = tensor(Array.from({ length: n * D }, (_, i) => Math.cos(i)), [n, D]);
    const opts = { key: key(77), nProbes: 2 };
    const p = blockTensors(params);
    const roulette = russianRouletteLogDet((y) => applyBlock(y, p), xs, opts).dataSync();
    const neumann = neumannLogDet((y) => applyBlock(y, p), xs, opts).dataSync();
    const saving = memorySavingLogDet(applyBlock, xs, p, opts).dataSync();
    for (let s = 0; s < n; s++) {
      expect(neumann[s]!).toBeCloseTo(roulette[s]!, 5);
      expect(saving[s]!).toBeCloseTo(roulette[s]!, 5);
    }
    const lossA = ([q, y]: [BlockTensors, Tensor]): Tensor => mean(neumannLogDet((z) => applyBlock(z, q), y, opts));
    const lossB = ([q, y]: [BlockTensors, Tensor]): Tensor => mean(memorySavingLogDet(applyBlock, y, q, opts));
    const [ga, gxa] = grad(lossA)([p, xs]);
    const [gb, gxb] = grad(lossB)([p, xs]);
    flat(ga).forEach((v, i) => expect(flat(gb)[i]!).toBeCloseTo(v, 5));
    Array.from(gxa.dataSync()).forEach((v, i) => expect(gxb.dataSync()[i]!).toBeCloseTo(v, 5));
    expect(sum(gxa).item()).not.toBe(0);
    expect(logDetRef(params, x0)).toBeLessThan(0);
  });
});
