import { add, concat, key, mul, normal, sliceAxis, sub, tensor, type Tensor } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { blockLayout } from './block-layout.js';
import { blockMadeConditioner, type Conditioner } from './conditioner.js';
import { perturb } from '../testing/index.js';
import { semiAutoregressiveFlow } from './semi-autoregressive-flow.js';

/**
 * A hand-made block conditioner for d = 3, k = 2 (blocks {0, 1}, {2}):
 * μ = (c₀, 0.25, a·(x₀ + x₁)), ŝ = (c₁, 0.5, b·x₀ − x₁), params [c, (a, b)].
 */
function handConditioner(): Conditioner<Tensor[]> {
  return {
    params: [tensor([0.5, -1.5]), tensor([0.7, 0.2])],
    apply: ([c, ab], x) => {
      const ones = mul(sliceAxis(x, 1, 0, 1), 0);
      const col = (v: Tensor | number) => add(ones, v);
      const x0 = sliceAxis(x, 1, 0, 1);
      const x1 = sliceAxis(x, 1, 1, 2);
      const a = sliceAxis(ab!, 0, 0, 1);
      const b = sliceAxis(ab!, 0, 1, 2);
      return concat([col(sliceAxis(c!, 0, 0, 1)), col(0.25), mul(add(x0, x1), a), col(sliceAxis(c!, 0, 1, 2)), col(0.5), sub(mul(x0, b), x1)], 1);
    },
  };
}

const s = (raw: number) => 3 * Math.tanh(raw / 3);

describe('semiAutoregressiveFlow', () => {
  it('matches the closed form z_b = (x_b − μ_b)·exp(−s_b), log-det −Σ s, for a hand-made conditioner', async () => {
    const f = semiAutoregressiveFlow(key(0), 3, { blockSize: 2, conditioner: handConditioner() });
    const x = normal(key(1), [4, 3]);
    const xs = await x.data();
    const { out, logDet } = f.forwardAndLogDet(f.params, null, x);
    const z = await out.data();
    const ld = await logDet.data();
    for (let n = 0; n < 4; n++) {
      const [x0, x1, x2] = [xs[3 * n]!, xs[3 * n + 1]!, xs[3 * n + 2]!];
      const mu = [0.5, 0.25, 0.7 * (x0 + x1)];
      const sc = [s(-1.5), s(0.5), s(0.2 * x0 - x1)];
      [x0, x1, x2].forEach((v, j) => expect(z[3 * n + j]).toBeCloseTo((v - mu[j]!) * Math.exp(-sc[j]!), 5));
      expect(ld[n]).toBeCloseTo(-(sc[0]! + sc[1]! + sc[2]!), 5);
    }
  });

  for (const [d, k, passes] of [[5, 2, 3], [4, 1, 4], [3, 3, 1], [7, 3, 3]] as const) {
    it(`d=${d}, k=${k}: density in one conditioner pass, sampling in ⌈d/k⌉ = ${passes}, round trip exact`, async () => {
      const inner = blockMadeConditioner(key(d + k), blockLayout(d, k, 'test'), 2, { hidden: [16] });
      let calls = 0;
      const counting: Conditioner = { params: inner.params, apply: (p, x) => (calls++, inner.apply(p as typeof inner.params, x)) };
      const f = semiAutoregressiveFlow(key(0), d, { blockSize: k, conditioner: counting });
      const z = normal(key(2), [5, d]);
      const x = f.inverse!(f.params, null, z);
      expect(calls).toBe(passes);
      calls = 0;
      const back = await f.forwardAndLogDet(f.params, null, x).out.data();
      expect(calls).toBe(1);
      const zs = await z.data();
      back.forEach((v, i) => expect(v).toBeCloseTo(zs[i]!, 5));
    });
  }

  it('sampling is block-autoregressive: x of block b is unchanged by the noise of later blocks', async () => {
    const d = 5;
    const f = semiAutoregressiveFlow(key(4), d, { blockSize: 2, hidden: [16] });
    const p = perturb(f.params, key(6)); // away from the identity it starts at
    const z = normal(key(5), [2, d]);
    const zs = await z.data();
    const base = await f.inverse!(p, null, z).data();
    for (let i = 0; i < d; i++) {
      const bumped = await f.inverse!(p, null, tensor(Float32Array.from(zs, (v, idx) => (idx % d === i ? v + 0.5 : v)), [2, d])).data();
      for (let j = 0; j < d; j++) {
        const change = Math.max(Math.abs(bumped[j]! - base[j]!), Math.abs(bumped[d + j]! - base[d + j]!));
        const [bi, bj] = [Math.floor(i / 2), Math.floor(j / 2)];
        if (bi > bj || (bi === bj && i !== j)) expect(change, `∂x_${j}/∂z_${i}`).toBe(0); // elementwise within a block
        else expect(change, `∂x_${j}/∂z_${i}`).toBeGreaterThan(1e-6);
      }
    }
  });
});
