import { permutationIndices, threefryStream, type Key } from '@rheo/tensor';

// 2^-24: a uniform keeps the top 24 bits of each Threefry word, as @rheo/tensor's
// `uniform` does, so float32 rounding never turns u < 1 into 1.
const INV_2_24 = 5.960464477539063e-8;

/**
 * n uniforms on [0, 1) from a key's Threefry stream, computed on the CPU so
 * that data preparation is the same on every backend; equal to
 * `uniform(key, [n]).dataSync()`.
 */
export function uniforms(k: Key, n: number): Float64Array {
  const words = threefryStream(k.k0, k.k1, n);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (words[i]! >>> 8) * INV_2_24;
  return out;
}

/**
 * n standard normals by Box–Muller: z = sqrt(−2 ln(1−u1)) cos(2π u2), with
 * (u1, u2) the first and second halves of 2n uniforms (1−u1 ∈ (0, 1]).
 */
export function normals(k: Key, n: number): Float64Array {
  const u = uniforms(k, 2 * n);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(-2 * Math.log(1 - u[i]!)) * Math.cos(2 * Math.PI * u[n + i]!);
  return out;
}

/** A uniformly random permutation of 0..n−1: the same as `permutation(k, n)` of @rheo/tensor, on the host. */
export function shuffledIndices(k: Key, n: number): Int32Array {
  return permutationIndices(k, n);
}
