import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ArgumentError, key } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import type { Matrix } from '../matrix.js';
import { standardizationStats, unstandardize } from '../standardize.js';
import { loadDigits, loadMnist } from './load-images.js';
import { loadMiniboone } from './load-miniboone.js';
import { loadPower } from './load-power.js';
import { sharedDataDir } from './shared-data.js';

const root = sharedDataDir();

/** Column means and ddof-0 stds in float64, written here independently of the library. */
function columnStats(m: Matrix): { mean: number[]; std: number[] } {
  const mean = new Array<number>(m.cols).fill(0);
  const sq = new Array<number>(m.cols).fill(0);
  for (let r = 0; r < m.rows; r++) for (let j = 0; j < m.cols; j++) mean[j]! += m.data[r * m.cols + j]! / m.rows;
  for (let r = 0; r < m.rows; r++) for (let j = 0; j < m.cols; j++) sq[j]! += (m.data[r * m.cols + j]! - mean[j]!) ** 2 / m.rows;
  return { mean, std: sq.map(Math.sqrt) };
}

const allFinite = (m: Matrix) => m.data.every(Number.isFinite);

describe.skipIf(root === undefined)('real data from the shared folder', () => {
  it('POWER: 37,283 raw rows → MAF splits, 6 columns, train stats ≈ 0/1, test outside the statistics', () => {
    const text = readFileSync(join(root!, 'power', 'household_power_consumption_subset.txt'), 'latin1');
    const complete = text.split('\n').slice(1).filter((l) => l.trim() !== '' && !l.includes('?')).length;
    expect(complete).toBe(37283);
    const nTest = Math.floor(0.1 * complete);
    const nVal = Math.floor(0.1 * (complete - nTest));
    const d = loadPower(join(root!, 'power'), key(0), { statsFrom: 'train' });
    expect([d.train.rows, d.val!.rows, d.test.rows, d.dim]).toEqual([complete - nTest - nVal, nVal, nTest, 6]);
    for (const m of [d.train, d.val!, d.test]) expect(allFinite(m)).toBe(true);
    const s = columnStats(d.train);
    for (let j = 0; j < 6; j++) {
      expect(Math.abs(s.mean[j]!)).toBeLessThan(1e-4);
      expect(Math.abs(s.std[j]! - 1)).toBeLessThan(1e-4);
    }
    // The recorded statistics are those of the raw training rows, not of train + test.
    const t = d.transforms.find((x) => x.kind === 'standardize');
    if (t?.kind !== 'standardize') throw new Error('no standardize transform');
    const rawTrain = columnStats(unstandardize(d.train, t));
    const rawTest = columnStats(unstandardize(d.test, t));
    for (let j = 0; j < 6; j++) expect(t.mean[j]).toBeCloseTo(rawTrain.mean[j]!, 3);
    expect(rawTest.mean.some((m, j) => Math.abs(m - rawTrain.mean[j]!) > 1e-3)).toBe(true);
    // MAF default (train+val statistics): train stats are close to, not exactly, 0/1.
    const maf = columnStats(loadPower(join(root!, 'power'), key(0)).train);
    for (let j = 0; j < 6; j++) expect(Math.abs(maf.mean[j]!) + Math.abs(maf.std[j]! - 1)).toBeLessThan(0.05);
  });

  it('MINIBOONE: val 3284 × 43 used for training, test 3648 × 43, with a note saying so', () => {
    const d = loadMiniboone(join(root!, 'miniboone'));
    expect([d.train.rows, d.train.cols, d.test.rows, d.test.cols, d.dim, d.val]).toEqual([3284, 43, 3648, 43, 43, undefined]);
    expect(d.note).toMatch(/val\.npy\) is used for training/);
    expect(allFinite(d.train) && allFinite(d.test)).toBe(true);
    // Normalised by MAF with train+val statistics: the validation split's columns are near 0/1.
    const s = standardizationStats(d.train);
    for (let j = 0; j < 43; j++) {
      expect(Math.abs(s.mean[j]!)).toBeLessThan(0.2);
      expect(Math.abs(s.std[j]! - 1)).toBeLessThan(0.2);
    }
    // First value checked against the file's bytes read here: float64 at offset 128 (v1 header of 118 bytes + 10).
    const raw = readFileSync(join(root!, 'miniboone', 'val.npy'));
    expect(raw.readUInt16LE(8) + 10).toBe(128);
    expect(d.train.data[0]).toBe(Math.fround(raw.readDoubleLE(128)));
    expect(d.train.data[3283 * 43 + 42]).toBe(Math.fround(raw.readDoubleLE(128 + 8 * (3284 * 43 - 1))));
  });

  it('digits: 1797 rows of 64 pixels in [0, 1), 10% held out; pixel grid matches the CSV', () => {
    const d = loadDigits(join(root!, 'digits'), key(1));
    expect([d.train.rows, d.test.rows, d.dim]).toEqual([1618, 179, 64]);
    const rows = gunzipSync(readFileSync(join(root!, 'digits', 'digits.csv.gz'))).toString('utf8').trim().split('\n');
    expect(rows).toHaveLength(1797);
    // Every dequantised row floors back to some CSV row's pixels: compare the multiset of row sums of floor(17x).
    const csvSums = rows.map((l) => l.split(',').slice(0, 64).reduce((a, b) => a + Number(b), 0)).sort((a, b) => a - b);
    const sums: number[] = [];
    for (const m of [d.train, d.test]) for (let r = 0; r < m.rows; r++) sums.push(Array.from(m.data.subarray(64 * r, 64 * r + 64)).reduce((a, x) => a + Math.floor(17 * x), 0));
    expect(sums.sort((a, b) => a - b)).toEqual(csvSums);
    expect(d.train.data.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('MNIST test set: 10,000 × 784 in [0, 1), 9,000 train / 1,000 held out, mean pixel as in the raw bytes', () => {
    const d = loadMnist(join(root!, 'mnist'), key(2));
    expect([d.train.rows, d.test.rows, d.dim]).toEqual([9000, 1000, 784]);
    const raw = gunzipSync(readFileSync(join(root!, 'mnist', 't10k-images-idx3-ubyte.gz')));
    expect(raw.readUInt32BE(0)).toBe(0x803);
    let rawSum = 0;
    for (let i = 16; i < raw.length; i++) rawSum += raw[i]!;
    // Σ 256x = Σ (pixel + u): the offsets add 0.5 each on average (sd of the total √(7.84e6/12) ≈ 808).
    let sum = 0;
    for (const m of [d.train, d.test]) for (const x of m.data) sum += 256 * x;
    expect(Math.abs(sum - rawSum - 0.5 * 7840000)).toBeLessThan(5000);
  });

  it('names the expected file when a folder lacks it', () => {
    expect(() => loadMnist(join(root!, 'digits'), key(1))).toThrow(ArgumentError);
    expect(() => loadMnist(join(root!, 'digits'), key(1))).toThrow(/expected one of "t10k-images-idx3-ubyte\.gz", "t10k-images-idx3-ubyte" in/);
    expect(() => loadPower(join(root!, 'mnist'), key(1))).toThrow(/"data\.npy", "household_power_consumption\.txt", "household_power_consumption_subset\.txt"/);
    expect(() => loadMiniboone(join(root!, 'power'))).toThrow(/expected one of "test\.npy"/);
  });
});
