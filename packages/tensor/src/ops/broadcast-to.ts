import { outputArray } from '../backends/cpu/buffer-pool.js';
import { run } from '../engine.js';
import { ShapeError, show } from '../errors.js';
import type { Primitive } from '../primitive.js';
import { broadcastShapes, checkShape, sameShape, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { broadcastLayout } from './elementwise.js';
import { stridedCopy } from './strided.js';
import { unbroadcast } from './util.js';
import { stridedProgram } from '../wgsl/strided.js';

export interface BroadcastToAttrs {
  readonly shape: readonly number[];
}

/** Repeats x along size-1 and leading axes to `shape` (NumPy rules). */
export const broadcastToPrimitive: Primitive<BroadcastToAttrs> = {
  name: 'broadcastTo',
  infer([x], { shape }) {
    const b = broadcastShapes('broadcastTo', x!.shape, shape);
    if (!sameShape(b, shape)) {
      throw new ShapeError(`broadcastTo(x, shape): x of shape ${show(x!.shape)} cannot be broadcast to ${show(shape)}`);
    }
    return { shape, dtype: x!.dtype };
  },
  cpu([x], _attrs, out) {
    const o = outputArray(out.dtype, sizeOf(out.shape), x!.values);
    const { shape, strides } = broadcastLayout(out.shape, [x!.shape]);
    stridedCopy(x!.values, 0, strides[0]!, shape, o);
    return o;
  },
  wgsl([x], _attrs, out) {
    const { shape, strides } = broadcastLayout(out.shape, [x!.shape]);
    return stridedProgram(out.dtype, shape, strides[0]!, 0);
  },
  grad: (g, [x]) => [unbroadcast(g, x!.shape)],
};

/** x repeated along new leading axes and axes of size 1 to `shape` (NumPy broadcasting rules). */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  const s = checkShape([...shape], 'broadcastTo(shape)');
  if (sameShape(s, x.shape)) return x;
  return run(broadcastToPrimitive, [x], { shape: s });
}
