import { describe, expect, it } from 'vitest';
import '../../index.js';
import { add, matmul, matmulBias, tensor } from '../../index.js';
import { lcgFloats } from '../../conformance/harness.js';
import { outputArray, recycle } from './buffer-pool.js';
import { threadedGemm } from './gemm-threads.js';
import { copiedProduct } from './gemm-copied-product.js';
import { simdGemm } from './simd-gemm.js';
import { singleThreadGemm } from './gemm-copied-product.js';
import { splitProduct } from './gemm-split-product.js';
import { bits, f32Reference, pooled } from './gemm-reference.js';

// Row counts cover every tail height (m mod 4 = 0..3), column counts full and partial 8-wide panels, and
// 67x260·260x131 a row-major B large enough to be packed, 133x260·260x70 a transposed A to be packed.
const SHAPES: [number, number, number][] = [[64, 64, 64], [37, 29, 41], [256, 6, 64], [5, 8, 17], [18, 12, 300], [7, 3, 1024], [1, 70, 65], [67, 131, 260], [133, 70, 260]];

describe.skipIf(singleThreadGemm() === null)('SIMD gemm: the same bits on every path', () => {
  for (const [m, n, k] of SHAPES) {
    for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      for (const withBias of [false, true]) {
        it(`${m}x${k} · ${k}x${n} (tA=${tA}, tB=${tB}${withBias ? ', bias' : ''}): packed, in-place and mixed operands give the reference's bits`, () => {
          const A = lcgFloats(m * k + 3, 7 + m), B = lcgFloats(k * n + 5, 11 + n), bias = withBias ? lcgFloats(n, 5) : null;
          const want = f32Reference(A.subarray(3), tA, B.subarray(5), tB, m, n, k, bias);
          const plain = new Float32Array(m * n + 2);
          expect(simdGemm(A, 3, tA, B, 5, tB, plain, 1, m, n, k, bias)).toBe(true);
          expect(bits(plain.subarray(1, 1 + m * n))).toEqual(bits(want));
          const [pa, pb, pc] = [pooled(A), pooled(B), pooled(new Float32Array(m * n + 2).fill(9))];
          expect(simdGemm(pa, 3, tA, pb, 5, tB, pc, 1, m, n, k, bias)).toBe(true);
          expect(bits(pc.subarray(1, 1 + m * n))).toEqual(bits(want));
          expect([pc[0], pc[m * n + 1]]).toEqual([9, 9]);
          // A plain operand beside pooled ones is copied into the pool, then read in place.
          pc.fill(9);
          expect(simdGemm(A, 3, tA, pb, 5, tB, pc, 1, m, n, k, bias)).toBe(true);
          expect(bits(pc.subarray(1, 1 + m * n))).toEqual(bits(want));
          expect([pc[0], pc[m * n + 1]]).toEqual([9, 9]);
          for (const x of [pa, pb, pc]) recycle(x);
        });
      }
    }
  }

  it('matmulBias gives add(matmul(a, b), bias) bit for bit, batched with partial tiles', () => {
    const [batch, m, n, k] = [3, 37, 13, 20];
    const a = tensor(lcgFloats(batch * m * k, 1), [batch, m, k]), w = tensor(lcgFloats(n * k, 2), [n, k]), b = tensor(lcgFloats(n, 3), [n]);
    const fused = matmulBias(a, w, b, { transposeB: true }), mm = matmul(a, w, { transposeB: true }), unfused = add(mm, b);
    expect(bits(fused.dataSync() as Float32Array)).toEqual(bits(unfused.dataSync() as Float32Array));
    const av = a.dataSync() as Float32Array;
    const want = f32Reference(av.subarray(m * k, 2 * m * k), false, w.dataSync() as Float32Array, true, m, n, k, b.dataSync() as Float32Array);
    expect(bits((fused.dataSync() as Float32Array).subarray(m * n, 2 * m * n))).toEqual(bits(want));
    for (const t of [a, w, b, fused, mm, unfused]) t.dispose();
  });

  // On the thread pool each thread runs its own row panels: the sums are those of one thread.
  for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
    it.skipIf(threadedGemm() === null)(`the threaded split gives the reference bits (203x150 · 150x91, tA=${tA}, tB=${tB}, bias)`, () => {
      const [m, n, k] = [203, 91, 150];
      const A = lcgFloats(m * k, 31), B = lcgFloats(k * n, 32), bias = lcgFloats(n, 33);
      const C = new Float32Array(m * n);
      expect(copiedProduct(threadedGemm()!, A, 0, tA, B, 0, tB, C, 0, m, n, k, bias)).toBe(true);
      expect(bits(C)).toEqual(bits(f32Reference(A, tA, B, tB, m, n, k, bias)));
    });
  }

  // Split with one worker: its rows from copies in shared memory (C with row stride n, partial panel first),
  // the main thread's in place; every tail height, partial panels, packed and in-place B, plain A.
  const SPLIT: [number, number, number][] = [[64, 64, 64], [43, 64, 64], [256, 43, 64], [37, 13, 29], [70, 5, 3], [67, 131, 260], [10, 8, 8]];
  for (const [m, n, k] of SPLIT) {
    for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      it.skipIf(threadedGemm() === null)(`the split between a worker and the main thread gives the reference bits (${m}x${k} · ${k}x${n}, tA=${tA}, tB=${tB})`, () => {
        const A = lcgFloats(m * k + 3, 51 + m), B = lcgFloats(k * n + 5, 52 + n), bias = lcgFloats(n, 53);
        for (const withBias of [null, bias]) {
          const want = f32Reference(A.subarray(3), tA, B.subarray(5), tB, m, n, k, withBias);
          const [pa, pb, pc] = [pooled(A), pooled(B), pooled(new Float32Array(m * n + 2).fill(9))];
          expect(splitProduct(threadedGemm()!, pa, 3, tA, pb, 5, tB, pc, 1, m, n, k, withBias, false)).toBe(true);
          expect(bits(pc.subarray(1, 1 + m * n))).toEqual(bits(want));
          expect([pc[0], pc[m * n + 1]]).toEqual([9, 9]);
          pc.fill(9);
          expect(splitProduct(threadedGemm()!, A, 3, tA, pb, 5, tB, pc, 1, m, n, k, withBias, false)).toBe(true);
          expect(bits(pc.subarray(1, 1 + m * n))).toEqual(bits(want));
          for (const x of [pa, pb, pc]) recycle(x);
        }
      });
    }
  }

  // Which thread runs the worker's rows depends on timing: the worker, or the main thread taking back a job the
  // worker has not started (it often has not, when the main thread's own rows are few and the worker was asleep,
  // or between products at varying gaps). Either way the bits are the reference's.
  it.skipIf(threadedGemm() === null)('whichever thread runs the worker\'s rows, the bits are the reference\'s', () => {
    const [m, n, k] = [24, 13, 9];
    const A = lcgFloats(m * k, 61), B = lcgFloats(n * k, 62), want = bits(f32Reference(A, false, B, true, m, n, k, null));
    const [pa, pb, pc] = [pooled(A), pooled(B), pooled(new Float32Array(m * n))];
    for (let i = 0; i < 60; i++) {
      pc.fill(0);
      const t = performance.now();
      while (performance.now() - t < (i % 3) * 0.05);
      expect(splitProduct(threadedGemm()!, pa, 0, false, pb, 0, true, pc, 0, m, n, k, null, false)).toBe(true);
      expect(bits(pc.subarray(0, m * n))).toEqual(want);
    }
    for (const x of [pa, pb, pc]) recycle(x);
  });

  it.skipIf(threadedGemm() === null)('the split declines (touching nothing) below two row panels and for C outside the pool', () => {
    const A = lcgFloats(7 * 8, 1), B = lcgFloats(8 * 8, 2), C = new Float32Array(7 * 8).fill(9);
    expect(splitProduct(threadedGemm()!, A, 0, false, B, 0, false, pooled(C), 0, 7, 8, 8, null, false)).toBe(false);
    expect(splitProduct(threadedGemm()!, lcgFloats(64, 1), 0, false, B, 0, false, C, 0, 8, 8, 8, null, false)).toBe(false);
    expect(C.every((x) => x === 9)).toBe(true);
  });

  /**
   * Against the float64 product the kernel is a float32 sum in order: the
   * error bound is about k·u·Σ|a·b| (u = 2⁻²⁴, Higham 2002, §3.1). Measured
   * here for k = 1024 and inputs in [-1, 1): max |C − C64| = 1.8e-5 (bound
   * 1e-6·(k + 4) asserted, as for the other kernels).
   */
  it('stays within the float32 summation bound of the float64 product (k = 1024)', () => {
    const [m, n, k] = [9, 19, 1024];
    const A = lcgFloats(m * k, 41), B = lcgFloats(k * n, 42), C = new Float32Array(m * n);
    expect(simdGemm(A, 0, false, B, 0, false, C, 0, m, n, k)).toBe(true);
    let worst = 0;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += A[i * k + p]! * B[p * n + j]!;
        worst = Math.max(worst, Math.abs(C[i * n + j]! - s));
      }
    }
    expect(worst).toBeLessThan(1e-6 * (k + 4));
    expect(worst).toBeGreaterThan(0);
  });
});
