import { outputArray } from './buffer-pool.js';

/**
 * For the gemm tests: the float32 arithmetic every SIMD gemm path promises,
 * written out in JavaScript: per entry s = 0, then s = f32(s + f32(a·b)) for
 * p = 0..k-1 in order, then f32(s + bias). It is what the previous 4 × 8
 * kernel (f32.load + f32x4.splat) computed as well: the register tile, the
 * broadcast, the in-place strides, the tail kernels, the narrow kernel and the
 * thread split change which entries are computed together, never the sums,
 * so every path must match it bit for bit.
 */
export function f32Reference(
  A: Float32Array, tA: boolean, B: Float32Array, tB: boolean, m: number, n: number, k: number, bias: Float32Array | null,
): Float32Array {
  const C = new Float32Array(m * n);
  const f = Math.fround;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s = f(s + f((tA ? A[p * m + i]! : A[i * k + p]!) * (tB ? B[j * k + p]! : B[p * n + j]!)));
      C[i * n + j] = bias === null ? s : f(s + bias[j]!);
    }
  }
  return C;
}

/** The bits of float32 values (a copy, so views into the pool compare by value). */
export const bits = (x: Float32Array): Uint32Array => new Uint32Array(Float32Array.from(x).buffer);

/** A copy of x in the CPU pool (a plain array below the pool's smallest block). */
export function pooled(x: Float32Array): Float32Array {
  const p = outputArray('float32', x.length) as Float32Array;
  p.set(x);
  return p;
}
