import { adamInit, adamStep, disposeTree } from '@rheo/nn';
import { key, mean, neg, normal, tensor, tidy, valueAndGrad, type Tensor, type TensorTree } from '@rheo/tensor';
import { expect, it } from 'vitest';
import { flow, logProb } from './flow.js';
import { standardNormal } from './base.js';
import { maf } from './maf.js';
import { reversePermutation } from './permutation.js';

/**
 * n points of N(0, Σ), Σ = [[1, ρ], [ρ, 1]], whitened so their sample mean is
 * exactly 0 and sample covariance exactly Σ: then the true density's mean NLL
 * on them equals the entropy ½ log((2πe)² det Σ) exactly, and the test's
 * margin is not eaten by sampling noise.
 */
async function correlatedGaussian(seed: number, n: number, rho: number): Promise<Tensor> {
  const e = Array.from(await normal(key(seed), [n, 2]).data());
  const m = [0, 1].map((j) => e.filter((_, i) => i % 2 === j).reduce((a, b) => a + b, 0) / n);
  const c = e.map((v, i) => v - m[i % 2]!);
  let s00 = 0, s01 = 0, s11 = 0;
  for (let i = 0; i < n; i++) {
    s00 += c[2 * i]! ** 2 / n; s01 += (c[2 * i]! * c[2 * i + 1]!) / n; s11 += c[2 * i + 1]! ** 2 / n;
  }
  // Inverse Cholesky factor of the sample covariance, then the Cholesky factor of Σ.
  const l00 = Math.sqrt(s00), l10 = s01 / l00, l11 = Math.sqrt(s11 - l10 * l10);
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const w0 = c[2 * i]! / l00;
    const w1 = (c[2 * i + 1]! - l10 * w0) / l11;
    out[2 * i] = w0;
    out[2 * i + 1] = rho * w0 + Math.sqrt(1 - rho * rho) * w1;
  }
  return tensor(out, [n, 2]);
}

it('a MAF trained by maximum likelihood on a correlated 2-D Gaussian reaches its entropy within 0.05 nats', async () => {
  const rho = 0.8;
  const entropy = Math.log(2 * Math.PI * Math.E) + 0.5 * Math.log(1 - rho * rho);
  const train = await correlatedGaussian(1, 512, rho);
  const test = await correlatedGaussian(2, 2048, rho);
  const f = flow(standardNormal(2), [maf(key(3), 2, { hidden: [16], activation: 'tanh' }), reversePermutation(2), maf(key(4), 2, { hidden: [16], activation: 'tanh' })]);
  const nll = (p: TensorTree[], x: Tensor) => neg(mean(logProb(f, p, f.buffers, x)));
  const nllAt = async (p: TensorTree[], x: Tensor) => {
    const l = tidy(() => nll(p, x));
    const v = (await l.data())[0]!;
    l.dispose();
    return v;
  };
  const start = await nllAt(f.params, test);
  let params = f.params;
  let state = adamInit(params);
  for (let step = 0; step < 200; step++) {
    const [value, g] = valueAndGrad((p: TensorTree[]) => nll(p, train))(params);
    const [p2, s2] = adamStep(params, g, state, { lr: 2e-2 });
    disposeTree([state.m, state.v, g, value]);
    if (step > 0) disposeTree(params);
    [params, state] = [p2, s2];
  }
  const end = await nllAt(params, test);
  // At the identity the model is N(0, I): NLL = log 2π + E‖x‖²/2 = log 2π + 1, far from the entropy.
  expect(start).toBeCloseTo(Math.log(2 * Math.PI) + 1, 4);
  expect(Math.abs(end - entropy)).toBeLessThan(0.05);
});
