import { key, normal, tensor, type Tensor } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { compose } from './compose.js';
import { randomPermutation, reversePermutation, permute } from './permutation.js';
import { residualBlock } from './residual/residual-block.js';
import { semiAutoregressiveFlow } from './saef/semi-autoregressive-flow.js';
import { checkTransform, logAbsDet } from './testing/check-transform.js';
import type { AnyTransform } from './transform.js';

interface Case {
  readonly name: string;
  readonly make: () => AnyTransform;
  readonly d: number;
}

/** Every transform, with a small random instance; the same properties are checked for each. */
const CASES: readonly Case[] = [
  { name: 'reverse permutation', make: () => reversePermutation(5), d: 5 },
  { name: 'random permutation', make: () => randomPermutation(key(3), 6), d: 6 },
  { name: 'composition', make: () => compose([reversePermutation(4), randomPermutation(key(1), 4)]), d: 4 },
  { name: 'residual block (LipSwish, exact log-det)', make: () => residualBlock(key(21), 3, { hidden: [12, 12] }), d: 3 },
  { name: 'residual block (ELU, c = 0.5)', make: () => residualBlock(key(22), 4, { hidden: [10], activation: 'elu', coeff: 0.5 }), d: 4 },
  { name: 'semi-autoregressive flow (k = 2, d = 5)', make: () => semiAutoregressiveFlow(key(25), 5, { blockSize: 2, hidden: [16] }), d: 5 },
  { name: 'semi-autoregressive flow (k = 1, d = 3)', make: () => semiAutoregressiveFlow(key(26), 3, { blockSize: 1, hidden: [8] }), d: 3 },
  { name: 'semi-autoregressive flow (k = d = 4)', make: () => semiAutoregressiveFlow(key(27), 4, { blockSize: 4 }), d: 4 },
  { name: 'residual block (ℓ∞-normalised weights)', make: () => residualBlock(key(28), 3, { hidden: [12], norm: 'infinity', coeff: 0.9 }), d: 3 },
  { name: 'residual blocks composed', make: () => compose([residualBlock(key(23), 2, { hidden: [8], activation: 'tanh' }), reversePermutation(2), residualBlock(key(24), 2)]), d: 2 },
];

describe('transform properties (round trip, brute-force log-det, fused vs plain)', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const t = c.make();
      const x: Tensor = normal(key(7), [5, c.d]);
      await checkTransform(t, t.params, t.buffers, x);
    });
  }
});

describe('permutations', () => {
  it('moves columns as the index list says', async () => {
    const t = permute([2, 0, 1]);
    const { out } = t.forwardAndLogDet([], null, tensor([[10, 20, 30]]));
    expect(Array.from(await out.data())).toEqual([30, 10, 20]);
  });

  it('rejects a list that is not a permutation', () => {
    expect(() => permute([0, 0, 1])).toThrow(/permute\(perm\): received \[0, 0, 1\]; expected a permutation of 0\.\.2/);
  });
});

describe('the brute-force reference itself', () => {
  it('logAbsDet matches a closed form: det [[2, 1], [1, 3]] = 5, and a singular matrix gives -Infinity', () => {
    expect(logAbsDet(Float64Array.from([2, 1, 1, 3]), 2)).toBeCloseTo(Math.log(5), 12);
    expect(logAbsDet(Float64Array.from([0, 1, 1, 0]), 2)).toBeCloseTo(0, 12);
    expect(logAbsDet(Float64Array.from([1, 2, 2, 4]), 2)).toBe(-Infinity);
  });
});
