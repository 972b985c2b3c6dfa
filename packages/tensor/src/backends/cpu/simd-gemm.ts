import { threadedGemm, type ThreadedGemm } from './gemm-threads.js';
import { preferThreads, recordGemm } from './gemm-thread-choice.js';
import { copiedProduct, singleThreadGemm } from './gemm-copied-product.js';
import { inArenaGemm } from './gemm-in-arena.js';
import { splitProduct } from './gemm-split-product.js';
import { MR } from './wasm-gemm.js';
import { registerSimdFunction } from './wasm-elementwise.js';
import { GEMM_STRIDED_SPECS } from './wasm-gemm-strided.js';

for (const spec of GEMM_STRIDED_SPECS) registerSimdFunction(spec);

/**
 * Below this many multiply-adds the JS kernel wins: the call and its set-up
 * dominate. Measured per matmul op (µs, SIMD / JS, m×k·k×n): 1024 MACs
 * 16×8·8×8 8.9 / 8.2, 64×8·8×2 8.0 / 6.1, 128×4·4×2 8.3 / 6.2; 2048 MACs
 * 256×4·4×2 7.9 / 16.1, 32×32·32×2 8.2 / 11.3; 4096 MACs 16³ 7.6 / 12.4.
 */
export const SIMD_GEMM_MIN_WORK = 2048;

/**
 * From this many multiply-adds a product may be split between the main
 * thread and a worker (splitProduct), where measurement says it wins
 * (`preferThreads`, per size class); only the worker's part of the operands
 * is copied. Median µs on a 2-core machine at a moment with a core idle
 * (load average 3, interleaved runs), one thread in place / split / both
 * operands and C copied for the pool: 256×64·64×64 52.2 / 36.2 / 42.9, its
 * A·Bᵀ 54.6 / 38.4 / 41.4, its Aᵀ·B (64×256·256×64) 57.9 / 47.6 / 49.9;
 * 1024×64·64×64 196 / 144 / 169. The main thread's half alone took 28.4 µs
 * and the copies 3.9 µs: the rest is the worker's wake (9 µs). With both
 * cores taken by other work the split loses (256×64·64×64 52.8 / 60 µs at a
 * load average of 1.7 to 2.9) and the measured choice keeps products on one
 * thread.
 */
export const THREADED_GEMM_MIN_WORK = 1 << 18;

/**
 * C[m x n] (row-major, at cOff) = op(A) · op(B) (+ bias, a row of n values
 * added to every row, where given) through the WebAssembly SIMD micro-kernel,
 * where op(A) is m x k and op(B) is k x n; a transposed operand is stored as
 * its transpose, row-major. Each entry is the float32 sum over p in order of
 * the float32 products, then one float32 add of the bias: the same bits on
 * every path and thread count, and as the product followed by `add`. Returns
 * false, touching nothing, where the kernel is unavailable (no WebAssembly
 * SIMD), so callers fall back to JS. `restWrittenLater`: C's values after
 * this product are written after it (the next entry of a batch), so the
 * kernel may store partial tiles across them.
 */
export function simdGemm(
  A: Float32Array, aOff: number, transA: boolean,
  B: Float32Array, bOff: number, transB: boolean,
  C: Float32Array, cOff: number,
  m: number, n: number, k: number,
  bias: Float32Array | null = null, restWrittenLater = false,
): boolean {
  if (k === 0) return false;
  const work = m * n * k;
  if (work >= THREADED_GEMM_MIN_WORK && m >= 2 * MR && threadedGemm() !== null) {
    const t0 = performance.now();
    const choice = preferThreads(work, transA, transB);
    const threaded = choice !== 'one' && choice !== 'probe-one'
      && threadedProduct(threadedGemm()!, A, aOff, transA, B, bOff, transB, C, cOff, m, n, k, bias, restWrittenLater);
    const done = threaded || inArenaGemm(A, aOff, transA, B, bOff, transB, C, cOff, m, n, k, bias, restWrittenLater);
    if (done) {
      recordGemm(threaded, work, ((performance.now() - t0) * 1e6) / work, transA, transB);
      return true;
    }
  } else if (inArenaGemm(A, aOff, transA, B, bOff, transB, C, cOff, m, n, k, bias, restWrittenLater)) return true;
  // C outside the pool (a plain array, or the pool at its limit): the kernels' own memory.
  const single = singleThreadGemm();
  return single !== null && copiedProduct(single, A, aOff, transA, B, bOff, transB, C, cOff, m, n, k, bias);
}


/**
 * The product on the pool: split between the main thread (in place) and one
 * worker (splitProduct), or, for C outside the CPU pool and for large
 * products where more than two threads are available, copied into shared
 * memory and split across all of them (copiedProduct).
 */
function threadedProduct(
  pool: ThreadedGemm, A: Float32Array, aOff: number, transA: boolean, B: Float32Array, bOff: number, transB: boolean,
  C: Float32Array, cOff: number, m: number, n: number, k: number, bias: Float32Array | null, restWrittenLater: boolean,
): boolean {
  if (pool.threads > 2 && m * n * k >= ALL_THREADS_MIN_WORK) return copiedProduct(pool, A, aOff, transA, B, bOff, transB, C, cOff, m, n, k, bias);
  return splitProduct(pool, A, aOff, transA, B, bOff, transB, C, cOff, m, n, k, bias, restWrittenLater)
    || copiedProduct(pool, A, aOff, transA, B, bOff, transB, C, cOff, m, n, k, bias);
}

/** From this many multiply-adds a machine with more than two threads splits a product across all of them. */
const ALL_THREADS_MIN_WORK = 1 << 26;
