import { I32, op, V128, type FunctionSpec } from './wasm-emitter.js';
import { emitStoreTileAndCloseLoops, MR } from './wasm-gemm.js';

/**
 * The gemm micro-kernel of wasm-gemm.ts with its operands addressed through
 * strides instead of packed panels, so it runs on tensors where they lie in
 * the CPU pool's memory: A(i, p) of row panel ib at ap + ib·ais + r·ars + p·aps
 * (i = ib·MR + r) and B(p, c) of column panel jb at bp + jb·bjs + p·bps + c·4.
 * Row-major A has (aps, ars, ais) = (4, 4k, 16k); a transposed A (stored
 * k × m) has (4m, 4, 16); a packed panel (16, 4, 16k). Row-major B has
 * (bps, bjs) = (4n, 32); a packed panel (32, 32k). Each C entry is the same
 * float32 sum over p, in the same order, as in the packed kernel, so results
 * are bit for bit those of the packed path.
 *
 * gemm_strided(ap, bp, cp, mb, nb, k, ldc, aps, ars, ais, bps, bjs); k >= 1,
 * all in bytes; C tiles (MR × 8, row stride ldc) are overwritten.
 */
function stridedBody(): number[] {
  const [ap, bp, cp, mb, nb, k, ldc, aps, ars, ais, bps, bjs] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const [i, j, p, pa, pb, cptr, ars2, ars3] = [12, 13, 14, 15, 16, 17, 18, 19];
  const a = 20, b0 = 21, b1 = 22, acc = (t: number) => 23 + t;
  const code: number[] = [];
  const emit = (...parts: (readonly number[])[]) => { for (const x of parts) code.push(...x); };

  emit(op.localGet(ars), op.i32Const(1), op.i32Shl, op.localSet(ars2));
  emit(op.localGet(ars2), op.localGet(ars), op.i32Add, op.localSet(ars3));
  emit(op.i32Const(0), op.localSet(i));
  emit(op.loop); // row panels
  emit(op.i32Const(0), op.localSet(j));
  emit(op.loop); // column panels
  for (let t = 0; t < 8; t++) emit(op.v128Zero, op.localSet(acc(t)));
  emit(op.localGet(ap), op.localGet(i), op.localGet(ais), op.i32Mul, op.i32Add, op.localSet(pa));
  emit(op.localGet(bp), op.localGet(j), op.localGet(bjs), op.i32Mul, op.i32Add, op.localSet(pb));
  emit(op.localGet(k), op.localSet(p));
  emit(op.loop); // k
  emit(op.localGet(pb), op.v128Load(0), op.localSet(b0));
  emit(op.localGet(pb), op.v128Load(16), op.localSet(b1));
  for (let r = 0; r < MR; r++) {
    emit(op.localGet(pa));
    if (r > 0) emit(op.localGet(r === 1 ? ars : r === 2 ? ars2 : ars3), op.i32Add);
    emit(op.f32Load(0), op.f32x4Splat, op.localSet(a));
    emit(op.localGet(acc(2 * r)), op.localGet(a), op.localGet(b0), op.f32x4Mul, op.f32x4Add, op.localSet(acc(2 * r)));
    emit(op.localGet(acc(2 * r + 1)), op.localGet(a), op.localGet(b1), op.f32x4Mul, op.f32x4Add, op.localSet(acc(2 * r + 1)));
  }
  emit(op.localGet(pa), op.localGet(aps), op.i32Add, op.localSet(pa));
  emit(op.localGet(pb), op.localGet(bps), op.i32Add, op.localSet(pb));
  emit(op.localGet(p), op.i32Const(1), op.i32Sub, op.localTee(p), op.brIf(0));
  emit(op.end);
  emitStoreTileAndCloseLoops(emit, { cp, ldc, i, j, nb, mb, cptr, acc });
  return code;
}

export const GEMM_STRIDED: FunctionSpec = {
  name: 'gemm_strided',
  params: new Array<number>(12).fill(I32),
  locals: [[8, I32], [11, V128]],
  body: stridedBody(),
};

export type GemmStridedFn = (
  ap: number, bp: number, cp: number, mb: number, nb: number, k: number, ldc: number,
  aps: number, ars: number, ais: number, bps: number, bjs: number,
) => void;
