import { gemmBlocks, threadedGemm } from './gemm-threads.js';
import { MR, NR, SHARED_MAX_PAGES, wasmGemmKernel } from './wasm-gemm.js';
import { arenaOfArray, outputArray, recycle } from './buffer-pool.js';
import { arenaKernel } from './simd-elementwise.js';
import { registerSimdFunction } from './wasm-elementwise.js';
import { GEMM_STRIDED, type GemmStridedFn } from './wasm-gemm-strided.js';

registerSimdFunction(GEMM_STRIDED);

/** Below this many multiply-adds the JS kernel wins: packing and copies dominate. */
export const SIMD_GEMM_MIN_WORK = 4096;

/**
 * From this many multiply-adds waking the worker threads pays for itself.
 * Measured on a 2-core machine under load (about 6.5), two threads with
 * packed operands against one thread running in place on pooled operands:
 * one thread is faster at 2^23 and 2^24 (575 vs 749 µs, 1.0 vs 1.9 ms), about
 * even at 2^26, and two threads win some runs from 2^27. Below this the main
 * thread mostly waits for a worker the scheduler has not run yet.
 */
export const THREADED_GEMM_MIN_WORK = 1 << 26;

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
  if (pool === null && inArenaGemm(A, aOff, transA, B, bOff, transB, C, cOff, m, n, k)) return true;
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

/**
 * The single-threaded product on operands that live in the CPU pool's
 * memory, where the strided kernel reads A (row-major or transposed) and a
 * row-major B in place and writes C in place when its shape fills whole
 * tiles; only a transposed B is packed, and C goes through a scratch block
 * when its edges are partial tiles. False, touching nothing, elsewhere.
 */
function inArenaGemm(
  A: Float32Array, aOff: number, transA: boolean, B: Float32Array, bOff: number, transB: boolean,
  C: Float32Array, cOff: number, m: number, n: number, k: number,
): boolean {
  const fn = arenaKernel('gemm_strided', C, [A, B]) as GemmStridedFn | undefined;
  const arena = arenaOfArray(C);
  if (fn === undefined || arena === undefined) return false;
  const mb = Math.ceil(m / MR), nb = Math.ceil(n / NR);
  const a0 = A.byteOffset + aOff * 4;
  const [aps, ars, ais] = transA ? [4 * m, 4, 16] : [4, 4 * k, 16 * k];
  // Rows of a partial last panel read past A (within the arena), into C rows that are dropped.
  if (a0 + (mb * MR - 1) * ars + (k - 1) * aps + 4 > arena.bytes) return false;
  let b0 = B.byteOffset + bOff * 4, bps = 4 * n, bjs = 32;
  let packedB: Float32Array | null = null;
  if (transB || b0 + (nb - 1) * 32 + (k - 1) * 4 * n + 32 > arena.bytes) {
    packedB = outputArray('float32', nb * NR * k, C) as Float32Array;
    if (arenaOfArray(packedB) !== arena) { recycle(packedB); return false; }
    packB(B, bOff, transB, packedB, n, k, nb);
    b0 = packedB.byteOffset;
    bps = 32;
    bjs = 32 * k;
  }
  const direct = m % MR === 0 && n % NR === 0;
  const ldcE = direct ? n : nb * NR;
  const scratch = direct ? null : outputArray('float32', mb * MR * ldcE, C) as Float32Array;
  if (scratch !== null && arenaOfArray(scratch) !== arena) {
    recycle(scratch);
    if (packedB !== null) recycle(packedB);
    return false;
  }
  const cp = scratch === null ? C.byteOffset + cOff * 4 : scratch.byteOffset;
  const nc = columnPanelsPerBlock(k);
  for (let j0 = 0; j0 < nb; j0 += nc) {
    fn(a0, b0 + j0 * bjs, cp + j0 * NR * 4, mb, Math.min(nc, nb - j0), k, ldcE * 4, aps, ars, ais, bps, bjs);
  }
  if (scratch !== null) {
    for (let i = 0; i < m; i++) C.set(scratch.subarray(i * ldcE, i * ldcE + n), cOff + i * n);
    recycle(scratch);
  }
  if (packedB !== null) recycle(packedB);
  return true;
}

/** op(B) into NR-column panels [panel][p][col], columns past n zero (as simdGemm packs it). */
function packB(B: Float32Array, bOff: number, transB: boolean, out: Float32Array, n: number, k: number, nb: number): void {
  for (let jb = 0; jb < nb; jb++) {
    const base = jb * NR * k, j0 = jb * NR, w = Math.min(NR, n - j0);
    for (let p = 0; p < k; p++) {
      const dst = base + p * NR;
      if (transB) for (let c = 0; c < w; c++) out[dst + c] = B[bOff + (j0 + c) * k + p]!;
      else for (let c = 0; c < w; c++) out[dst + c] = B[bOff + p * n + j0 + c]!;
      for (let c = w; c < NR; c++) out[dst + c] = 0;
    }
  }
}
