import { columnPanelsPerBlock, inArenaGemm, PACK_B_MIN_FLOATS, PACK_B_MIN_ROWS } from './gemm-in-arena.js';
import { kernelIndex, type PackStep, type StridedJob, type ThreadedGemm } from './gemm-threads.js';
import { arenaOfArray } from './buffer-pool.js';
import { MR, NR, SHARED_MAX_PAGES } from './wasm-gemm.js';
import { gemmStridedName, type GemmAddRowFn } from './wasm-gemm-strided.js';

let view = new Float32Array(0);

const align4 = (floats: number): number => Math.ceil(floats / 4) * 4;

/**
 * C = op(A)·op(B) (+ bias) on two threads, with C in the CPU pool: a worker
 * computes the first `workerPanels(m)` MR-row panels of C from copies in the
 * pool's shared memory while the main thread computes the other rows in
 * place (inArenaGemm, the one-thread path, on its block of rows), then copies
 * the worker's rows into C. Only the worker's operands cross: its rows of A
 * (all of a transposed A, one memcpy instead of k strided ones), B as
 * stored (the worker packs it where the one-thread path would), the bias; a
 * 256×64·64×64 product copies 48 KiB in and 32 KiB out (about 3 µs), where
 * copying both operands and C for the pool (copiedProduct) moved 144 KiB.
 * The worker's C has row stride n: it stores its partial last column panel
 * first (stridedBlocks' lastFirst), so the copy out is one memcpy. Each
 * entry is the sum of the same float32 products in the same order as on one
 * thread, so the bits are the same. False, touching nothing, where C is not
 * in the pool, there are fewer than 2·MR rows, the copies would not fit in
 * the shared memory, or the main thread's rows cannot run in place (the
 * worker's rows are then dropped).
 */
export function splitProduct(
  pool: ThreadedGemm, A: Float32Array, aOff: number, transA: boolean, B: Float32Array, bOff: number, transB: boolean,
  C: Float32Array, cOff: number, m: number, n: number, k: number, bias: Float32Array | null, restWrittenLater: boolean,
): boolean {
  const rw = workerPanels(m) * MR;
  if (rw === 0 || arenaOfArray(C) === undefined) return false;
  const nb = Math.ceil(n / NR);
  const aLen = transA ? m * k : rw * k;
  const packB = transB || (k * n >= PACK_B_MIN_FLOATS && m >= PACK_B_MIN_ROWS);
  // Float offsets, 16-byte aligned: A, B as stored (+ NR slack: a partial last panel read in place reads past it), packed B, bias, C (+ NR slack).
  const a0 = 0, b0 = align4(aLen), packed = b0 + align4(k * n + NR), biasAt = packed + (packB ? nb * NR * k : 0);
  const c0 = biasAt + align4(n), end = c0 + rw * n + NR;
  if (end * 4 > SHARED_MAX_PAGES * 65536) return false;
  const mem = pool.memory;
  if (mem.buffer.byteLength < end * 4) mem.grow(Math.ceil((end * 4 - mem.buffer.byteLength) / 65536));
  if (view.buffer !== mem.buffer) view = new Float32Array(mem.buffer);

  view.set(A.subarray(aOff, aOff + aLen), a0);
  view.set(B.subarray(bOff, bOff + k * n), b0);
  let pack: PackStep | undefined;
  let [bp, bps, bjs] = [b0 * 4, 4 * n, 4 * NR];
  if (transB) {
    // The columns of a partial last panel past n are never kept; zeroed so that they hold no stale values.
    if (n < nb * NR) view.fill(0, packed + (nb - 1) * NR * k, packed + nb * NR * k);
    pack = { fn: kernelIndex('gemm_pack_bt'), args: [b0 * 4, packed * 4, n, k] };
  } else if (packB) pack = { fn: kernelIndex('gemm_pack_32'), args: [b0 * 4, packed * 4, nb, k, 4 * n] };
  if (pack !== undefined) [bp, bps, bjs] = [packed * 4, 4 * NR, 4 * NR * k];
  const [aps, ars] = transA ? [4 * m, 4] : [4, 4 * k];
  const job: StridedJob = {
    fn: kernelIndex(gemmStridedName(MR, ars === 4)),
    args: [a0 * 4, bp, c0 * 4, rw / MR, nb, k, 4 * n, aps, ars, MR * ars, bps, bjs],
    nc: columnPanelsPerBlock(k),
    lastFirst: n < nb * NR,
  };
  pool.post(job, pack);
  const mainDone = inArenaGemm(A, aOff + (transA ? rw : rw * k), transA, B, bOff, transB, C, cOff + rw * n, m - rw, n, k, bias, restWrittenLater, transA ? m : k);
  pool.join();
  if (!mainDone) return false;
  if (bias !== null) {
    view.set(bias, biasAt);
    (pool.kernel('gemm_add_row') as GemmAddRowFn)(c0 * 4, biasAt * 4, rw, n, 4 * n);
  }
  C.set(view.subarray(c0, c0 + rw * n), cOff);
  return true;
}

/**
 * Row panels the worker takes: half of the whole ones, rounded up where m is
 * a multiple of MR, down where the main thread also has the last m mod MR
 * rows; 0 below 2 panels.
 */
export function workerPanels(m: number): number {
  const mb = Math.floor(m / MR);
  if (mb < 2) return 0;
  return m % MR === 0 ? Math.ceil(mb / 2) : Math.floor(mb / 2);
}
