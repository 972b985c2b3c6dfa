import { run } from '../engine.js';
import type { Primitive } from '../primitive.js';
import type { Tensor } from '../tensor.js';
import { broadcastTo } from './broadcast-to.js';
import { inferReduce, type ReduceAttrs, reduceAttrs, reduceCpu, reducedShape } from './reduce.js';
import { reshape } from './reshape.js';
import { reduceProgram } from '../wgsl/reduce.js';
import { outputArray, recycle } from '../backends/cpu/buffer-pool.js';
import { arenaKernel } from '../backends/cpu/simd-elementwise.js';
import { registerSimdFunction } from '../backends/cpu/wasm-elementwise.js';
import { F64, I32, op, V128 } from '../backends/cpu/wasm-emitter.js';

/**
 * sum_rows(x, out, rows, n): each row's sum over its n float32 values in
 * float64, four lanes at a time (two f64x2 accumulators, lane j adding
 * elements j, j + 4, ...), then the n mod 4 last ones, the lanes combined as
 * (l0 + l1) + (l2 + l3) + tail and rounded once to float32. The plain kernel
 * adds in index order; both are float64 sums of the same terms, each off
 * the exact sum by at most (n − 1)·2^-53·Σ|x|, so after rounding to float32
 * they differ by at most one float32 ulp of the result plus 2n·2^-53·Σ|x|.
 */
function sumRowsBody(): number[] {
  const [x, o, rows, n, j, rem, s, a0, a1, v] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const code: number[] = [];
  const emit = (...parts: (readonly number[])[]) => { for (const p of parts) code.push(...p); };
  const step = (p: number, by: number) => emit(op.localGet(p), op.i32Const(by), op.i32Add, op.localSet(p));
  emit(op.loop);
  emit(op.v128Zero, op.localSet(a0), op.v128Zero, op.localSet(a1), op.f64Const0, op.localSet(s));
  emit(op.localGet(n), op.i32Const(2), op.i32ShrU, op.localSet(j));
  emit(op.block, op.localGet(j), op.i32Eqz, op.brIf(0), op.loop);
  emit(op.localGet(x), op.v128Load(0), op.localSet(v));
  emit(op.localGet(a0), op.localGet(v), op.f64x2PromoteLowF32x4, op.f64x2Add, op.localSet(a0));
  emit(op.localGet(a1), op.localGet(v), op.localGet(v), op.i8x16ShuffleHigh, op.f64x2PromoteLowF32x4, op.f64x2Add, op.localSet(a1));
  step(x, 16);
  emit(op.localGet(j), op.i32Const(1), op.i32Sub, op.localTee(j), op.brIf(0), op.end, op.end);
  emit(op.localGet(n), op.i32Const(3), op.i32And, op.localSet(rem));
  emit(op.block, op.localGet(rem), op.i32Eqz, op.brIf(0), op.loop);
  emit(op.localGet(s), op.localGet(x), op.f32Load(0), op.f64PromoteF32, op.f64Add, op.localSet(s));
  step(x, 4);
  emit(op.localGet(rem), op.i32Const(1), op.i32Sub, op.localTee(rem), op.brIf(0), op.end, op.end);
  emit(op.localGet(o));
  emit(op.localGet(a0), op.f64x2ExtractLane(0), op.localGet(a0), op.f64x2ExtractLane(1), op.f64Add);
  emit(op.localGet(a1), op.f64x2ExtractLane(0), op.localGet(a1), op.f64x2ExtractLane(1), op.f64Add, op.f64Add);
  emit(op.localGet(s), op.f64Add, op.f32DemoteF64, op.f32Store(0));
  step(o, 4);
  emit(op.localGet(rows), op.i32Const(1), op.i32Sub, op.localTee(rows), op.brIf(0), op.end);
  return code;
}
/**
 * sum_cols(x, out, rows, n): out[c] = Σ_r x[r, c] for any n >= 1 columns of a
 * [rows, n] block, rows in index order, in float64 rounded once: four columns
 * at a time in two f64x2 accumulators, then the n mod 4 last ones one by one.
 * The plain kernel's float64 sums in its order, so the same float32 bits.
 */
