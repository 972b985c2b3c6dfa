import type { Dataset } from '@rheo/data';
import { describe, expect, it } from 'vitest';
import { preprocessLogDet, testBitsPerDim } from './preprocess-log-det.js';

const alpha = 0.05;
const mean = Float32Array.from([0.3, -1, 2]);
const std = Float32Array.from([1.5, 0.5, 3]);
const data = (withStd: boolean): Dataset => {
  const empty = { data: new Float32Array(0), rows: 0, cols: 3 };
  return {
    name: 'fixture', train: empty, test: empty, dim: 3,
    transforms: [
      { kind: 'shuffle' }, { kind: 'dequantize', levels: 17 }, { kind: 'logit', alpha },
      ...(withStd ? [{ kind: 'standardize' as const, mean, std, statsFrom: 'train' as const }] : []),
    ],
  };
};
// The forward preprocessing written out in float64: x ∈ [0, 1) ↦ y.
const forward = (x: number, j: number, withStd: boolean) => {
  const s = alpha + (1 - 2 * alpha) * x;
  const z = Math.log(s) - Math.log(1 - s);
  return withStd ? (z - mean[j]!) / std[j]! : z;
};
const xs = [[0.01, 0.5, 0.97], [0.33, 0.999, 0.2], [0.6, 0.07, 0.45]];

describe('preprocessLogDet', () => {
  for (const withStd of [false, true]) {
    it(`matches central differences of the forward map (logit${withStd ? ' then standardise' : ''})`, () => {
      const y = Float32Array.from(xs.flatMap((row) => row.map((x, j) => forward(x, j, withStd))));
      const got = preprocessLogDet(data(withStd), { data: y, rows: 3, cols: 3 })!;
      expect(got.levels).toBe(17);
      xs.forEach((row, i) => {
        const h = 1e-6;
        const want = row.reduce((a, x, j) => a + Math.log(Math.abs((forward(x + h, j, withStd) - forward(x - h, j, withStd)) / (2 * h))), 0);
        expect(Math.abs(got.logDet[i]! - want)).toBeLessThan(2e-4 * Math.max(1, Math.abs(want)));
      });
    });
  }

  it('is undefined for data that were not dequantised', () => {
    expect(preprocessLogDet({ ...data(false), transforms: [] }, { data: new Float32Array(3), rows: 1, cols: 3 })).toBeUndefined();
  });
});

describe('testBitsPerDim', () => {
  it('gives log₂ 17 bits/dim for the uniform density on [0, 1)³ pushed through the preprocessing', () => {
    // p_y(y) = p_x(x)/|dy/dx| with p_x = 1: log p_y = −Σ log|dy_j/dx_j|, written from the closed-form derivative.
    const y = Float32Array.from(xs.flatMap((row) => row.map((x, j) => forward(x, j, true))));
    const ll = xs.map((row) => -row.reduce((a, x, j) => {
      const s = alpha + (1 - 2 * alpha) * x;
      return a + Math.log((1 - 2 * alpha) / (s * (1 - s)) / std[j]!);
    }, 0));
    const b = testBitsPerDim(data(true), { data: y, rows: 3, cols: 3 }, ll)!;
    expect(b).toBeCloseTo(Math.log2(17), 3);
  });
});
