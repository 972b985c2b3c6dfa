import { describe, expect, test } from 'vitest';
import { ArgumentError, type Key, type Tensor, add, grad, key, mul, normal, tensor } from '@rheo/tensor';
import { energyLoss } from './energy-loss.js';

// Φ by the Abramowitz–Stegun 7.1.26 erf approximation (error < 1.5e-7).
function Phi(z: number): number {
  const v = z / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * Math.abs(v));
  const p = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return 0.5 * (1 + Math.sign(v) * (1 - p * Math.exp(-v * v)));
}

describe('energyLoss', () => {
  test('reparameterised gradient in the model mean matches −mean(2Φ((y − μ)/σ) − 1), the derivative of the closed form', () => {
    // Model X = μ + σ z; E|X − y| = σ[z(2Φ(z) − 1) + 2φ(z)] with z = (y − μ)/σ has d/dμ = −(2Φ(z) − 1);
    // the spread term does not depend on μ.
    const sigma = 0.8, mu = 0.25, ys = [-0.3, 0.9, 1.4, 2];
    const data = tensor(ys, [4, 1]);
    const reps = 20;
    const vals: number[] = [];
    for (let r = 0; r < reps; r++) {
      const f = (m: Tensor): Tensor => energyLoss((k: Key, count: number) => add(mul(normal(k, [count, 1]), sigma), m), key(50 + r), data, { m: 64 });
      vals.push(grad(f)(tensor([mu])).item());
    }
    const mean = vals.reduce((a, b) => a + b) / reps;
    const se = Math.sqrt(vals.reduce((a, b) => a + (b - mean) ** 2, 0) / (reps - 1) / reps);
    const exact = -ys.reduce((a, y) => a + 2 * Phi((y - mu) / sigma) - 1, 0) / ys.length;
    expect(Math.abs(mean - exact)).toBeLessThan(3 * se + 1e-4);
  });

  test('checks m and the sampler output', () => {
    const data = tensor([[0], [1]]);
    expect(() => energyLoss((k, c) => normal(k, [c, 1]), key(0), data, { m: 1 })).toThrow(/energyLoss\(m\): expected an integer ≥ 2, received 1/);
    expect(() => energyLoss((k, c) => normal(k, [c, 2]), key(0), data)).toThrow(ArgumentError);
  });
});
