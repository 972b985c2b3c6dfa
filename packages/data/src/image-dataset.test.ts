import { key, ShapeError } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { digitsDataset } from './digits.js';
import { matrix } from './matrix.js';
import { mnistDataset } from './mnist.js';

// 30 digit rows: pixel j of row r is (r + j) mod 17, label r mod 10.
const digitRows = 30;
const csv = matrix(Float32Array.from({ length: digitRows * 65 }, (_, i) => (i % 65 === 64 ? Math.floor(i / 65) % 10 : (Math.floor(i / 65) + (i % 65)) % 17)), digitRows, 65);

describe('digitsDataset', () => {
  it('drops the label, dequantises each row by (v + u)/17 and keeps every row once', () => {
    const d = digitsDataset(csv, key(1), { valFraction: 0.2 });
    // test = 3 rows, val = floor(0.2·27) = 5, train = 22.
    expect([d.train.rows, d.val!.rows, d.test.rows, d.dim]).toEqual([22, 5, 3, 64]);
    const seen = new Set<number>();
    for (const m of [d.train, d.val!, d.test]) {
      for (let r = 0; r < m.rows; r++) {
        // Row r0's pixel 0 is r0 mod 17 and pixel 1 is r0 + 1 mod 17; floor(17x) recovers the integers.
        const px = Array.from(m.data.subarray(64 * r, 64 * r + 64), (x) => Math.floor(17 * x));
        const r0 = (px[0]! + 17) % 17;
        px.forEach((p, j) => expect(p).toBe((r0 + j) % 17));
        expect(m.data.subarray(64 * r, 64 * r + 64).every((x) => x >= 0 && x < 1)).toBe(true);
        seen.add(px[0]!);
      }
    }
    expect(seen.size).toBe(17);
  });

  it('applies the logit with the recorded α', () => {
    const d = digitsDataset(csv, key(1), { logit: { alpha: 0.1 } });
    expect(d.transforms).toContainEqual({ kind: 'logit', alpha: 0.1 });
    // x ∈ [0, 1) maps into [logit(0.1), logit(0.9)).
    expect(d.train.data.every((y) => Math.abs(y) <= Math.log(9) + 1e-5)).toBe(true);
    expect(() => digitsDataset(matrix(new Float32Array(64), 1, 64), key(1))).toThrow(ShapeError);
  });
});

describe('mnistDataset', () => {
  it('flattens [n, 28, 28] bytes into n×784 rows in [0, 1), holding out the last 10% of a shuffled order', () => {
    const n = 20;
    const bytes = Uint8Array.from({ length: n * 784 }, (_, i) => (Math.floor(i / 784) * 13 + (i % 784)) % 256);
    const d = mnistDataset({ shape: [n, 28, 28], data: bytes }, key(7));
    expect([d.train.rows, d.test.rows, d.dim, d.val]).toEqual([18, 2, 784, undefined]);
    const firstPixels = [...Array.from({ length: 18 }, (_, r) => Math.floor(256 * d.train.data[784 * r]!)), ...[0, 1].map((r) => Math.floor(256 * d.test.data[784 * r]!))];
    expect([...firstPixels].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, r) => (r * 13) % 256).sort((a, b) => a - b));
    expect(firstPixels).not.toEqual(Array.from({ length: n }, (_, r) => (r * 13) % 256));
    expect(() => mnistDataset({ shape: [1, 28, 27], data: new Uint8Array(756) }, key(1))).toThrow(/\[n, 28, 28\], received \[1, 28, 27\]/);
  });
});
