import { adamInit, adamStep } from '@rheo/nn';
import {
  add, ArgumentError, fold, key, mapTree, matmul, mul, mean, normal, reshape, sqrt, square, sub, sum, tensor, tidy, valueAndGrad, type Key, type Tensor,
} from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { blockLayout } from './block-layout.js';
import { blockMadeConditioner, type Conditioner } from './conditioner.js';
import { semiAutoregressiveGenerator, type SemiAutoregressiveGeneratorParams } from './semi-autoregressive-generator.js';

const blocks = (d: number, k: number) => Array.from({ length: d }, (_, j) => Math.floor(j / k));

describe('semiAutoregressiveGenerator', () => {
  for (const [d, k] of [[5, 2], [4, 1], [4, 4], [3, 2]] as const) {
    it(`d=${d}, k=${k}: block b of the sample depends on the noise of blocks <= b only, and on all of them`, async () => {
      const gen = semiAutoregressiveGenerator(key(d * 10 + k), d, { blockSize: k, hidden: [16] });
      const eps = normal(key(1), [3, d]);
      const base = await gen.generate(gen.params, eps).data();
      const e = await eps.data();
      const blockOf = blocks(d, k);
      for (let i = 0; i < d; i++) {
        // Finite difference in ε_i: outputs of earlier blocks must be bit-for-bit unchanged.
        const bumped = await gen.generate(gen.params, tensor(Float32Array.from(e, (v, idx) => (idx % d === i ? v + 0.5 : v)), [3, d])).data();
        for (let j = 0; j < d; j++) {
          const change = Math.max(...[0, 1, 2].map((s) => Math.abs(bumped[s * d + j]! - base[s * d + j]!)));
          if (blockOf[i]! > blockOf[j]!) expect(change, `∂x_${j}/∂ε_${i}`).toBe(0);
          else expect(change, `∂x_${j}/∂ε_${i}`).toBeGreaterThan(1e-6);
        }
      }
    });
  }

  for (const [d, k, passes] of [[5, 1, 5], [5, 2, 3], [5, 5, 1], [6, 4, 2], [5, 7, 1]] as const) {
    it(`d=${d}, k=${k}: sampling takes ⌈d/k⌉ = ${passes} conditioner passes, and that many are enough`, async () => {
      const layout = blockLayout(d, k, 'test');
      const inner = blockMadeConditioner(key(2), layout, 4, { hidden: [12] });
      let calls = 0;
      const counting: Conditioner = { params: inner.params, apply: (p, x) => (calls++, inner.apply(p as typeof inner.params, x)) };
      const gen = semiAutoregressiveGenerator(key(3), d, { blockSize: k, conditioner: counting });
      const eps = normal(key(4), [4, d]);
      const x = gen.generate(gen.params, eps);
      expect(calls).toBe(passes);
      expect(gen.sample(gen.params, key(5), 7).shape).toEqual([7, d]);
      // x is the fixed point of one more pass; one pass fewer is not (when there is more than one block).
      const again = await gen.step(gen.params, eps, x).data();
      const xs = await x.data();
      xs.forEach((v, i) => expect(again[i]).toBeCloseTo(v, 6));
      if (passes > 1) {
        // Steeper weights, so the influence of block 0 survives the whole chain of blocks in float32.
        const steep = mapTree(gen.params, (t) => mul(t, 3));
        const full = await gen.generate(steep, eps).data();
        let short: Tensor = tensor(new Float32Array(4 * d), [4, d]);
        for (let p = 0; p < passes - 1; p++) short = gen.step(steep, eps, short);
        const s = await short.data();
        expect(Math.max(...Array.from(s, (v, i) => Math.abs(v - full[i]!)))).toBeGreaterThan(1e-5);
      }
    });
  }

  it('rejects a bad block size, a conditioner of the wrong width and a bad sample count', () => {
    expect(() => semiAutoregressiveGenerator(key(0), 4, { blockSize: 0 })).toThrow(/blockSize\): received 0; expected a positive integer/);
    const bad: Conditioner = { params: [], apply: (_p, x) => x };
    const gen = semiAutoregressiveGenerator(key(0), 3, { blockSize: 1, conditioner: bad });
    expect(() => gen.sample(gen.params, key(1), 2)).toThrow(/conditioner returned shape \[2, 3\]; expected \[2, 12\]/);
    expect(() => gen.sample(gen.params, key(1), 0)).toThrow(ArgumentError);
  });
});
