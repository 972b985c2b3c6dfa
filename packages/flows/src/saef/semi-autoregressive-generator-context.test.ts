import {
  ArgumentError, flattenTree, grad, key, mul, normal, ShapeError, sum, tensor, type TensorTree,
} from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { perturb } from '../testing/index.js';
import { semiAutoregressiveGenerator, type SemiAutoregressiveGeneratorParams } from './semi-autoregressive-generator.js';

const d = 5;
const c = 3;
const gen = semiAutoregressiveGenerator(key(11), d, { blockSize: 2, hidden: [12], contextDim: c, generatorHidden: 6 });
// Away from the zero-initialised context → output map, so every context path is live.
const params = perturb(gen.params, key(12)) as SemiAutoregressiveGeneratorParams;
const eps = normal(key(13), [4, d]);
const ctx = normal(key(14), [4, c]);

describe('semiAutoregressiveGenerator with a context', () => {
  it('the context changes every block of the sample, block 0 (which reads no x) included', async () => {
    const a = await gen.generate(params, eps, ctx).data();
    const b = await gen.generate(params, eps, mul(ctx, -1)).data();
    for (let j = 0; j < d; j++) {
      const change = Math.max(...[0, 1, 2, 3].map((s) => Math.abs(a[s * d + j]! - b[s * d + j]!)));
      expect(change, `x_${j}`).toBeGreaterThan(1e-3);
    }
  });

  it('one context row [1, c] gives what that row repeated n times gives', async () => {
    const row = [0.3, -1.2, 0.8];
    const one = await gen.generate(params, eps, tensor(row, [1, c])).data();
    const tiled = await gen.generate(params, eps, tensor(Array.from({ length: 4 }, () => row).flat(), [4, c])).data();
    expect(Array.from(one)).toEqual(Array.from(tiled));
    // Rows with different noise under one context still differ: the broadcast shares c, not ε.
    expect(Math.abs(one[0]! - one[d]!)).toBeGreaterThan(1e-4);
    expect(gen.sample(params, key(1), 7, { context: tensor(row, [1, c]) }).shape).toEqual([7, d]);
  });

  it('keeps the block-autoregressive structure in ε: block b reads the noise of blocks <= b only', async () => {
    const e = await eps.data();
    const base = await gen.generate(params, eps, ctx).data();
    for (let i = 0; i < d; i++) {
      const bumped = await gen.generate(params, tensor(Float32Array.from(e, (v, idx) => (idx % d === i ? v + 0.5 : v)), [4, d]), ctx).data();
      for (let j = 0; j < d; j++) {
        const change = Math.max(...[0, 1, 2, 3].map((s) => Math.abs(bumped[s * d + j]! - base[s * d + j]!)));
        if (Math.floor(i / 2) > Math.floor(j / 2)) expect(change, `∂x_${j}/∂ε_${i}`).toBe(0);
      }
    }
  });

  it('the gradient of Σ r ⊙ x in the context parameters matches central finite differences', async () => {
    const r = normal(key(15), [4, d]);
    const loss = (p: SemiAutoregressiveGeneratorParams) => sum(mul(gen.generate(p, eps, ctx), r));
    const { leaves, rebuild } = flattenTree(params as unknown as TensorTree);
    const g = flattenTree(grad(loss)(params) as unknown as TensorTree).leaves;
    const ctxLeaves = flattenTree((params.conditioner as { context: TensorTree }).context).leaves;
    const h = 1e-2;
    let checked = 0;
    for (const leaf of ctxLeaves) {
      const li = leaves.indexOf(leaf);
      expect(li).toBeGreaterThanOrEqual(0);
      const v = await leaf.data();
      const gv = await g[li]!.data();
      for (const idx of [0, Math.floor(v.length / 2), v.length - 1]) {
        const at = async (delta: number) => {
          const moved = Float32Array.from(v, (x, k) => (k === idx ? x + delta : x));
          const p = rebuild(leaves.map((t, k) => (k === li ? tensor(moved, t.shape) : t))) as unknown as SemiAutoregressiveGeneratorParams;
          return (await loss(p).data())[0]!;
        };
        const fd = ((await at(h)) - (await at(-h))) / (2 * h);
        expect(Math.abs(fd - gv[idx]!), `leaf ${li}[${idx}]: fd ${fd}, autodiff ${gv[idx]}`).toBeLessThan(3e-3 + 2e-2 * Math.abs(fd));
        checked++;
      }
    }
    expect(checked).toBe(12);
    // Not a vacuous match: the context gradient is not zero.
    const norm = (await sum(mul(g[leaves.indexOf(ctxLeaves[2]!)]!, g[leaves.indexOf(ctxLeaves[2]!)]!)).data())[0]!;
    expect(norm).toBeGreaterThan(1e-6);
  });

  it('refuses a missing context, one of the wrong shape, and a context for an unconditional generator', () => {
    expect(() => gen.generate(params, eps)).toThrow(ArgumentError);
    expect(() => gen.generate(params, eps, normal(key(1), [3, c]))).toThrow(ShapeError);
    expect(() => gen.generate(params, eps, normal(key(1), [4, c + 1]))).toThrow(/received shape \[4, 4\]; expected \[4, 3\] or \[1, 3\]/);
    const plain = semiAutoregressiveGenerator(key(2), d, { blockSize: 2 });
    expect(() => plain.generate(plain.params, eps, ctx)).toThrow(/expected none, the generator was built with contextDim 0/);
    expect(() => semiAutoregressiveGenerator(key(2), d, { blockSize: 2, contextDim: -1 })).toThrow(/contextDim\): received -1/);
  });
});
