import { key, normal, ArgumentError, ShapeError } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { energyDistance } from './energy-distance.js';

/** Φ via erf, Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7). */
function phi(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** E|X − Y| for independent X ~ N(μ1, σ1²), Y ~ N(μ2, σ2²) (folded normal mean). */
function meanAbsDiff(mu1: number, s1: number, mu2: number, s2: number): number {
  const s = Math.sqrt(s1 * s1 + s2 * s2);
  const d = mu1 - mu2;
  return s * Math.sqrt(2 / Math.PI) * Math.exp((-d * d) / (2 * s * s)) + d * (1 - 2 * phi(-d / s));
}

function gaussian(seed: number, n: number, mu: number, s: number): Float32Array {
  return normal(key(seed), [n, 1], mu, s).dataSync() as Float32Array;
}

/**
 * A second, plain estimate with its first-order (Hoeffding) standard error:
 * ψ_x(x_i) = 2·mean_j|x_i − y_j| − 2·mean_{j≠i}|x_i − x_j|, Var ≈ Var ψ_x / n + Var ψ_y / m.
 */
function reference(x: Float32Array, y: Float32Array): { value: number; se: number } {
  const n = x.length;
  const m = y.length;
  const rowX = new Float64Array(n);
  const rowY = new Float64Array(m);
  const withinX = new Float64Array(n);
  const withinY = new Float64Array(m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) {
    const d = Math.abs(x[i]! - y[j]!);
    rowX[i] += d / m;
    rowY[j] += d / n;
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) withinX[i] += Math.abs(x[i]! - x[j]!) / (n - 1);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) if (i !== j) withinY[i] += Math.abs(y[i]! - y[j]!) / (m - 1);
  const avg = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length;
  const varOf = (a: number[]) => {
    const mu = a.reduce((s, v) => s + v, 0) / a.length;
    return a.reduce((s, v) => s + (v - mu) ** 2, 0) / (a.length - 1);
  };
  const psiX = Array.from(rowX, (r, i) => 2 * r - 2 * withinX[i]!);
  const psiY = Array.from(rowY, (r, j) => 2 * r - 2 * withinY[j]!);
  return { value: 2 * avg(rowX) - avg(withinX) - avg(withinY), se: Math.sqrt(varOf(psiX) / n + varOf(psiY) / m) };
}

describe('energyDistance', () => {
  it('matches the closed form for two 1-D Gaussians within 4 standard errors (n = 2000)', () => {
    const [mu1, s1, mu2, s2] = [0, 1, 0.7, 1.5];
    const x = gaussian(1, 2000, mu1, s1);
    const y = gaussian(2, 2000, mu2, s2);
    const exact = 2 * meanAbsDiff(mu1, s1, mu2, s2) - (2 * s1) / Math.sqrt(Math.PI) - (2 * s2) / Math.sqrt(Math.PI);
    const got = energyDistance({ data: x, rows: 2000, cols: 1 }, { data: y, rows: 2000, cols: 1 });
    const ref = reference(x, y);
    expect(got).toBeCloseTo(ref.value, 9);
    expect(ref.se).toBeGreaterThan(0);
    expect(Math.abs(got - exact)).toBeLessThan(4 * ref.se);
    expect(exact).toBeGreaterThan(0.1);
  });

  it('agrees with a brute-force Euclidean computation in 3-D, tensor input included', () => {
    const n = 30;
    const m = 20;
    const x = normal(key(3), [n, 3]);
    const y = normal(key(4), [m, 3], 0.5, 2);
    const a = x.dataSync();
    const b = y.dataSync();
    const dist = (p: ArrayLike<number>, i: number, q: ArrayLike<number>, j: number) =>
      Math.hypot(p[3 * i]! - q[3 * j]!, p[3 * i + 1]! - q[3 * j + 1]!, p[3 * i + 2]! - q[3 * j + 2]!);
    let c = 0;
    let w1 = 0;
    let w2 = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) c += dist(a, i, b, j);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) w1 += dist(a, i, a, j);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) if (i !== j) w2 += dist(b, i, b, j);
    const expected = (2 * c) / (n * m) - w1 / (n * (n - 1)) - w2 / (m * (m - 1));
    expect(energyDistance(x, y)).toBeCloseTo(expected, 9);
  });

  it('is −2·W/n for a sample against itself (W the within-sample mean distance): zero to O(1/n)', () => {
    const x = gaussian(5, 400, 0, 1);
    let w = 0;
    for (let i = 0; i < 400; i++) for (let j = 0; j < 400; j++) if (i !== j) w += Math.abs(x[i]! - x[j]!) / (400 * 399);
    const got = energyDistance({ data: x, rows: 400, cols: 1 }, { data: x, rows: 400, cols: 1 });
    // Cross mean over all n² pairs = (n−1)/n·W, so 2(n−1)/n·W − 2W = −2W/n.
    expect(got).toBeCloseTo((-2 * w) / 400, 9);
    expect(Math.abs(got)).toBeLessThan(0.01);
  });

  it('is unbiased: its mean over 60 seeds for equal distributions is within 4 standard errors of 0', () => {
    const vals: number[] = [];
    const biased: number[] = [];
    const n = 40;
    for (let s = 0; s < 60; s++) {
      const x = gaussian(100 + 2 * s, n, 0, 1);
      const y = gaussian(101 + 2 * s, n, 0, 1);
      const u = energyDistance({ data: x, rows: n, cols: 1 }, { data: y, rows: n, cols: 1 });
      vals.push(u);
      // The V-statistic divides the within sums by n² instead of n(n−1): V = U + (W_x + W_y)/n,
      // biased upward by 2·E|X − X′|/n = 2·(2/√π)/n.
      biased.push(u + (2 * (2 / Math.sqrt(Math.PI))) / n);
    }
    const mean = vals.reduce((s, v) => s + v, 0) / vals.length;
    const sd = Math.sqrt(vals.reduce((s, v) => s + (v - mean) ** 2, 0) / (vals.length - 1));
    expect(Math.abs(mean)).toBeLessThan((4 * sd) / Math.sqrt(vals.length));
    // The test is sharp enough to see the V-statistic's bias 2·E|X−X′|/n.
    const bmean = biased.reduce((s, v) => s + v, 0) / biased.length;
    expect(bmean).toBeGreaterThan((4 * sd) / Math.sqrt(vals.length));
  });

  it('subsamples reproducibly with a key and rejects bad input', () => {
    const x = { data: gaussian(7, 300, 0, 1), rows: 300, cols: 1 };
    const y = { data: gaussian(8, 300, 1, 1), rows: 300, cols: 1 };
    const a = energyDistance(x, y, { maxSamples: 100, key: key(9) });
    expect(energyDistance(x, y, { maxSamples: 100, key: key(9) })).toBe(a);
    expect(energyDistance(x, y, { maxSamples: 100, key: key(10) })).not.toBe(a);
    expect(() => energyDistance(x, y, { maxSamples: 100 })).toThrow(ArgumentError);
    expect(() => energyDistance(x, { data: new Float32Array(4), rows: 2, cols: 2 })).toThrow(ShapeError);
    expect(() => energyDistance(x, { data: new Float32Array(3), rows: 2, cols: 2 })).toThrow(/expected rows·cols/);
  });
});
