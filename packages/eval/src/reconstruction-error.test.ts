import { tensor } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { reconstructionError } from './reconstruction-error.js';

describe('reconstructionError', () => {
  it('gives max and mean absolute error and the worst row', () => {
    const x = tensor([[1, 2], [3, 4], [5, 6]]);
    const xr = { data: new Float32Array([1, 2.5, 3, 4, 5.25, 5]), rows: 3, cols: 2 };
    // |errors| = 0, 0.5, 0, 0, 0.25, 1 → max 1 (row 2), mean 1.75 / 6.
    const r = reconstructionError(x, xr);
    expect(r.max).toBe(1);
    expect(r.mean).toBeCloseTo(1.75 / 6, 12);
    expect(r.worstRow).toBe(2);
  });

  it('reports NaN rather than hiding it, and rejects shape mismatches', () => {
    const x = { data: new Float32Array([0, 0]), rows: 1, cols: 2 };
    expect(reconstructionError(x, { data: new Float32Array([0, Number.NaN]), rows: 1, cols: 2 }).max).toBeNaN();
    expect(() => reconstructionError(x, { data: new Float32Array([0, 0]), rows: 2, cols: 1 })).toThrow(/equal shapes/);
  });
});
