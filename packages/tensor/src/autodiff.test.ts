import { describe, expect, it } from 'vitest';
import './backends/cpu.js';
import { customVjp, grad, vjp } from './autodiff.js';
import { tensor } from './creation.js';
import { concat } from './ops/concat.js';
import { mul } from './ops/mul.js';
import { sum } from './ops/sum.js';
import type { Tensor } from './tensor.js';

// f(x) = x³ elementwise with the rule pullback(ct) = 3x²·ct: the rule's ops are
// ordinary ones, so outer gradients flow through it.
const cube = (x: Tensor) => mul(mul(x, x), x);
let ruleCalls = 0;
const cubeRule = (x: Tensor) => {
  ruleCalls++;
  const slope = mul(mul(x, x), 3);
  return { out: cube(x), pullback: (ct: Tensor) => mul(ct, slope) };
};

describe('customVjp', () => {
  it('calling it is calling f; vjp() runs the rule instead of tracing f', async () => {
    const f = customVjp(cube, cubeRule);
    const x = tensor([0.5, -2, 3]);
    expect(Array.from(await f(x).data())).toEqual([0.125, -8, 27]);
    const before = ruleCalls;
    const { out, pullback } = vjp(f, x);
    expect(ruleCalls).toBe(before + 1);
    expect(Array.from(await out.data())).toEqual([0.125, -8, 27]);
    expect(Array.from(await pullback(tensor([1, 2, -1])).data())).toEqual([0.75, 24, -27]);
  });

  it('outer gradients flow through the rule: d/dx Σ pullback(c)·x matches central differences', async () => {
    const f = customVjp(cube, cubeRule);
    const c = [0.3, -1.1, 0.7];
    // h(x) = Σ 3x²·c·x = Σ 3c·x³, h'(x) = 9c·x².
    const h = (x: Tensor) => sum(mul(vjp(f, x).pullback(tensor(c)), x));
    const x0 = [0.5, -2, 1.5];
    const g = await grad(h)(tensor(x0)).data();
    const f64 = (v: number[]) => v.reduce((a, xi, i) => a + 3 * c[i]! * xi ** 3, 0);
    x0.forEach((xi, i) => {
      const e = 1e-4, up = [...x0], dn = [...x0];
      up[i] = xi + e; dn[i] = xi - e;
      expect(g[i]).toBeCloseTo((f64(up) - f64(dn)) / (2 * e), 3);
    });
  });
});

describe('the tape and the caller’s arrays', () => {
  it('an array of inputs grown after the op does not change its gradient (concat of a list that keeps growing)', async () => {
    // d/dx Σ (concat([x, y]) ⊙ w) is w's first half; the list is pushed to after the concat.
    const w = tensor([1, 2, 3, 4, 5]);
    const g = await grad((x: Tensor) => {
      const parts = [x, tensor([7, 8])];
      const c = concat(parts, 0);
      parts.push(tensor([9]));
      return sum(mul(concat([c, parts[2]!], 0), w));
    })(tensor([0.5, -1])).data();
    expect(Array.from(g)).toEqual([1, 2]);
  });
});
