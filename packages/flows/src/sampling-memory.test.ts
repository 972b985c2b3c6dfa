import { add, grad, key, memory, mul, normal, sum, tensor, type Tensor, type TensorTree } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { maf } from './maf.js';
import { semiAutoregressiveFlow } from './saef/semi-autoregressive-flow.js';
import { semiAutoregressiveGenerator } from './saef/semi-autoregressive-generator.js';

/** Live storages an untraced call leaves behind, outside any tidy(), besides its results. */
function leftOver(run: () => Tensor[]): number {
  const before = memory().buffers;
  const outs = run();
  const after = memory().buffers - outs.length;
  for (const t of outs) t.dispose();
  return after - before;
}

describe('autoregressive inverses hold one pass in memory, not d', () => {
  const d = 24;
  const z = normal(key(1), [8, d]);

  it('MAF inverse: d passes leave a constant number of tensors, not one set per pass', () => {
    const t = maf(key(2), d, { hidden: [16] });
    // Without releasing, every pass would leave its hidden activations and parameters: ≥ 10 per pass.
    expect(leftOver(() => { const r = t.inverseAndLogDet!(t.params, null, z); return [r.out, r.logDet]; })).toBeLessThan(8);
  });

  it('SAEF generator and flow: ⌈d/k⌉ passes leave a constant number of tensors', () => {
    const g = semiAutoregressiveGenerator(key(3), d, { blockSize: 2, hidden: [16] });
    expect(leftOver(() => [g.generate(g.params, z)])).toBeLessThan(8);
    const f = semiAutoregressiveFlow(key(4), d, { blockSize: 2, hidden: [16] });
    expect(leftOver(() => { const r = f.inverseAndLogDet!(f.params, null, z); return [r.out, r.logDet]; })).toBeLessThan(8);
  });

  it('gradients through the MAF inverse still match central differences (the trace keeps every pass)', () => {
    const dim = 3;
    const t = maf(key(5), dim, { hidden: [4] });
    const zz = normal(key(6), [2, dim]);
    // Perturb the zero-initialised output layer so that every pass depends on the parameters.
    const p = { made: t.params.made.map((l, i) => ({ w: add(l.w, mul(normal(key(10 + i), l.w.shape), 0.3)), b: l.b })) };
    const f = (q: TensorTree) => { const r = t.inverseAndLogDet!(q as typeof p, null, zz); return add(sum(mul(r.out, r.out)), sum(r.logDet)); };
    const g = grad(f)(p as unknown as TensorTree) as unknown as typeof p;
    const layer = p.made.length - 1;
    const w = Float64Array.from(p.made[layer]!.w.dataSync());
    const gw = g.made[layer]!.w.dataSync();
    for (const j of [0, 3, w.length - 1]) {
      const h = 1e-2;
      const at = (delta: number) => {
        const v = Float32Array.from(w);
        v[j] = w[j]! + delta;
        const made = p.made.map((l, i) => (i === layer ? { w: tensor(v, l.w.shape), b: l.b } : l));
        return f({ made } as unknown as TensorTree).item();
      };
      const fd = (at(h) - at(-h)) / (2 * h);
      expect(Math.abs(gw[j]! - fd)).toBeLessThan(2e-2 * Math.max(1, Math.abs(fd)));
    }
  });
});
