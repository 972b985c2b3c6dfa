import { ArgumentError, ShapeError } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { matrix } from './matrix.js';
import { standardizationStats, standardize, unstandardize } from './standardize.js';

describe('standardisation', () => {
  it('computes ddof-0 mean and std by hand over the given parts together', () => {
    // Column 1: 1, 3, 5, 7 → mean 4, var (9 + 1 + 1 + 9)/4 = 5. Column 2: 10, 10, 10, 14 → mean 11, var (1+1+1+9)/4 = 3.
    const a = matrix(Float32Array.from([1, 10, 3, 10]), 2, 2);
    const b = matrix(Float32Array.from([5, 10, 7, 14]), 2, 2);
    const s = standardizationStats(a, b);
    expect(Array.from(s.mean)).toEqual([4, 11]);
    expect(s.std[0]).toBeCloseTo(Math.sqrt(5), 6);
    expect(s.std[1]).toBeCloseTo(Math.sqrt(3), 6);
    const z = standardize(b, s);
    expect(z.data[0]).toBeCloseTo(1 / Math.sqrt(5), 6);
    expect(z.data[3]).toBeCloseTo(3 / Math.sqrt(3), 6);
  });

  it('is inverted by unstandardize, and is exact for a large offset (two-pass variance)', () => {
    const x = matrix(Float32Array.from([1e4 + 1, 1e4 + 2, 1e4 + 3, 1e4 + 4]), 4, 1);
    const s = standardizationStats(x);
    expect(s.std[0]).toBeCloseTo(Math.sqrt(1.25), 5);
    const back = unstandardize(standardize(x, s), s);
    for (let i = 0; i < 4; i++) expect(back.data[i]).toBeCloseTo(x.data[i]!, 2);
  });

  it('rejects a constant column and mismatched stats', () => {
    expect(() => standardizationStats(matrix(Float32Array.from([1, 2, 1, 3]), 2, 2))).toThrow(/column 1 \(1-based\) is constant/);
    const s = standardizationStats(matrix(Float32Array.from([1, 2, 3, 5]), 2, 2));
    expect(() => standardize(matrix(new Float32Array(3), 1, 3), s)).toThrow(ShapeError);
    expect(() => standardizationStats()).toThrow(ArgumentError);
  });
});
