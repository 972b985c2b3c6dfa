import { key } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { twoMoonsLogLikelihood, twoMoonsSimulator } from './two-moons.js';

describe('two moons', () => {
  const t: [number, number] = [0.3, -0.5];

  /** ∫ f(x) p(x | θ) dx on a fine grid over the box that holds the crescent. */
  function integrate(f: (x0: number, x1: number) => number): number {
    const g = 1000;
    const [lo0, hi0, lo1, hi1] = [-0.2, 0.3, -0.85, -0.35];
    const h0 = (hi0 - lo0) / g;
    const h1 = (hi1 - lo1) / g;
    let s = 0;
    for (let i = 0; i < g; i++) {
      for (let j = 0; j < g; j++) {
        const x0 = lo0 + (i + 0.5) * h0;
        const x1 = lo1 + (j + 0.5) * h1;
        s += f(x0, x1) * Math.exp(twoMoonsLogLikelihood(x0, x1, t[0], t[1])) * h0 * h1;
      }
    }
    return s;
  }

  it('the likelihood integrates to 1 and its moments match simulated draws', () => {
    // The midpoint rule across the half-plane edge q₀ = 0 costs about 1e-3.
    expect(Math.abs(integrate(() => 1) - 1)).toBeLessThan(2e-3);
    const sim = twoMoonsSimulator();
    const n = 200_000;
    const theta = { data: Float64Array.from({ length: 2 * n }, (_, i) => t[i % 2]!), rows: n, cols: 2 };
    const x = sim.simulate(key(1), theta);
    for (const [name, f] of [['x0', (a: number) => a], ['x1', (_a: number, b: number) => b], ['x0²', (a: number) => a * a]] as const) {
      let mc = 0;
      for (let r = 0; r < n; r++) mc += f(x.data[2 * r]!, x.data[2 * r + 1]!) / n;
      expect(Math.abs(mc - integrate(f)), name).toBeLessThan(1e-3);
    }
  });

  it('the grid posterior puts its mass on two crescents: both signs of θ₀ + θ₁, each likely under θ', () => {
    const sim = twoMoonsSimulator();
    const theta = { data: Float64Array.from([0.3, 0.4]), rows: 1, cols: 2 };
    const x = sim.simulate(key(2), theta).data;
    const s = sim.posterior(key(3), x, 5000);
    let positive = 0;
    for (let r = 0; r < 5000; r++) {
      const [a, b] = [s.data[2 * r]!, s.data[2 * r + 1]!];
      if (a + b > 0) positive++;
      // Every draw sits where the likelihood is within a few sds of its crest (a cell's width off at most).
      expect(twoMoonsLogLikelihood(x[0]!, x[1]!, a, b)).toBeGreaterThan(-20);
    }
    // The fold |θ₀ + θ₁| makes the posterior symmetric under θ ↦ (−θ₁, −θ₀): half the mass on each side.
    expect(Math.abs(positive / 5000 - 0.5)).toBeLessThan(0.05);
  });
});
