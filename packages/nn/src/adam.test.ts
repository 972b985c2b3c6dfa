import { describe, expect, test } from 'vitest';
import { ArgumentError, tensor } from '@rheo/tensor';
import { adamInit, adamStep } from './adam';

// Hand computation in float64 of the same update rule.
function adamRef(theta: number[], grads: number[][], lr: number, b1: number, b2: number, eps: number, wd: number): number[] {
  const m = theta.map(() => 0), v = theta.map(() => 0);
  let th = [...theta];
  grads.forEach((g, t) => {
    th = th.map((x, i) => {
      m[i] = b1 * m[i]! + (1 - b1) * g[i]!;
      v[i] = b2 * v[i]! + (1 - b2) * g[i]! * g[i]!;
      const mh = m[i]! / (1 - b1 ** (t + 1)), vh = v[i]! / (1 - b2 ** (t + 1));
      return x - lr * mh / (Math.sqrt(vh) + eps) - lr * wd * x;
    });
  });
  return th;
}

describe('adam', () => {
  test('three steps match a float64 hand computation (Adam and AdamW)', () => {
    for (const wd of [0, 0.1]) {
      const grads = [[0.5, -2, 3], [0.1, 0.2, -0.3], [-1, 1, 0.01]];
      let p = { w: tensor([1, -1, 0.5]) };
      let s = adamInit(p);
      for (const g of grads) [p, s] = adamStep(p, { w: tensor(g) }, s, { lr: 0.1, weightDecay: wd });
      const ref = adamRef([1, -1, 0.5], grads, 0.1, 0.9, 0.999, 1e-8, wd);
      Array.from(p.w.dataSync()).forEach((x, i) => expect(x).toBeCloseTo(ref[i]!, 5));
    }
  });

  test('gradient clipping rescales to the global norm', () => {
    // With one step, Adam's update is lr·sign(g) whatever the scale, so check the stored moment instead.
    const p = [tensor([0, 0]), tensor([0])];
    const [, s] = adamStep(p, [tensor([3, 0]), tensor([4])], adamInit(p), { clipNorm: 1 });
    const m0 = s.m[0]!.dataSync();
    expect(m0[0]).toBeCloseTo(0.1 * 0.6, 7);
    expect(m0[1]).toBe(0);
    expect(s.m[1]!.dataSync()[0]).toBeCloseTo(0.1 * 0.8, 7);
  });

  test('gradient clipping leaves gradients below the norm unchanged', () => {
    const p = [tensor([0, 0]), tensor([0])];
    const [, s] = adamStep(p, [tensor([3, 0]), tensor([4])], adamInit(p), { clipNorm: 10 });
    // ‖g‖ = 5 ≤ 10, so m = (1 − β1)·g.
    expect(s.m[0]!.dataSync()[0]).toBeCloseTo(0.1 * 3, 7);
    expect(s.m[1]!.dataSync()[0]).toBeCloseTo(0.1 * 4, 7);
  });

  test('bad options name themselves', () => {
    const p = tensor([1]);
    expect(() => adamStep(p, p, adamInit(p), { lr: -1 })).toThrow(ArgumentError);
    expect(() => adamStep(p, p, adamInit(p), { beta2: 1 })).toThrow(/adam\(beta2\): expected a number in \[0, 1\), received 1/);
  });
});
