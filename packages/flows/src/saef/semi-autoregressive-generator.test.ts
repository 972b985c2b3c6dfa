import { adamInit, adamStep } from '@rheo/nn';
import {
  add, ArgumentError, flattenTree, fold, key, mapTree, matmul, mul, mean, normal, reshape, sqrt, square, sub, sum, tensor, tidy, valueAndGrad, type Key, type Tensor,
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

  // Sampling computes block t alone in pass t (the block's rows and columns of the generator's
  // layers, the block-MADE's last layer on the block's feature rows). The reference here is the
  // definition: ⌈d/k⌉ full passes of `step`, every block in every pass.
  for (const [d, k, contextDim, custom] of [[43, 10, 0, false], [5, 2, 0, false], [6, 1, 0, false], [7, 3, 2, false], [5, 2, 0, true]] as const) {
    it(`d=${d}, k=${k}${contextDim ? ', with a context' : ''}${custom ? ', custom conditioner' : ''}: block-by-block sampling equals full passes, in values and gradients`, () => {
      const layout = blockLayout(d, k, 'test');
      const made = blockMadeConditioner(key(7), layout, 4, { hidden: [24] });
      // A conditioner without `blockFeatures`: sampling slices its full output instead.
      const plain: Conditioner = { params: made.params, apply: (p, x) => made.apply(p as typeof made.params, x) };
      const gen = semiAutoregressiveGenerator(key(d * 100 + k), d, { blockSize: k, hidden: [32, 32], contextDim, ...(custom ? { conditioner: plain } : {}) });
      const n = 9;
      const eps = normal(key(1), [n, d]);
      const c = contextDim > 0 ? normal(key(2), [n, contextDim]) : undefined;
      const passes = (p: SemiAutoregressiveGeneratorParams) => {
        let x: Tensor = tensor(new Float32Array(n * d), [n, d]);
        for (let t = 0; t < layout.count; t++) x = gen.step(p, eps, x, c);
        return x;
      };
      const weights = tensor(Float32Array.from({ length: n * d }, (_, i) => Math.sin(i)), [n, d]);
      const loss = (f: (p: SemiAutoregressiveGeneratorParams) => Tensor) => (p: SemiAutoregressiveGeneratorParams) => sum(mul(mul(f(p), f(p)), weights));
      tidy(() => {
        // The same nonzero terms (the full product's others are zeros), but the smaller products may
        // take another kernel (a narrow one for a block's few outputs) and round differently.
        const x = gen.generate(gen.params, eps, c).dataSync(), y = passes(gen.params).dataSync();
        x.forEach((v, j) => expect(Math.abs(v - y[j]!), `x[${j}]`).toBeLessThan(1e-6 * Math.max(1, Math.abs(y[j]!))));
        const [la, ga] = valueAndGrad(loss((p) => gen.generate(p, eps, c)))(gen.params);
        const [lb, gb] = valueAndGrad(loss(passes))(gen.params);
        expect(la.dataSync()[0]).toBeCloseTo(lb.dataSync()[0]!, 5);
        // Gradients sum the passes' contributions in another order: float32 rounding apart.
        const a = flattenTree(ga).leaves, b = flattenTree(gb).leaves;
        expect(a.length).toBe(b.length);
        a.forEach((t, i) => {
          const u = t.dataSync(), v = b[i]!.dataSync();
          const scale = Math.max(1, ...Array.from(v, Math.abs));
          u.forEach((x, j) => expect(Math.abs(x - v[j]!), `leaf ${i}, entry ${j}`).toBeLessThan(2e-6 * scale));
        });
      });
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
