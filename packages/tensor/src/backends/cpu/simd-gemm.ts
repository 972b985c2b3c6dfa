import { gemmBlocks, threadedGemm } from './gemm-threads.js';
import { MR, NR, SHARED_MAX_PAGES, wasmGemmKernel } from './wasm-gemm.js';

/** Below this many multiply-adds the JS kernel wins: packing and copies dominate. */
export const SIMD_GEMM_MIN_WORK = 4096;

/**
 * From this many multiply-adds waking the worker threads pays for itself.
 * Measured on a 2-core machine under load (about 7): two threads gain nothing
 * up to 2^22 multiply-adds, 8% at 2^23, 1.5× at 2^24 and 2.5× at 2^26; below
 * that the main thread mostly waits for a worker the scheduler has not run yet.
 */
export const THREADED_GEMM_MIN_WORK = 1 << 23;

/**
 * Column panels per kernel call, sized so the packed B block (NC*NR*k floats)
 * stays within ~256 KiB of L2 while every row panel of A streams past it
 * (the "GEBP" loop order of Goto & van de Geijn, 2008, ACM TOMS 34(3)).
 */
function columnPanelsPerBlock(k: number): number {
  return Math.max(1, Math.floor((256 * 1024) / (NR * k * 4)));
}

let view = new Float32Array(0);

/**
 * C[m x n] (row-major, at cOff) = op(A) · op(B) through the WebAssembly SIMD
 * micro-kernel, where op(A) is m x k and op(B) is k x n; a transposed operand
 * is stored as its transpose, row-major. Returns false, touching nothing, where
 * the kernel is unavailable (no WebAssembly SIMD), so callers fall back to JS.
 */
export function simdGemm(
  A: Float32Array, aOff: number, transA: boolean,
  B: Float32Array, bOff: number, transB: boolean,
  C: Float32Array, cOff: number,
  m: number, n: number, k: number,
): boolean {
  if (k === 0) return false;
  const mb = Math.ceil(m / MR), nb = Math.ceil(n / NR);
  const ldc = nb * NR;
  const aLen = mb * MR * k, bLen = nb * NR * k, cLen = mb * MR * ldc;
  const total = (aLen + bLen + cLen) * 4;
  const pool = m * n * k >= THREADED_GEMM_MIN_WORK && mb > 1 && total <= SHARED_MAX_PAGES * 65536 ? threadedGemm() : null;
  const kern = pool ?? wasmGemmKernel();
  if (kern === null) return false;
  const mem = kern.memory;
  if (mem.buffer.byteLength < total) mem.grow(Math.ceil((total - mem.buffer.byteLength) / 65536));
  if (view.buffer !== mem.buffer) view = new Float32Array(mem.buffer);
  const ap = 0, bp = aLen, cp = aLen + bLen;

  // Pack op(A) into [panel][p][row]; rows past m are zero.
  for (let ib = 0; ib < mb; ib++) {
    const base = ap + ib * MR * k;
    for (let r = 0; r < MR; r++) {
      const i = ib * MR + r;
      if (i >= m) {
        for (let p = 0; p < k; p++) view[base + p * MR + r] = 0;
      } else if (transA) {
        for (let p = 0; p < k; p++) view[base + p * MR + r] = A[aOff + p * m + i]!;
      } else {
        const row = aOff + i * k;
        for (let p = 0; p < k; p++) view[base + p * MR + r] = A[row + p]!;
      }
    }
  }
  // Pack op(B) into [panel][p][col]; columns past n are zero.
  for (let jb = 0; jb < nb; jb++) {
    const base = bp + jb * NR * k;
    const j0 = jb * NR, w = Math.min(NR, n - j0);
    if (transB) {
      for (let c = 0; c < NR; c++) {
        if (c >= w) { for (let p = 0; p < k; p++) view[base + p * NR + c] = 0; continue; }
        const row = bOff + (j0 + c) * k;
        for (let p = 0; p < k; p++) view[base + p * NR + c] = B[row + p]!;
      }
    } else {
      for (let p = 0; p < k; p++) {
        const src = bOff + p * n + j0, dst = base + p * NR;
        for (let c = 0; c < w; c++) view[dst + c] = B[src + c]!;
        for (let c = w; c < NR; c++) view[dst + c] = 0;
      }
    }
  }
  const nc = columnPanelsPerBlock(k);
  if (pool !== null) pool.run(ap * 4, bp * 4, cp * 4, mb, nb, k, ldc * 4, nc);
  else gemmBlocks(wasmGemmKernel()!.gemm, ap * 4, bp * 4, cp * 4, mb, nb, k, ldc * 4, nc);
  for (let i = 0; i < m; i++) {
    const src = cp + i * ldc;
    C.set(view.subarray(src, src + n), cOff + i * n);
  }
  return true;
}
