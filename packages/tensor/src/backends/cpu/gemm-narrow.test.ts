import { describe, expect, it } from 'vitest';
import '../../index.js';
import { matmul, matmulBias, tensor } from '../../index.js';
import { lcgFloats } from '../../conformance/harness.js';
import { outputArray, recycle } from './buffer-pool.js';
import { isNarrowProduct, narrowGemm } from './gemm-narrow.js';
import { bits, f32Reference, pooled } from './gemm-reference.js';

// [m, n, k]: narrow k (a 2-D flow's first layer), narrow n (its last), narrow m (a weight gradient), odd widths.
const SHAPES: [number, number, number][] = [[256, 32, 2], [256, 2, 32], [2, 32, 256], [37, 5, 3], [9, 17, 1], [4, 33, 7], [130, 1, 8], [1, 40, 3]];

describe('narrow products', () => {
  it.each(SHAPES)('m %i, n %i, k %i: the in-order float32 sums bit for bit, every transposition, with a bias', (m, n, k) => {
    expect(isNarrowProduct(m, n, k)).toBe(true);
    for (const tA of [false, true]) {
      for (const tB of [false, true]) {
        const A = lcgFloats(m * k, 3 + m), B = lcgFloats(k * n, 5 + n), bias = lcgFloats(n, 7);
        const C = (outputArray('float32', m * n + 8) as Float32Array).subarray(0, m * n);
        if (m * n >= 16) {
          // Called directly on pooled storage, the narrow kernel must take the product.
          const [pa, pb] = [pooled(A), pooled(B)];
          expect(narrowGemm(pa, 0, tA, pb, 0, tB, C, 0, m, n, k, bias)).toBe(true);
          expect(bits(C)).toEqual(bits(f32Reference(A, tA, B, tB, m, n, k, bias)));
          recycle(pa);
          recycle(pb);
        }
        recycle(C);
        // Products of fewer than 16 entries take the JavaScript kernel (plain arrays), tested with the other gemm paths.
        if (m * n < 16) continue;
        // And through the op, as layers call it.
        const a = tensor(A, tA ? [k, m] : [m, k]), b = tensor(B, tB ? [n, k] : [k, n]);
        expect(bits(matmul(a, b, { transposeA: tA, transposeB: tB }).dataSync() as Float32Array)).toEqual(bits(f32Reference(A, tA, B, tB, m, n, k, null)));
        expect(bits(matmulBias(a, b, tensor(bias), { transposeA: tA, transposeB: tB }).dataSync() as Float32Array))
          .toEqual(bits(f32Reference(A, tA, B, tB, m, n, k, bias)));
      }
    }
  });

  it('batched products: each entry of the batch, the last row of one spilling into the next', () => {
    const A = lcgFloats(3 * 64 * 2, 11), B = lcgFloats(3 * 2 * 6, 12);
    const c = matmul(tensor(A, [3, 64, 2]), tensor(B, [3, 2, 6])).dataSync() as Float32Array;
    for (let t = 0; t < 3; t++) {
      const want = f32Reference(A.subarray(t * 128, (t + 1) * 128), false, B.subarray(t * 12, (t + 1) * 12), false, 64, 6, 2, null);
      expect(bits(c.subarray(t * 384, (t + 1) * 384))).toEqual(bits(want));
    }
  });
});
