import { key, normal, type Tensor } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { maf } from './maf.js';
import { jacobians } from './testing/jacobian.js';
import { perturb } from './testing/perturb.js';

async function host(t: Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

/** Checks ∂z_i/∂x_j = 0 whenever x_j comes at or after x_i in the order, and ∂z_i/∂x_i ≠ 0. */
function expectAutoregressive(J: number[][], position: readonly number[]): void {
  const d = position.length;
  let nonzeroBelow = 0;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      if (i === j) expect(Math.abs(J[i]![j]!), `diagonal ${i}`).toBeGreaterThan(1e-3);
      else if (position[j]! > position[i]!) expect(J[i]![j], `∂z_${i}/∂x_${j}`).toBe(0);
      else if (Math.abs(J[i]![j]!) > 1e-4) nonzeroBelow++;
    }
  }
  // The structure is not trivially diagonal: earlier inputs do reach later outputs.
  expect(nonzeroBelow).toBeGreaterThan(0);
}

describe('maf', () => {
  for (const [name, order, position] of [
    ['natural', 'natural', [0, 1, 2, 3, 4]],
    ['reversed', 'reversed', [4, 3, 2, 1, 0]],
    ['explicit', [2, 0, 4, 1, 3], [2, 0, 4, 1, 3]],
  ] as const) {
    it(`has a Jacobian triangular in its order (${name}), by brute force`, async () => {
      const t = maf(key(1), 5, { hidden: [16, 16], order });
      const p = perturb(t.params, key(2), 0.5);
      const J = await jacobians((v) => t.forwardAndLogDet(p, null, v).out, normal(key(3), [2, 5]));
      for (const js of J) expectAutoregressive(js, position);
    });
  }

  it('draws a random order from its key, and the Jacobian respects it', async () => {
    const t = maf(key(4), 6, { hidden: [24], order: 'random' });
    const p = perturb(t.params, key(5), 0.5);
    const [J] = await jacobians((v) => t.forwardAndLogDet(p, null, v).out, normal(key(6), [1, 6]));
    // Recover the order from the Jacobian: entry i depends on the inputs before it, so sorting by dependency count gives it.
    const deps = J!.map((row, i) => row.filter((v, j) => j !== i && v !== 0).length);
    expect([...deps].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(deps).not.toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('starts as the identity', async () => {
    const t = maf(key(7), 3, { hidden: [8] });
    const x = normal(key(8), [4, 3]);
    const { out, logDet } = t.forwardAndLogDet(t.params, null, x);
    expect(await host(out)).toEqual(await host(x));
    expect((await host(logDet)).every((v) => v === 0)).toBe(true);
  });

  it('conditions on the context: the output and the log-det change with it', async () => {
    const t = maf(key(9), 3, { hidden: [8], contextDim: 2 });
    const p = perturb(t.params, key(10));
    const x = normal(key(11), [4, 3]);
    const a = t.forwardAndLogDet(p, null, x, { context: normal(key(12), [4, 2]) });
    const b = t.forwardAndLogDet(p, null, x, { context: normal(key(13), [4, 2]) });
    const [ao, bo, al, bl] = [await host(a.out), await host(b.out), await host(a.logDet), await host(b.logDet)];
    for (let s = 0; s < 4; s++) {
      // Even z_1 (first in the order, no x to condition on) moves with the context.
      expect(Math.abs(ao[3 * s]! - bo[3 * s]!)).toBeGreaterThan(1e-3);
      expect(Math.abs(al[s]! - bl[s]!)).toBeGreaterThan(1e-4);
    }
  });

  it('names bad arguments', () => {
    expect(() => maf(key(0), 0)).toThrow(/maf\(dim\): received 0; expected a positive integer/);
    expect(() => maf(key(0), 3, { order: [0, 0, 1] })).toThrow(/order/);
    const t = maf(key(0), 3, { hidden: [4] });
    expect(() => t.forwardAndLogDet(t.params, null, normal(key(1), [2, 4]))).toThrow(/maf.forward\(x\): received shape \[2, 4\]; expected \[n, 3\]/);
  });
});
