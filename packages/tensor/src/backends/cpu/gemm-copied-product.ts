import { kernelIndex, stridedBlocks, type StridedJob } from './gemm-threads.js';
import { emitModule } from './wasm-emitter.js';
import { MR, NR, SHARED_MAX_PAGES } from './wasm-gemm.js';
import {
  GEMM_STRIDED_SPECS, gemmStridedName, type GemmAddRowFn, type GemmPackFn, type GemmPackRowsFn, type GemmStridedFn,
} from './wasm-gemm-strided.js';

/** Where copiedProduct runs: a memory of its own, the module's functions there, and a way to run a job over row panels. */
export interface GemmTarget {
  readonly memory: WebAssembly.Memory;
  readonly kernel: (name: string) => (...args: number[]) => void;
  run(job: StridedJob): void;
}

/** The strided kernels, the packings and the bias pass on an imported memory of their own. */
export const gemmModuleBytes: Uint8Array<ArrayBuffer> = emitModule(GEMM_STRIDED_SPECS, 1, undefined, true);

let single: GemmTarget | null | undefined;

/**
 * The kernels on the main thread, on a memory of their own (for operands
 * outside the CPU pool, or when it is full); null where WebAssembly or its
 * SIMD extension is missing.
 */
export function singleThreadGemm(): GemmTarget | null {
  if (single !== undefined) return single;
  single = null;
  try {
    if (typeof WebAssembly === 'object' && WebAssembly.validate(gemmModuleBytes)) {
      const memory = new WebAssembly.Memory({ initial: 1, maximum: SHARED_MAX_PAGES });
      const ex = new WebAssembly.Instance(new WebAssembly.Module(gemmModuleBytes), { env: { memory } }).exports as Record<string, (...args: number[]) => void>;
      single = { memory, kernel: (name) => ex[name]!, run: (job) => stridedBlocks(ex[GEMM_STRIDED_SPECS[job.fn]!.name] as GemmStridedFn, job) };
    }
  } catch {
    single = null;
  }
  return single;
}

let view = new Float32Array(0);

const align4 = (floats: number): number => Math.ceil(floats / 4) * 4;

/**
 * Bytes of memory `copiedProduct` uses for an m×k·k×n product:
 * A and B copied as stored (B with NR floats of slack, or staged and packed
 * when transposed), the bias padded to whole panels, C with rows padded to
 * whole panels.
 */
export function copiedProductBytes(m: number, n: number, k: number): number {
  const nb = Math.ceil(n / NR);
  return 4 * (align4(m * k) + align4(k * n) + nb * NR * k + align4(k * n + NR) + nb * NR + m * nb * NR);
}

/**
 * C = op(A)·op(B) (+ bias) on a target's own memory (the thread pool's shared
 * one, or the main thread's): A and B are copied in as they are stored (one
 * memcpy each; B is then packed into panels by a WebAssembly loop), the
 * strided kernels read them (on the pool, each thread its own MR-row panels
 * of C), the main thread runs the last m mod MR rows and the bias pass, and
 * C is copied out. The same sums in the same order on every target, so the
 * same bits.
 */
export function copiedProduct(
  pool: GemmTarget, A: Float32Array, aOff: number, transA: boolean, B: Float32Array, bOff: number, transB: boolean,
  C: Float32Array, cOff: number, m: number, n: number, k: number, bias: Float32Array | null,
): boolean {
  const total = copiedProductBytes(m, n, k);
  if (total > SHARED_MAX_PAGES * 65536) return false;
  const mem = pool.memory;
  if (mem.buffer.byteLength < total) mem.grow(Math.ceil((total - mem.buffer.byteLength) / 65536));
  if (view.buffer !== mem.buffer) view = new Float32Array(mem.buffer);
  const nb = Math.ceil(n / NR), ldc = nb * NR;
  // Float offsets of the regions, each 16-byte aligned.
  const a0 = 0, bStage = a0 + align4(m * k), bPacked = bStage + align4(k * n), bCopy = bPacked + nb * NR * k;
  const biasAt = bCopy + align4(k * n + NR), c0 = biasAt + nb * NR;
  view.set(A.subarray(aOff, aOff + m * k), a0);
  let b0: number, bps: number, bjs: number;
  if (transB) {
    view.set(B.subarray(bOff, bOff + k * n), bStage);
    view.fill(0, bPacked + (nb - 1) * NR * k, bPacked + nb * NR * k);
    (pool.kernel('gemm_pack_bt') as GemmPackFn)(bStage * 4, bPacked * 4, n, k);
    [b0, bps, bjs] = [bPacked * 4, NR * 4, NR * 4 * k];
  } else {
    // Packed as in simd-gemm.ts for a large B; a partial last panel reads up to NR - 1 floats past the copy (slack).
    view.set(B.subarray(bOff, bOff + k * n), bCopy);
    (pool.kernel('gemm_pack_32') as GemmPackRowsFn)(bCopy * 4, bPacked * 4, nb, k, 4 * n);
    [b0, bps, bjs] = [bPacked * 4, NR * 4, NR * 4 * k];
  }
  if (bias !== null) view.set(bias, biasAt);
  const [aps, ars] = transA ? [4 * m, 4] : [4, 4 * k];
  const nc = Math.max(1, Math.floor((256 * 1024) / (NR * k * 4)));
  const args = (mr: number, i0: number, panels: number): StridedJob['args'] =>
    [a0 * 4 + i0 * ars, b0, (c0 + i0 * ldc) * 4, panels, nb, k, ldc * 4, aps, ars, mr * ars, bps, bjs];
  const name = (mr: number) => gemmStridedName(mr, ars === 4);
  const mb = Math.floor(m / MR), tail = m - mb * MR;
  if (mb > 0) pool.run({ fn: kernelIndex(name(MR)), args: args(MR, 0, mb), nc });
  if (tail > 0) stridedBlocks(pool.kernel(name(tail)) as GemmStridedFn, { fn: kernelIndex(name(tail)), args: args(tail, mb * MR, 1), nc });
  if (bias !== null) (pool.kernel('gemm_add_row') as GemmAddRowFn)(c0 * 4, biasAt * 4, m, n, ldc * 4);
  if (ldc === n) C.set(view.subarray(c0, c0 + m * n), cOff);
  else for (let i = 0; i < m; i++) C.set(view.subarray(c0 + i * ldc, c0 + i * ldc + n), cOff + i * n);
  return true;
}
