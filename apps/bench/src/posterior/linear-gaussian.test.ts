import { key } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { gridWeights } from './grid-posterior.js';
import { LINEAR_GAUSSIAN, linearGaussianPosterior, linearGaussianSimulator } from './linear-gaussian.js';

const m = LINEAR_GAUSSIAN;
const x = Float64Array.from([0.9, -0.4, 1.3]);

/** log p(x | θ) + log p(θ) up to a constant, written out from the model's definition. */
function logJoint(t0: number, t1: number): number {
  let s = -0.5 * (t0 * t0 + t1 * t1) / (m.priorStd * m.priorStd);
  for (let i = 0; i < 3; i++) {
    const r = x[i]! - m.a[2 * i]! * t0 - m.a[2 * i + 1]! * t1;
    s -= (0.5 * r * r) / (m.noiseStd * m.noiseStd);
  }
  return s;
}

/** Mean and covariance of the grid-normalised posterior (brute-force quadrature). */
function gridMoments(cells: number, half: number): { mean: number[]; cov: number[] } {
  const grid = { lo: [-half, -half] as const, hi: [half, half] as const, cells };
  const w = gridWeights(logJoint, grid);
  const h = (2 * half) / cells;
  const at = (c: number) => [-half + (Math.floor(c / cells) + 0.5) * h, -half + ((c % cells) + 0.5) * h] as const;
  const mean = [0, 0];
  w.forEach((v, c) => at(c).forEach((t, i) => (mean[i] += v * t)));
  const cov = [0, 0, 0, 0];
  w.forEach((v, c) => {
    const t = at(c);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) cov[2 * i + j] += v * (t[i]! - mean[i]!) * (t[j]! - mean[j]!);
  });
  return { mean, cov };
}

describe('linear Gaussian reference posterior', () => {
  it('the closed form matches the posterior normalised on a fine grid', () => {
    const closed = linearGaussianPosterior(m, x);
    const brute = gridMoments(800, 4);
    for (let i = 0; i < 2; i++) expect(Math.abs(closed.mean[i]! - brute.mean[i]!)).toBeLessThan(1e-4);
    // The midpoint rule adds h²/12 to each variance (h = 0.01): 8e-6.
    for (let i = 0; i < 4; i++) expect(Math.abs(closed.cov[i]! - brute.cov[i]!)).toBeLessThan(2e-5);
    // Not trivially the prior: the data shrink the variances well below τ² = 1 and move the mean.
    expect(closed.cov[0]!).toBeLessThan(0.3);
    expect(Math.abs(closed.mean[0]!)).toBeGreaterThan(0.3);
  });

  it('its reference draws have the closed-form mean and covariance', () => {
    const sim = linearGaussianSimulator(m);
    const n = 200_000;
    const s = sim.posterior(key(3), x, n);
    const { mean, cov } = linearGaussianPosterior(m, x);
    const mu = [0, 1].map((i) => s.data.filter((_, k) => k % 2 === i).reduce((a, v) => a + v, 0) / n);
    mu.forEach((v, i) => expect(Math.abs(v - mean[i]!)).toBeLessThan(5 * Math.sqrt(cov[3 * i]! / n)));
    let c01 = 0;
    for (let r = 0; r < n; r++) c01 += (s.data[2 * r]! - mu[0]!) * (s.data[2 * r + 1]! - mu[1]!);
    expect(Math.abs(c01 / (n - 1) - cov[1]!)).toBeLessThan(2e-3);
  });

  it('simulated pairs follow the model: x − Aθ has sd σ and is uncorrelated with θ', () => {
    const sim = linearGaussianSimulator(m);
    const n = 100_000;
    const t = sim.prior(key(4), n);
    const xs = sim.simulate(key(5), t);
    let ss = 0;
    let cross = 0;
    for (let r = 0; r < n; r++) {
      const e = xs.data[3 * r]! - m.a[0]! * t.data[2 * r]! - m.a[1]! * t.data[2 * r + 1]!;
      ss += e * e;
      cross += e * t.data[2 * r]!;
    }
    expect(Math.abs(Math.sqrt(ss / n) - m.noiseStd)).toBeLessThan(0.005);
    expect(Math.abs(cross / n)).toBeLessThan(0.01);
  });
});
