import { key, normal } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { medianDistance, mmd2 } from './mmd.js';

/** E exp(−‖X − Y‖²/(2h²)) for X ~ N(μ1, s1²I), Y ~ N(μ2, s2²I) in d dimensions. */
function expectedKernel(h: number, d: number, mu1: number[], s1: number, mu2: number[], s2: number): number {
  const v = h * h + s1 * s1 + s2 * s2;
  const dist2 = mu1.reduce((s, m, i) => s + (m - mu2[i]!) ** 2, 0);
  return (h * h / v) ** (d / 2) * Math.exp(-dist2 / (2 * v));
}

function gaussian2(seed: number, n: number, mu: number[], s: number): Float32Array {
  const z = normal(key(seed), [n, 2]).dataSync() as Float32Array;
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) for (let c = 0; c < 2; c++) out[2 * i + c] = mu[c]! + s * z[2 * i + c]!;
  return out;
}

/**
 * Plain estimate with the first-order standard error of the U-statistic:
 * ψ_x(x_i) = 2·(mean_{j≠i} k(x_i, x_j) − mean_j k(x_i, y_j)), Var ≈ Var ψ_x / n + Var ψ_y / m.
 */
function reference(x: Float32Array, y: Float32Array, hs: number[]): { value: number; se: number } {
  const n = x.length / 2;
  const m = y.length / 2;
  const k = (p: Float32Array, i: number, q: Float32Array, j: number) => {
    const r = (p[2 * i]! - q[2 * j]!) ** 2 + (p[2 * i + 1]! - q[2 * j + 1]!) ** 2;
    return hs.reduce((s, h) => s + Math.exp(-r / (2 * h * h)), 0);
  };
  const wx = new Float64Array(n);
  const wy = new Float64Array(m);
  const cx = new Float64Array(n);
  const cy = new Float64Array(m);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) wx[i] += k(x, i, x, j) / (n - 1);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) if (i !== j) wy[i] += k(y, i, y, j) / (m - 1);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) {
    const v = k(x, i, y, j);
    cx[i] += v / m;
    cy[j] += v / n;
  }
  const avg = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
  const varOf = (a: number[]) => {
    const mu = avg(a);
    return a.reduce((s, v) => s + (v - mu) ** 2, 0) / (a.length - 1);
  };
  const psiX = Array.from(wx, (w, i) => 2 * (w - cx[i]!));
  const psiY = Array.from(wy, (w, j) => 2 * (w - cy[j]!));
  return { value: avg(wx) + avg(wy) - 2 * avg(cx), se: Math.sqrt(varOf(psiX) / n + varOf(psiY) / m) };
}

describe('mmd2', () => {
  it('matches the Gaussian-kernel closed form for two 2-D Gaussians within 4 standard errors', () => {
    const n = 800;
    const hs = [0.5, 1, 2];
    const [mu1, s1, mu2, s2] = [[0, 0], 1, [0.8, -0.4], 0.7] as const;
    const x = gaussian2(11, n, [...mu1], s1);
    const y = gaussian2(12, n, [...mu2], s2);
    const exact = hs.reduce(
      (s, h) =>
        s + expectedKernel(h, 2, [...mu1], s1, [...mu1], s1) + expectedKernel(h, 2, [...mu2], s2, [...mu2], s2) -
        2 * expectedKernel(h, 2, [...mu1], s1, [...mu2], s2),
      0,
    );
    const got = mmd2({ data: x, rows: n, cols: 2 }, { data: y, rows: n, cols: 2 }, { bandwidths: hs });
    const ref = reference(x, y, hs);
    expect(got).toBeCloseTo(ref.value, 10);
    expect(Math.abs(got - exact)).toBeLessThan(4 * ref.se);
    expect(exact).toBeGreaterThan(10 * ref.se);
  });

  it('agrees with the plain reference for bandwidths that are not powers of two apart', () => {
    const x = gaussian2(21, 60, [0, 0], 1);
    const y = gaussian2(22, 50, [0.3, 0], 1.2);
    for (const hs of [[0.7, 1.3], [0.5, 1, 2], [0.3]]) {
      expect(mmd2({ data: x, rows: 60, cols: 2 }, { data: y, rows: 50, cols: 2 }, { bandwidths: hs })).toBeCloseTo(reference(x, y, hs).value, 12);
    }
  });

  it('is unbiased for equal distributions: mean over 40 seeds within 4 standard errors of 0', () => {
    const vals: number[] = [];
    for (let s = 0; s < 40; s++) {
      const x = gaussian2(200 + 2 * s, 40, [0, 0], 1);
      const y = gaussian2(201 + 2 * s, 40, [0, 0], 1);
      vals.push(mmd2({ data: x, rows: 40, cols: 2 }, { data: y, rows: 40, cols: 2 }, { bandwidths: [1] }));
    }
    const mean = vals.reduce((s, v) => s + v, 0) / vals.length;
    const sd = Math.sqrt(vals.reduce((s, v) => s + (v - mean) ** 2, 0) / (vals.length - 1));
    expect(Math.abs(mean)).toBeLessThan((4 * sd) / Math.sqrt(vals.length));
  });

  it('defaults to the median heuristic times [1/4, 1/2, 1, 2, 4]', () => {
    const x = { data: new Float32Array([0, 0, 1, 0, 0, 2]), rows: 3, cols: 2 };
    const y = { data: new Float32Array([3, 0, 0, 4]), rows: 2, cols: 2 };
    // Pooled points (0,0) (1,0) (0,2) (3,0) (0,4): distances 1, 2, 3, 4, √5, 2, √17, √13, 2, 5;
    // sorted 1, 2, 2, 2, √5, 3, √13, 4, √17, 5 → the middle pair gives (√5 + 3)/2.
    const med = (Math.sqrt(5) + 3) / 2;
    expect(medianDistance(x, y)).toBeCloseTo(med, 12);
    const hs = [0.25, 0.5, 1, 2, 4].map((s) => s * med);
    expect(mmd2(x, y)).toBeCloseTo(mmd2(x, y, { bandwidths: hs }), 12);
    expect(() => mmd2(x, y, { bandwidths: [] })).toThrow(/bandwidths/);
    expect(() => mmd2(x, y, { bandwidths: [-1] })).toThrow(/positive/);
  });
});
