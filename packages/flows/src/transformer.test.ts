import { abs, add, ArgumentError, div, key, log, mul, neg, normal, reshape, sliceAxis, sub, tensor, type Tensor } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { coupling } from './coupling.js';
import { maf } from './maf.js';
import { semiAutoregressiveFlow } from './saef/semi-autoregressive-flow.js';
import type { AnyTransform } from './transform.js';
import { checkTransformer, identityBias, transformerParams, type Transformer } from './transformer.js';

/**
 * A test transformer with P = 3 and identity parameters that are not zero:
 * y = a·x + b with a = θ₁·θ₃ (identity at θ = (1, 0, 1)) and b = θ₂. It is
 * only for layout checks (a may be negative or zero).
 */
function threeParams(): Transformer {
  const parts = (p: Tensor, x: Tensor) => [0, 1, 2].map((c) => reshape(sliceAxis(p, 2, c, c + 1), x.shape));
  return {
    kind: 'three', paramsPerDim: 3, identityParams: [1, 0, 1],
    forwardAndLogDet: (p, x) => {
      const [a1, b, a2] = parts(p, x) as [Tensor, Tensor, Tensor];
      const a = mul(a1, a2);
      return { out: add(mul(x, a), b), logDet: log(abs(a)) };
    },
    inverseAndLogDet: (p, y) => {
      const [a1, b, a2] = parts(p, y) as [Tensor, Tensor, Tensor];
      const a = mul(a1, a2);
      return { out: div(sub(y, b), a), logDet: neg(log(abs(a))) };
    },
  };
}

describe('the transformer seam', () => {
  it('reads a conditioner output parameter-major: column c·d + j is parameter c of entry j', async () => {
    // n = 1, d = 2, P = 3: h = [p0e0, p0e1, p1e0, p1e1, p2e0, p2e1] = [10, 11, 20, 21, 30, 31].
    const theta = transformerParams(tensor([[10, 11, 20, 21, 30, 31]]), 2, threeParams(), 'test');
    expect(theta.shape).toEqual([1, 2, 3]);
    expect(Array.from(await theta.data())).toEqual([10, 20, 30, 11, 21, 31]);
    expect(() => transformerParams(tensor([[1, 2, 3, 4]]), 2, threeParams(), 'test')).toThrow(/test: the conditioner returned shape \[1, 4\]; expected \[n, 6\]/);
  });

  it('identityBias repeats each identity parameter over the entries', () => {
    expect(Array.from(identityBias(threeParams(), 2))).toEqual([1, 1, 0, 0, 1, 1]);
  });

  it('checks the transformer it is given', () => {
    expect(() => checkTransformer({ ...threeParams(), paramsPerDim: 0 }, 'maf')).toThrow(/maf\(transformer\.paramsPerDim\): received 0; expected a positive integer/);
    expect(() => checkTransformer({ ...threeParams(), identityParams: [1, 0] }, 'coupling')).toThrow(ArgumentError);
    expect(() => maf(key(0), 3, { transformer: threeParams(), scaleClamp: 2 })).toThrow(/maf\(options\.scaleClamp\): received 2 together with a transformer/);
  });

  const layers: readonly (readonly [string, () => AnyTransform])[] = [
    ['coupling', () => coupling(key(1), 5, { transformer: threeParams(), hidden: [8], contextDim: 2 })],
    ['MAF', () => maf(key(2), 5, { transformer: threeParams(), hidden: [8], contextDim: 2 })],
    ['semi-autoregressive flow', () => semiAutoregressiveFlow(key(3), 5, { blockSize: 2, transformer: threeParams(), hidden: [8], contextDim: 2 })],
  ];
  for (const [name, make] of layers) {
    it(`a fresh ${name} with P = 3 and nonzero identity parameters is the identity, in both directions, with a context`, async () => {
      const t = make();
      const x = normal(key(4), [3, 5]);
      const o = { context: normal(key(5), [3, 2]) };
      const xs = await x.data();
      for (const r of [t.forwardAndLogDet(t.params, null, x, o), t.inverseAndLogDet(t.params, null, x, o)]) {
        expect(Array.from(await r.out.data())).toEqual(Array.from(xs));
        expect(Array.from(await r.logDet.data())).toEqual([0, 0, 0]);
      }
    });
  }
});
