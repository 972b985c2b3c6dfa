import { describe, expect, test } from 'vitest';
import { ArgumentError, add, key, mul, normal, split, tensor } from '@rheo/tensor';
import { mmd, mmdLoss } from './mmd.js';

const BW = [0.5, 1, 2];

/** Closed form of MMD² for N(μx, sx² I_d) vs N(μy, sy² I_d) under Σ_b exp(−‖·‖²/(2σ_b²)):
 * E k(X, Y) = (σ²/(σ² + sx² + sy²))^(d/2) · exp(−‖μx − μy‖² / (2(σ² + sx² + sy²))). */
function gaussianMmd2(mux: number[], sx: number, muy: number[], sy: number): number {
  const d = mux.length;
  const gap = mux.reduce((a, v, i) => a + (v - muy[i]!) ** 2, 0);
  const ek = (s2: number, t2: number, g: number, s: number): number => (s * s / (s * s + s2 + t2)) ** (d / 2) * Math.exp(-g / (2 * (s * s + s2 + t2)));
  return BW.reduce((acc, s) => acc + ek(sx * sx, sx * sx, 0, s) + ek(sy * sy, sy * sy, 0, s) - 2 * ek(sx * sx, sy * sy, gap, s), 0);
}

/** Unbiased MMD² by explicit loops in float64. */
function bruteForce(x: number[][], y: number[][]): number {
  const k = (a: number[], b: number[]): number => {
    const r2 = a.reduce((s, v, i) => s + (v - b[i]!) ** 2, 0);
    return BW.reduce((s, w) => s + Math.exp(-r2 / (2 * w * w)), 0);
  };
  let xx = 0, yy = 0, xy = 0;
  for (let i = 0; i < x.length; i++) for (let j = 0; j < x.length; j++) if (i !== j) xx += k(x[i]!, x[j]!);
  for (let i = 0; i < y.length; i++) for (let j = 0; j < y.length; j++) if (i !== j) yy += k(y[i]!, y[j]!);
  for (const a of x) for (const b of y) xy += k(a, b);
  return xx / (x.length * (x.length - 1)) + yy / (y.length * (y.length - 1)) - (2 * xy) / (x.length * y.length);
}

describe('mmdLoss', () => {
  test('equals the float64 double loop (i ≠ j within each set)', () => {
    const x = [[0, 1], [0.5, -0.2], [1.2, 0.3]];
    const y = [[0.1, 0.9], [-0.7, 0.4], [2, 2], [0.3, 0.3]];
    expect(mmdLoss(tensor(x), tensor(y), { bandwidths: BW }).item()).toBeCloseTo(bruteForce(x, y), 6);
  });

  test('between two Gaussians: mean of seeded estimates matches the closed form within 4 standard errors', () => {
    const mux = [0, 0], muy = [0.6, -0.3], sx = 1, sy = 0.7, size = 250, reps = 6;
    const est: number[] = [];
    for (let r = 0; r < reps; r++) {
      const [kx, ky] = split(key(100 + r));
      const x = add(normal(kx!, [size, 2], 0, sx), tensor(mux, [1, 2]));
      const y = add(mul(normal(ky!, [size, 2]), sy), tensor(muy, [1, 2]));
      est.push(mmdLoss(x, y, { bandwidths: BW }).item());
    }
    const mean = est.reduce((a, b) => a + b) / reps;
    const sd = Math.sqrt(est.reduce((a, b) => a + (b - mean) ** 2, 0) / (reps - 1));
    const exact = gaussianMmd2(mux, sx, muy, sy);
    expect(exact).toBeGreaterThan(0.1);
    expect(Math.abs(mean - exact)).toBeLessThan(4 * sd / Math.sqrt(reps) + 1e-3);
  });

  test('the metric is near 0 for samples of one law and grows with the gap', () => {
    const [a, b] = split(key(9));
    const same = mmd(normal(a!, [200, 2]), normal(b!, [200, 2]), { bandwidths: BW }).item();
    const far = mmd(normal(a!, [200, 2]), add(normal(b!, [200, 2]), 1), { bandwidths: BW }).item();
    expect(same).toBeLessThan(0.3 * far);
    expect(far).toBeGreaterThan(Math.sqrt(gaussianMmd2([0, 0], 1, [1, 1], 1)) * 0.8);
  });

  test('rejects mismatched features and bad bandwidths', () => {
    expect(() => mmdLoss(tensor([[0, 1], [1, 0]]), tensor([[0], [1]]))).toThrow(/same feature size d/);
    expect(() => mmdLoss(tensor([[0, 1], [1, 0]]), tensor([[0, 1], [1, 1]]), { bandwidths: [1, -1] })).toThrow(ArgumentError);
  });
});
