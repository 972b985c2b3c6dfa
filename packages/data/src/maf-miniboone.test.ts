import { describe, expect, it } from 'vitest';
import { mafMiniboone, minibooneClean, minibooneFromMafSplits } from './maf-miniboone.js';
import { matrix } from './matrix.js';

describe('minibooneClean', () => {
  it('drops rows with feature 1 < −100 and features whose minimum repeats more than 5 times', () => {
    // 12 rows × 4 features. Row 3 and row 8 carry the −999 placeholder in feature 1.
    // Feature 2's minimum (0) occurs 6 times among kept rows → dropped; feature 3's minimum (−1) occurs exactly 5 times (rows 0, 1, 2, 4, 5) → kept;
    // feature 4 is distinct everywhere → kept.
    const rows = 12;
    const v: number[] = [];
    for (let r = 0; r < rows; r++) v.push(r === 3 || r === 8 ? -999 : r, r < 7 ? 0 : r, r < 6 ? -1 : r, 100 + r);
    const { data, keptFeatures } = minibooneClean(matrix(Float32Array.from(v), rows, 4));
    expect(keptFeatures).toEqual([0, 2, 3]);
    expect([data.rows, data.cols]).toEqual([10, 3]);
    expect(Array.from(data.data.subarray(0, 9))).toEqual([0, -1, 100, 1, -1, 101, 2, -1, 102]);
    expect(Array.from(data.data.subarray(9, 12))).toEqual([4, -1, 104]);
  });

  it('counts the minimum after dropping the outlier rows: −999 rows do not set it', () => {
    const v = [-999, 5, -999, 5, 1, 7, 2, 8];
    expect(minibooneClean(matrix(Float32Array.from(v), 4, 2)).keptFeatures).toEqual([0, 1]);
  });
});

describe('mafMiniboone', () => {
  it('splits in order (no shuffle) and standardises with train+val statistics', () => {
    const n = 200;
    const v = Float32Array.from({ length: 2 * n }, (_, i) => (i % 2 === 0 ? i / 2 : Math.sin(i)));
    const d = mafMiniboone(matrix(v, n, 2));
    // test = 20 rows, val = floor(0.1·180) = 18 rows, train = 162.
    expect([d.train.rows, d.val!.rows, d.test.rows]).toEqual([162, 18, 20]);
    // Column 1 is the row index: mean of 0..179 = 89.5, ddof-0 std sqrt((180² − 1)/12).
    const sd = Math.sqrt((180 * 180 - 1) / 12);
    expect(d.train.data[0]).toBeCloseTo(-89.5 / sd, 5);
    expect(d.test.data[0]).toBeCloseTo((180 - 89.5) / sd, 5);
  });
});

describe('minibooneFromMafSplits', () => {
  it('trains on validation, tests on test, and says so', () => {
    const val = matrix(new Float32Array(6), 3, 2);
    const test = matrix(new Float32Array(4), 2, 2);
    const d = minibooneFromMafSplits(val, test);
    expect(d.train).toBe(val);
    expect(d.test).toBe(test);
    expect(d.val).toBeUndefined();
    expect(d.note).toMatch(/val\.npy\) is used for training.*test\.npy\) for testing/);
    expect(() => minibooneFromMafSplits(val, matrix(new Float32Array(3), 1, 3))).toThrow(/same number of columns, received 2 and 3/);
  });
});
