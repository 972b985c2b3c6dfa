import { lcgFloats } from '../conformance/harness.js';
import { describe, expect, it } from 'vitest';
import { threadedGemm } from '../backends/cpu/gemm-threads.js';
import { simdGemm } from '../backends/cpu/simd-gemm.js';
import { copiedProduct } from '../backends/cpu/gemm-copied-product.js';
import { gemmModuleBytes } from '../backends/cpu/gemm-copied-product.js';
import { matmul, tensor } from '../index.js';
import { gemm } from './gemm.js';

const values = lcgFloats;

/** op(A) · op(B) in float64 by the textbook triple loop; transposed operands are stored transposed. */
function reference(A: Float32Array, tA: boolean, B: Float32Array, tB: boolean, m: number, n: number, k: number): Float64Array {
  const C = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (tA ? A[p * m + i]! : A[i * k + p]!) * (tB ? B[j * k + p]! : B[p * n + j]!);
      C[i * n + j] = s;
    }
  }
  return C;
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, k: number): void {
  expect(got.length).toBe(want.length);
  // float32 accumulation of k products of magnitude <= 1
  const tol = 1e-6 * (k + 4);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
  expect(worst).toBeLessThan(tol);
}

const sizes: [number, number, number][] = [
  [1, 1, 1], [3, 17, 65], [17, 3, 1], [65, 65, 17], [1, 65, 3], [16, 8, 32], [33, 70, 129], [5, 9, 300],
];

describe('gemm kernels', () => {
  it('emits a valid WebAssembly SIMD module', () => {
    expect(Array.from(gemmModuleBytes.subarray(0, 4))).toEqual([0x00, 0x61, 0x73, 0x6d]);
    expect(WebAssembly.validate(gemmModuleBytes)).toBe(true);
  });

  for (const [m, n, k] of sizes) {
    it(`JS kernel ${m}x${k} · ${k}x${n} matches float64`, () => {
      const A = values(m * k, m + 7 * k), B = values(k * n, n + 11 * k);
      const C = new Float32Array(m * n + 3).fill(9);
      gemm(A, 0, B, 0, C, 2, m, n, k);
      expectClose(C.subarray(2, 2 + m * n), reference(A, false, B, false, m, n, k), k);
      expect(C[0]).toBe(9);
      expect(C[m * n + 2]).toBe(9);
    });

    for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      it(`SIMD kernel ${m}x${k} · ${k}x${n} (tA=${tA}, tB=${tB}) matches float64`, () => {
        const A = values(m * k + 5, 3 * m + k), B = values(k * n + 5, 5 * n + k);
        const C = new Float32Array(m * n + 4).fill(9);
        expect(simdGemm(A, 5, tA, B, 5, tB, C, 1, m, n, k)).toBe(true);
        expectClose(C.subarray(1, 1 + m * n), reference(A.subarray(5), tA, B.subarray(5), tB, m, n, k), k);
        expect(C[0]).toBe(9);
        expect(C[m * n + 1]).toBe(9);
      });
    }
  }

  it('batched, broadcast and transposed matmul matches float64 per batch entry', () => {
    const [m, n, k] = [17, 65, 33];
    const Av = values(2 * 3 * k * m, 1), Bv = values(3 * n * k, 2);
    const y = matmul(tensor(Av, [2, 3, k, m]), tensor(Bv, [3, n, k]), { transposeA: true, transposeB: true });
    expect(y.shape).toEqual([2, 3, m, n]);
    const got = y.dataSync();
    for (let b0 = 0; b0 < 2; b0++) {
      for (let b1 = 0; b1 < 3; b1++) {
        const A = Av.subarray((b0 * 3 + b1) * k * m, (b0 * 3 + b1 + 1) * k * m);
        const B = Bv.subarray(b1 * n * k, (b1 + 1) * n * k);
        const off = (b0 * 3 + b1) * m * n;
        expectClose(got.subarray(off, off + m * n), reference(A, true, B, true, m, n, k), k);
      }
    }
    y.dispose();
  });

  // Above THREADED_GEMM_MIN_WORK (with a core idle) the row panels are split across worker threads
  // (where the machine has two or more cores and RHEO_CPU_THREADS allows); called here directly.
  for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
    it.skipIf(threadedGemm() === null)(`threaded kernel 203x150 · 150x91 (tA=${tA}, tB=${tB}) matches float64`, () => {
      const [m, n, k] = [203, 91, 150];
      const A = values(m * k + 3, 21), B = values(k * n + 2, 22);
      const C = new Float32Array(m * n + 2).fill(9);
      expect(copiedProduct(threadedGemm()!, A, 3, tA, B, 2, tB, C, 1, m, n, k, null)).toBe(true);
      expectClose(C.subarray(1, 1 + m * n), reference(A.subarray(3), tA, B.subarray(2), tB, m, n, k), k);
      expect(C[0]).toBe(9);
      expect(C[m * n + 1]).toBe(9);
    });
  }

  it('uses worker threads on a multi-core Node machine unless RHEO_CPU_THREADS=1', async () => {
    const { availableParallelism } = await import('node:os');
    const pool = threadedGemm();
    const wanted = process.env['RHEO_CPU_THREADS'] === '1' ? 1 : availableParallelism();
    if (wanted < 2) expect(pool).toBeNull();
    else expect(pool?.threads).toBe(Math.min(wanted, 8));
  });
});

