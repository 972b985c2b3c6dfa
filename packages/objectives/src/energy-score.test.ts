import { describe, expect, test } from 'vitest';
import { ArgumentError, ShapeError, type Tensor, grad, key, normal, split, tensor } from '@rheo/tensor';
import { energyScore } from './energy-score.js';

/** A reproducible float64 list in [-1.5, 1.5) (a linear congruential generator, independent of the library). */
function values(count: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: count }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648) * 3 - 1.5;
  });
}

/** Brute-force energy score in float64 with the exact norm: both terms by double loops, j ≠ k. */
function bruteForce(x: number[], y: number[], n: number, m: number, d: number, beta: number): number {
  // ‖x[a..a+d) − other[b..b+d)‖^β
  const dist = (a: number, b: number, other: number[]): number => {
    let s = 0;
    for (let t = 0; t < d; t++) s += (x[a + t]! - other[b + t]!) ** 2;
    return Math.sqrt(s) ** beta;
  };
  let total = 0;
  for (let i = 0; i < n; i++) {
    let fit = 0, spread = 0;
    for (let j = 0; j < m; j++) fit += dist((i * m + j) * d, i * d, y);
    for (let j = 0; j < m; j++) for (let k = 0; k < m; k++) if (j !== k) spread += dist((i * m + j) * d, (i * m + k) * d, x);
    total += fit / m - (0.5 * spread) / (m * (m - 1));
  }
  return total / n;
}

const n = 3, m = 4, d = 2;
const xs = values(n * m * d, 17), ys = values(n * d, 29);

describe('energyScore', () => {
  test.each([1, 0.5, 1.7])('β = %s: equals the float64 double loop over both terms', (beta) => {
    const got = energyScore(tensor(xs, [n, m, d]), tensor(ys, [n, d]), { beta }).item();
    expect(got).toBeCloseTo(bruteForce(xs, ys, n, m, d, beta), 5);
  });

  test('the U-statistic excludes j = k: a sample set with repeated points is not scored as V-statistic', () => {
    const x = [0, 0, 1, 0];
    const got = energyScore(tensor(x, [1, 2, 2]), tensor([0, 1], [1, 2])).item();
    // E‖X − y‖ = (1 + √2)/2; the only pair j ≠ k has distance 1, so ½·1.
    expect(got).toBeCloseTo((1 + Math.SQRT2) / 2 - 0.5, 6);
  });

  test('gradient with respect to the samples matches central finite differences of the float64 reference', () => {
    for (const beta of [1, 0.6]) {
      const g = grad((x: Tensor) => energyScore(x, tensor(ys, [n, d]), { beta }))(tensor(xs, [n, m, d]));
      const got = g.dataSync();
      const h = 1e-6;
      for (let i = 0; i < xs.length; i++) {
        const up = [...xs], down = [...xs];
        up[i]! += h;
        down[i]! -= h;
        const fd = (bruteForce(up, ys, n, m, d, beta) - bruteForce(down, ys, n, m, d, beta)) / (2 * h);
        expect(got[i]!).toBeCloseTo(fd, 4);
      }
    }
  });

  test('Gaussian model against data, β = 1, 1-D: matches σ[z(2Φ(z) − 1) + 2φ(z)] − σ/√π', () => {
    // Φ by the Abramowitz–Stegun 7.1.26 erf approximation (error < 1.5e-7).
    const erf = (v: number): number => {
      const t = 1 / (1 + 0.3275911 * Math.abs(v));
      const p = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
      return Math.sign(v) * (1 - p * Math.exp(-v * v));
    };
    const Phi = (z: number): number => 0.5 * (1 + erf(z / Math.SQRT2));
    const phi = (z: number): number => Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
    const mu = 0.3, sigma = 1.4, pts = [-2, -0.5, 0, 0.8, 1.5, 3];
    const mm = 400;
    const [k1] = split(key(3));
    const samples = normal(k1!, [pts.length, mm, 1], mu, sigma);
    const got = energyScore(samples, tensor(pts, [pts.length, 1])).item();
    const exact = pts.reduce((acc, y) => {
      const z = (y - mu) / sigma;
      return acc + sigma * (z * (2 * Phi(z) - 1) + 2 * phi(z)) - sigma / Math.sqrt(Math.PI);
    }, 0) / pts.length;
    // Each point's estimate has sd about σ·sqrt(2/m); averaged over 6 points, 4 sd ≈ 0.08.
    expect(Math.abs(got - exact)).toBeLessThan(4 * sigma * Math.sqrt(2 / mm / pts.length));
    // and a shifted model scores visibly worse
    const worse = energyScore(normal(k1!, [pts.length, mm, 1], mu + 2, sigma), tensor(pts, [pts.length, 1])).item();
    expect(worse - exact).toBeGreaterThan(0.3);
  });

  test('rejects bad shapes and β outside (0, 2)', () => {
    const x = tensor(xs, [n, m, d]), y = tensor(ys, [n, d]);
    expect(() => energyScore(x, y, { beta: 2 })).toThrow(/energyScore\(beta\): expected β in \(0, 2\), received 2/);
    expect(() => energyScore(tensor(xs, [n * m, d]), y)).toThrow(ShapeError);
    expect(() => energyScore(tensor(xs.slice(0, n * d), [n, 1, d]), y)).toThrow(/m ≥ 2/);
    expect(() => energyScore(x, tensor(ys.slice(0, 4), [2, 2]))).toThrow(ArgumentError);
  });
});
