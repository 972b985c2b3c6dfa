import { emitModule, I32, op, V128 } from './wasm-emitter.js';

/** Register tile of the micro-kernel: MR rows of C by NR columns (two f32x4 lanes). */
export const MR = 4;
export const NR = 8;

/**
 * The micro-kernel, after the BLIS scheme (Van Zee & van de Geijn, 2015,
 * "BLIS: A Framework for Rapidly Instantiating BLAS Functionality"): A is packed
 * in MR-row panels laid out [panel][p][row], B in NR-column panels laid out
 * [panel][p][col], so the inner loop reads both contiguously. For each MR x NR
 * tile, 8 f32x4 accumulators hold C while k rank-1 updates stream through them:
 * acc[r][c] += A[r,p] * B[p,c]. Eight accumulators + two B vectors + one A splat
 * fit the 16 XMM/NEON registers, so the loop never spills.
 *
 * gemm(ap, bp, cp, mb, nb, k, ldc): C tiles (byte stride ldc between rows) are
 * overwritten for mb row panels and nb column panels; k >= 1.
 */
/** Local indices the tile epilogue reads: C's base and row stride, the loop counters and bounds, the C pointer and the accumulators. */
export interface TileEpilogueLocals {
  readonly cp: number; readonly ldc: number; readonly i: number; readonly j: number;
  readonly nb: number; readonly mb: number; readonly cptr: number; readonly acc: (t: number) => number;
}

/**
 * The end of both gemm kernels' inner loops: store the MR×NR accumulator
 * tile at C + i·MR·ldc + j·NR floats (cptr), then close the j and i loops.
 */
export function emitStoreTileAndCloseLoops(emit: (...parts: (readonly number[])[]) => void, l: TileEpilogueLocals): void {
  emit(op.localGet(l.cp), op.localGet(l.i), op.localGet(l.ldc), op.i32Mul, op.i32Const(2), op.i32Shl, op.i32Add);
  emit(op.localGet(l.j), op.i32Const(5), op.i32Shl, op.i32Add, op.localSet(l.cptr));
  for (let r = 0; r < MR; r++) {
    emit(op.localGet(l.cptr), op.localGet(l.acc(2 * r)), op.v128Store(0));
    emit(op.localGet(l.cptr), op.localGet(l.acc(2 * r + 1)), op.v128Store(16));
    if (r < MR - 1) emit(op.localGet(l.cptr), op.localGet(l.ldc), op.i32Add, op.localSet(l.cptr));
  }
  emit(op.localGet(l.j), op.i32Const(1), op.i32Add, op.localTee(l.j), op.localGet(l.nb), op.i32LtU, op.brIf(0));
  emit(op.end);
  emit(op.localGet(l.i), op.i32Const(1), op.i32Add, op.localTee(l.i), op.localGet(l.mb), op.i32LtU, op.brIf(0));
  emit(op.end);
}

function kernelBody(): number[] {
  const [ap, bp, cp, mb, nb, k, ldc] = [0, 1, 2, 3, 4, 5, 6];
  const [i, j, p, pa, pb, cptr] = [7, 8, 9, 10, 11, 12];
  const a = 13, b0 = 14, b1 = 15, acc = (t: number) => 16 + t;
  const code: number[] = [];
  const emit = (...parts: (readonly number[])[]) => { for (const x of parts) code.push(...x); };

  emit(op.i32Const(0), op.localSet(i));
  emit(op.loop); // over row panels
  emit(op.i32Const(0), op.localSet(j));
  emit(op.loop); // over column panels
  for (let t = 0; t < 8; t++) emit(op.v128Zero, op.localSet(acc(t)));
  // pa = ap + i*k*16 bytes, pb = bp + j*k*32 bytes
  emit(op.localGet(ap), op.localGet(i), op.localGet(k), op.i32Mul, op.i32Const(4), op.i32Shl, op.i32Add, op.localSet(pa));
  emit(op.localGet(bp), op.localGet(j), op.localGet(k), op.i32Mul, op.i32Const(5), op.i32Shl, op.i32Add, op.localSet(pb));
  emit(op.localGet(k), op.localSet(p));
  emit(op.loop); // over k
  emit(op.localGet(pb), op.v128Load(0), op.localSet(b0));
  emit(op.localGet(pb), op.v128Load(16), op.localSet(b1));
  for (let r = 0; r < MR; r++) {
    emit(op.localGet(pa), op.v128Load32Splat(4 * r), op.localSet(a));
    emit(op.localGet(acc(2 * r)), op.localGet(a), op.localGet(b0), op.f32x4Mul, op.f32x4Add, op.localSet(acc(2 * r)));
    emit(op.localGet(acc(2 * r + 1)), op.localGet(a), op.localGet(b1), op.f32x4Mul, op.f32x4Add, op.localSet(acc(2 * r + 1)));
  }
  emit(op.localGet(pa), op.i32Const(16), op.i32Add, op.localSet(pa));
  emit(op.localGet(pb), op.i32Const(32), op.i32Add, op.localSet(pb));
  emit(op.localGet(p), op.i32Const(1), op.i32Sub, op.localTee(p), op.brIf(0));
  emit(op.end);
  emitStoreTileAndCloseLoops(emit, { cp, ldc, i, j, nb, mb, cptr, acc });
  return code;
}

const GEMM_FUNCTION = {
  name: 'gemm', params: [I32, I32, I32, I32, I32, I32, I32], locals: [[6, I32], [11, V128]] as const, body: kernelBody(),
};

/** The kernel module's bytes, generated here at import time. */
export const gemmModuleBytes: Uint8Array<ArrayBuffer> = emitModule([GEMM_FUNCTION], 1);

/** Page limit of the shared memory the threaded kernel runs on (1 GiB). */
export const SHARED_MAX_PAGES = 16384;


export type GemmFn = (ap: number, bp: number, cp: number, mb: number, nb: number, k: number, ldc: number) => void;

export interface Kernel {
  readonly memory: WebAssembly.Memory;
  readonly gemm: GemmFn;
}

let kernel: Kernel | null | undefined;

/** The instantiated kernel, or null where WebAssembly or its SIMD extension is missing. */
export function wasmGemmKernel(): Kernel | null {
  if (kernel !== undefined) return kernel;
  kernel = null;
  try {
    if (typeof WebAssembly === 'object' && WebAssembly.validate(gemmModuleBytes)) {
      const inst = new WebAssembly.Instance(new WebAssembly.Module(gemmModuleBytes), {});
      kernel = inst.exports as unknown as Kernel;
    }
  } catch {
    kernel = null;
  }
  return kernel;
}
