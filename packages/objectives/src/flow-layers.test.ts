// The objectives used with @rheo/flows' layers, which take them as arguments
// (the layers do not import this package).
import { residualBlock, semiAutoregressiveGenerator, type LipschitzMlpParams, type ResidualBlock, type SemiAutoregressiveGeneratorParams } from '@rheo/flows';
import { adamInit, adamStep } from '@rheo/nn';
import {
  add, fold, key, matmul, mean, mul, normal, reshape, sqrt, square, sub, sum, tensor, tidy, valueAndGrad, type Key, type Tensor,
} from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { energyLoss } from './energy-loss.js';
import { russianRouletteLogDet } from './residual-log-det.js';

/** A block whose weights are scaled up, so normalisation is active and g is as steep as c allows. */
function steep(block: ResidualBlock, s: number): LipschitzMlpParams {
  return { layers: block.params.layers.map((l) => ({ w: mul(l.w, s), b: l.b })), beta: block.params.beta };
}

describe('residualBlock with an estimator passed in', () => {
  it('accepts the Russian-roulette estimator: its mean over keys matches the block\'s built-in exact log-det', async () => {
    const opts = { hidden: [16], activation: 'tanh', coeff: 0.9, powerIterations: { evaluation: 40 } } as const;
    // d = 1 with ±1 probes: vᵀJᵏv = Jᵏ exactly, so only the roulette draw is random and the check is sharp.
    const ex = residualBlock(key(31), 1, opts);
    const rr = residualBlock(key(31), 1, { ...opts, logDet: (g, v, o) => russianRouletteLogDet(g, v, { key: o!.key!, probe: 'rademacher' }) });
    const p3 = steep(ex, 4);
    const x3 = tensor([[-0.7], [0.1], [1.3]]);
    const exact = await ex.forwardAndLogDet(p3, ex.buffers, x3).logDet.data();
    const draws = 150;
    const acc = [0, 0, 0];
    const acc2 = [0, 0, 0];
    for (let i = 0; i < draws; i++) {
      const est = await rr.forwardAndLogDet(p3, rr.buffers, x3, { key: fold(key(40), i) }).logDet.data();
      est.forEach((v, s) => {
        acc[s] += v;
        acc2[s] += v * v;
      });
    }
    acc.forEach((sum1, s) => {
      const m = sum1 / draws;
      const se = Math.sqrt(Math.max(acc2[s]! / draws - m * m, 0) / draws);
      expect(Math.abs(m - exact[s]!)).toBeLessThan(4 * se + 1e-5);
      expect(Math.abs(exact[s]!)).toBeGreaterThan(8 * se); // the check can tell the estimate from 0
    });
  });
});

/** Mean pairwise Euclidean distance between the rows of a [n, 2] and b [m, 2] (with a tiny floor for a gradient at 0). */
function meanDistance(a: Tensor, b: Tensor): Tensor {
  const diff = sub(reshape(a, [a.shape[0]!, 1, 2]), reshape(b, [1, b.shape[0]!, 2]));
  return mean(sqrt(add(sum(square(diff), 2), 1e-12)));
}

/** Energy distance 2E‖X−Y‖ − E‖X−X'‖ − E‖Y−Y'‖ (Székely & Rizzo 2013), the V-statistic. */
function energyDistance(x: Tensor, y: Tensor): Tensor {
  return sub(sub(mul2(meanDistance(x, y)), meanDistance(x, x)), meanDistance(y, y));
}

function mul2(t: Tensor): Tensor {
  return add(t, t);
}

// Target: N(m, AAᵀ) with m = (2, −1), A = [[1, 0], [0.8, 0.4]]: shifted and correlated.
function target(k: Key, n: number): Tensor {
  return add(matmul(normal(k, [n, 2]), tensor([[1, 0.8], [0, 0.4]])), tensor([2, -1]));
}

describe('semiAutoregressiveGenerator: training on samples alone', () => {
  it('moves its samples toward a 2-D target when trained with the energy objective', async () => {
    const gen = semiAutoregressiveGenerator(key(9), 2, { blockSize: 1, hidden: [16], generatorHidden: 16, generatorLayers: 1 });
    const evaluate = async (p: SemiAutoregressiveGeneratorParams) =>
      (await tidy(() => energyDistance(gen.sample(p, key(100), 400), target(key(101), 400))).data())[0]!;
    // Trained with @rheo/objectives' energy loss (4 model samples per data point), judged by the energy distance written here.
    const loss = (p: SemiAutoregressiveGeneratorParams, k: Key) =>
      energyLoss((kk, count) => gen.sample(p, kk, count), fold(k, 0), target(fold(k, 1), 64), { m: 4 });
    let params = gen.params;
    let state = adamInit(params);
    const before = await evaluate(params);
    for (let step = 0; step < 120; step++) {
      const [p2, s2] = tidy(() => {
        const [, grads] = valueAndGrad(loss)(params, fold(key(7), step));
        return adamStep(params, grads, state, { lr: 0.03 });
      });
      params = p2;
      state = s2;
    }
    const after = await evaluate(params);
    expect(before).toBeGreaterThan(0.5);
    expect(after).toBeLessThan(before / 10);
  });
});