function sumColsBody(): number[] {
  const [x, o, rows, n, c, r, ptr, stride, s, a0, a1, v] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const code: number[] = [];
  const emit = (...parts: (readonly number[])[]) => { for (const p of parts) code.push(...p); };
  const column = () => emit(op.localGet(x), op.localGet(c), op.i32Const(2), op.i32Shl, op.i32Add, op.localSet(ptr), op.localGet(rows), op.localSet(r));
  const next = () => emit(op.localGet(ptr), op.localGet(stride), op.i32Add, op.localSet(ptr), op.localGet(r), op.i32Const(1), op.i32Sub, op.localTee(r), op.brIf(0), op.end);
  emit(op.localGet(n), op.i32Const(2), op.i32Shl, op.localSet(stride), op.i32Const(0), op.localSet(c));
  // Four columns at a time while four remain.
  emit(op.block, op.localGet(n), op.i32Const(4), op.i32LtU, op.brIf(0), op.loop);
  emit(op.v128Zero, op.localSet(a0), op.v128Zero, op.localSet(a1));
  column();
  emit(op.loop, op.localGet(ptr), op.v128Load(0), op.localSet(v));
  emit(op.localGet(a0), op.localGet(v), op.f64x2PromoteLowF32x4, op.f64x2Add, op.localSet(a0));
  emit(op.localGet(a1), op.localGet(v), op.localGet(v), op.i8x16ShuffleHigh, op.f64x2PromoteLowF32x4, op.f64x2Add, op.localSet(a1));
  next();
  emit(op.localGet(o), op.localGet(c), op.i32Const(2), op.i32Shl, op.i32Add);
  emit(op.localGet(a0), op.f32x4DemoteF64x2Zero, op.localGet(a1), op.f32x4DemoteF64x2Zero, op.i8x16ShuffleLowLow, op.v128Store(0));
  // Again while c + 8 <= n (the condition stays on the stack while c moves on by 4).
  emit(op.localGet(n), op.localGet(c), op.i32Const(8), op.i32Add, op.i32LtU, op.i32Eqz);
  emit(op.localGet(c), op.i32Const(4), op.i32Add, op.localSet(c), op.brIf(0), op.end, op.end);
  // The last n mod 4 columns, one float64 sum each.
  emit(op.block, op.localGet(c), op.localGet(n), op.i32LtU, op.i32Eqz, op.brIf(0), op.loop);
  emit(op.f64Const0, op.localSet(s));
  column();
  emit(op.loop, op.localGet(s), op.localGet(ptr), op.f32Load(0), op.f64PromoteF32, op.f64Add, op.localSet(s));
  next();
  emit(op.localGet(o), op.localGet(c), op.i32Const(2), op.i32Shl, op.i32Add, op.localGet(s), op.f32DemoteF64, op.f32Store(0));
  emit(op.localGet(c), op.i32Const(1), op.i32Add, op.localTee(c), op.localGet(n), op.i32LtU, op.brIf(0), op.end, op.end);
  return code;
}
registerSimdFunction({ name: 'sum_cols', params: [I32, I32, I32, I32], locals: [[4, I32], [1, F64], [3, V128]], body: sumColsBody() });
registerSimdFunction({ name: 'sum_rows', params: [I32, I32, I32, I32], locals: [[2, I32], [1, F64], [3, V128]], body: sumRowsBody() });

/** Rows shorter than this keep the plain loop (the last-axis SIMD sum pays off from a few vectors on). */
const SIMD_SUM_MIN_ROW = 8;

/** Sum over axes (all when omitted). The cotangent is broadcast back. */
export const sumPrimitive: Primitive<ReduceAttrs> = {
  name: 'sum',
  infer: ([x], attrs) => inferReduce('sum', x!, attrs, ['float32', 'int32']),
  cpu([x], attrs, out) {
    const r = x!.shape.length, n = x!.shape[r - 1]!, X = x!.values;
    if (attrs.axes.length === 1 && attrs.axes[0] === r - 1 && n >= SIMD_SUM_MIN_ROW && X.length >= n) {
      const o = outputArray(out.dtype, X.length / n, X);
      const fn = arenaKernel('sum_rows', o, [X]);
      if (fn !== undefined) fn(X.byteOffset, o.byteOffset, o.length, n);
      else for (let i = 0; i < o.length; i++) { let s = 0; for (let k = i * n; k < (i + 1) * n; k++) s += X[k]!; o[i] = s; }
      return o;
    }
    // All axes but the last (a bias gradient): column sums in the plain kernel's order.
    if (r >= 2 && attrs.axes.length === r - 1 && attrs.axes.every((a, i) => a === i) && X.length > n) {
      const o = outputArray(out.dtype, n, X);
      const fn = arenaKernel('sum_cols', o, [X]);
      if (fn !== undefined) {
        fn(X.byteOffset, o.byteOffset, X.length / n, n);
        return o;
      }
      recycle(o);
    }
    // One run of consecutive axes with something after it: [outer, red, inner] → [outer, inner],
    // column sums of each [red, inner] block in the plain kernel's order.
    const axes = attrs.axes;
    if (axes.length >= 1 && axes[axes.length - 1]! < r - 1 && axes.every((a, i) => a === axes[0]! + i) && X.length > 0) {
      let outer = 1, red = 1, inner = 1;
      for (let d = 0; d < r; d++) {
        const size = x!.shape[d]!;
        if (d < axes[0]!) outer *= size;
        else if (d <= axes[axes.length - 1]!) red *= size;
        else inner *= size;
      }
      if (inner >= 4 && red > 1) {
        const o = outputArray(out.dtype, outer * inner, X);
        const fn = arenaKernel('sum_cols', o, [X]);
        if (fn !== undefined) {
          for (let q = 0; q < outer; q++) fn(X.byteOffset + 4 * q * red * inner, o.byteOffset + 4 * q * inner, red, inner);
          return o;
        }
        recycle(o);
      }
    }
    return reduceCpu(X, x!.shape, attrs.axes, 'sum', out.dtype);
  },
  wgsl: ([x], attrs) => reduceProgram('sum', x!.dtype, x!.shape, attrs.axes),
  grad(g, [x], _y, attrs) {
    return [broadcastTo(reshape(g, reducedShape(x!.shape, attrs.axes, true)), x!.shape)];
  },
};

/** The sum over `axes` (all axes when omitted), keeping them as size 1 when `keepDims`. */
export function sum(x: Tensor, axes?: number | readonly number[], keepDims?: boolean): Tensor {
  return run(sumPrimitive, [x], reduceAttrs('sum', x.rank, axes, keepDims));
}
