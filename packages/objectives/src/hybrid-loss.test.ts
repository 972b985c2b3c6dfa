import { add, ArgumentError, exp, grad, matmul, mul, ShapeError, square, sum, tensor, zeros, type Tensor } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { crossEntropy, hybridLoss } from './hybrid-loss.js';

// A tiny hybrid model: an elementwise affine flow z = x ⊙ exp(s) + b with a
// standard normal base, and a linear classifier logits = z Wᵀ + c on z.
const X = [[0.3, -1.1], [1.4, 0.2], [-0.7, 0.9], [0.05, -0.4], [2.1, 1.3]];
const Y = [0, 2, 1, 1, 0];
const P0 = { s: [0.2, -0.3], b: [0.1, -0.5], w: [0.4, -0.2, 0.7, 0.3, -0.6, 0.5], c: [0.05, -0.1, 0.2] };
type Flat = typeof P0;

/** The loss in float64 plain JS, written out from the formula: the independent reference. */
function reference(p: Flat, lambda: number): number {
  let total = 0;
  X.forEach((x, i) => {
    const z = x.map((v, j) => v * Math.exp(p.s[j]!) + p.b[j]!);
    const logPx = z.reduce((a, v) => a - 0.5 * v * v - 0.5 * Math.log(2 * Math.PI), 0) + p.s[0]! + p.s[1]!;
    const logits = [0, 1, 2].map((k) => p.w[2 * k]! * z[0]! + p.w[2 * k + 1]! * z[1]! + p.c[k]!);
    const m = Math.max(...logits);
    const lse = m + Math.log(logits.reduce((a, v) => a + Math.exp(v - m), 0));
    total += lambda * logPx + (logits[Y[i]!]! - lse);
  });
  return -total / X.length;
}

function model(p: { s: Tensor; b: Tensor; w: Tensor; c: Tensor }, lambda: number): Tensor {
  const x = tensor(X.flat(), [5, 2]);
  const z = add(mul(x, exp(p.s)), p.b);
  const logProb = add(add(sum(mul(square(z), -0.5), 1), sum(p.s)), -Math.log(2 * Math.PI));
  const logits = add(matmul(z, p.w, { transposeB: true }), p.c);
  return hybridLoss(logProb, logits, Y, { lambda });
}

const asTensors = (p: Flat) => ({ s: tensor(p.s, [2]), b: tensor(p.b, [2]), w: tensor(p.w, [3, 2]), c: tensor(p.c, [3]) });

describe('hybridLoss', () => {
  for (const lambda of [0, 1 / 2, 1]) {
    it(`λ = ${lambda}: value and gradient match a float64 reference and its central differences`, async () => {
      expect((await model(asTensors(P0), lambda).data())[0]).toBeCloseTo(reference(P0, lambda), 5);
      const g = grad((p: ReturnType<typeof asTensors>) => model(p, lambda))(asTensors(P0));
      const h = 1e-5;
      for (const name of ['s', 'b', 'w', 'c'] as const) {
        const auto = await g[name].data();
        for (let i = 0; i < P0[name].length; i++) {
          const at = (d: number) => reference({ ...P0, [name]: P0[name].map((v, j) => (j === i ? v + d : v)) }, lambda);
          const fd = (at(h) - at(-h)) / (2 * h);
          expect(Math.abs(auto[i]! - fd), `∂/∂${name}[${i}]: autodiff ${auto[i]}, differences ${fd}`).toBeLessThan(2e-5 + 1e-4 * Math.abs(fd));
        }
      }
      // λ = 0 leaves the flow's parameters only the classifier's pull: ∂/∂s is then not the generative term's Σ s.
      if (lambda > 0) expect(Math.abs((await g.s.data())[0]!)).toBeGreaterThan(1e-3);
    });
  }

  it('crossEntropy of uniform logits is log K', async () => {
    expect((await crossEntropy(zeros([4, 10]), [0, 3, 9, 5]).data())[0]).toBeCloseTo(Math.log(10), 6);
  });

  it('names a bad λ, labels out of range and mismatched rows', () => {
    const lp = zeros([3]);
    const logits = zeros([3, 2]);
    expect(() => hybridLoss(lp, logits, [0, 1, 1], { lambda: -1 })).toThrow(/hybridLoss\(options.lambda\): received -1; expected a finite number ≥ 0/);
    expect(() => hybridLoss(lp, logits, [0, 2, 1], { lambda: 1 })).toThrow(ArgumentError);
    expect(() => hybridLoss(lp, logits, [0, 1], { lambda: 1 })).toThrow(/received 2 labels; expected 3/);
    expect(() => hybridLoss(zeros([4]), logits, [0, 1, 1], { lambda: 1 })).toThrow(ShapeError);
  });
});
