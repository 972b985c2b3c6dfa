import { type TensorLike, asTensor } from '../creation.js';
import { allocArray } from '../dtype.js';
import { run } from '../engine.js';
import { DTypeError } from '../errors.js';
import type { Primitive } from '../primitive.js';
import { broadcastShapes, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { zerosLike } from '../creation.js';
import { broadcastLayout } from './elementwise.js';
import { unbroadcast } from './util.js';
import { elementwiseProgram } from '../wgsl/elementwise.js';

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
    const o = allocArray(out.dtype, sizeOf(out.shape));
    if (o.length === 0) return o;
    const { shape, strides } = broadcastLayout(out.shape, [c!.shape, a!.shape, b!.shape]);
    const [sc, sa, sb] = strides as [number[], number[], number[]];
    const C = c!.values, A = a!.values, B = b!.values;
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
  return run(wherePrimitive, [cond, asTensor(a, like), asTensor(b, like)], {});
}
