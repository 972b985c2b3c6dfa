import { type TensorLike, asTensor } from '../creation.js';
import { outputArray } from '../backends/cpu/buffer-pool.js';
import { run } from '../engine.js';
import { DTypeError } from '../errors.js';
import type { Primitive } from '../primitive.js';
import { broadcastShapes, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { zerosLike } from '../creation.js';
import { broadcastLayout } from './elementwise.js';
import { unbroadcast } from './util.js';
import { elementwiseProgram } from '../wgsl/elementwise.js';
import { F32, I32, op, V128 } from '../backends/cpu/wasm-emitter.js';
import { registerSimdFunction } from '../backends/cpu/wasm-elementwise.js';
import { arenaKernel } from '../backends/cpu/simd-elementwise.js';

/**
 * The SIMD loop: out = bitselect(a, b, c != 0) per f32x4, which is the plain
 * loop's choice lane by lane (NaN != 0 holds, -0 != 0 does not, as in JS).
 * where_vvv(c, a, b, out, vectors); where_vvs(c, a, out, vectors, b: f32).
 */
function whereLoop(scalarB: boolean): number[] {
  const [c, a] = [0, 1], b = 2, out = scalarB ? 2 : 3, n = scalarB ? 3 : 4, vb = 5;
  const code: number[] = [];
  const emit = (...parts: (readonly number[])[]) => { for (const p of parts) code.push(...p); };
  if (scalarB) emit(op.localGet(4), op.f32x4Splat, op.localSet(vb));
  emit(op.loop, op.localGet(out), op.localGet(a), op.v128Load(0));
  emit(scalarB ? op.localGet(vb) : [...op.localGet(b), ...op.v128Load(0)]);
  emit(op.localGet(c), op.v128Load(0), op.f32x4Const(0), op.f32x4Ne, op.v128Bitselect, op.v128Store(0));
  for (const p of scalarB ? [c, a, out] : [c, a, b, out]) emit(op.localGet(p), op.i32Const(16), op.i32Add, op.localSet(p));
  emit(op.localGet(n), op.i32Const(1), op.i32Sub, op.localTee(n), op.brIf(0), op.end);
  return code;
}
registerSimdFunction({ name: 'where_vvv', params: [I32, I32, I32, I32, I32], locals: [[1, V128]], body: whereLoop(false) });
registerSimdFunction({ name: 'where_vvs', params: [I32, I32, I32, I32, F32], locals: [[1, V128]], body: whereLoop(true) });

/** where(cond, a, b): a where cond is non-zero, else b; all three broadcast. */
export const wherePrimitive: Primitive = {
  name: 'where',
  infer([c, a, b]) {
    if (a!.dtype !== b!.dtype) {
      throw new DTypeError(`where(cond, a, b): a is ${a!.dtype} and b is ${b!.dtype}; expected the same dtype`);
    }
    return { shape: broadcastShapes('where', c!.shape, a!.shape, b!.shape), dtype: a!.dtype };
  },
  cpu([c, a, b], _attrs, out) {
    const o = outputArray(out.dtype, sizeOf(out.shape), a!.values);
    if (o.length === 0) return o;
    const { shape, strides } = broadcastLayout(out.shape, [c!.shape, a!.shape, b!.shape]);
    const [sc, sa, sb] = strides as [number[], number[], number[]];
    const C = c!.values, A = a!.values, B = b!.values;
    // Contiguous cond and a, with b contiguous or one value: the SIMD loop, in place.
    if (shape.length === 1 && sc[0] === 1 && sa[0] === 1 && sb[0]! <= 1) {
      const v = Math.ceil(o.length / 4);
      const vvv = sb[0] === 1 ? arenaKernel('where_vvv', o, [C, A, B]) : undefined;
      if (vvv !== undefined) { vvv(C.byteOffset, A.byteOffset, B.byteOffset, o.byteOffset, v); return o; }
      const vvs = sb[0] === 0 && B instanceof Float32Array ? arenaKernel('where_vvs', o, [C, A]) : undefined;
      if (vvs !== undefined) { vvs(C.byteOffset, A.byteOffset, o.byteOffset, v, B[0]!); return o; }
    }
    const r = shape.length;
    if (r === 0) {
      o[0] = C[0] !== 0 ? A[0]! : B[0]!;
      return o;
    }
    const n = shape[r - 1]!;
    const idx = new Int32Array(r);
    let pc = 0, pa = 0, pb = 0;
    for (let q = 0, outer = o.length / n; q < outer; q++) {
      const ic = sc[r - 1]!, ia = sa[r - 1]!, ib = sb[r - 1]!;
      for (let j = 0; j < n; j++) o[q * n + j] = C[pc + j * ic] !== 0 ? A[pa + j * ia]! : B[pb + j * ib]!;
      for (let d = r - 2; d >= 0; d--) {
        idx[d]!++;
        pc += sc[d]!; pa += sa[d]!; pb += sb[d]!;
        if (idx[d]! < shape[d]!) break;
        pc -= sc[d]! * shape[d]!; pa -= sa[d]! * shape[d]!; pb -= sb[d]! * shape[d]!;
        idx[d] = 0;
      }
    }
    return o;
  },
  wgsl: (inputs, _attrs, out) =>
    elementwiseProgram('where', 'select(b, a, c != 0)', inputs, out, { names: ['c', 'a', 'b'], valueDType: out.dtype }),
  grad(g, [c, a, b]) {
    const zero = zerosLike(g);
    return [null, unbroadcast(where(c!, g, zero), a!.shape), unbroadcast(where(c!, zero, g), b!.shape)];
  },
};

/** Elementwise `cond ? a : b` with broadcasting; the gradient flows to the branch taken. */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  const like = a instanceof Tensor ? a : b instanceof Tensor ? b : undefined;
  return run(wherePrimitive, [cond, asTensor(a, like, 'where(a)'), asTensor(b, like, 'where(b)')], {});
}
