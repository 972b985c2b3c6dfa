import { run } from '../engine.js';
import type { Primitive } from '../primitive.js';
import type { Tensor } from '../tensor.js';
import { broadcastTo } from './broadcast-to.js';
import { inferReduce, type ReduceAttrs, reduceAttrs, reduceCpu, reducedShape } from './reduce.js';
import { reshape } from './reshape.js';
import { reduceProgram } from '../wgsl/reduce.js';

/** Sum over axes (all when omitted). The cotangent is broadcast back. */
export const sumPrimitive: Primitive<ReduceAttrs> = {
  name: 'sum',
  infer: ([x], attrs) => inferReduce('sum', x!, attrs, ['float32', 'int32']),
  cpu: ([x], attrs, out) => reduceCpu(x!.values, x!.shape, attrs.axes, 'sum', out.dtype),
  wgsl: ([x], attrs) => reduceProgram('sum', x!.dtype, x!.shape, attrs.axes),
  grad(g, [x], _y, attrs) {
    return [broadcastTo(reshape(g, reducedShape(x!.shape, attrs.axes, true)), x!.shape)];
  },
};

/** The sum over `axes` (all axes when omitted), keeping them as size 1 when `keepDims`. */
export function sum(x: Tensor, axes?: number | readonly number[], keepDims?: boolean): Tensor {
  return run(sumPrimitive, [x], reduceAttrs('sum', x.rank, axes, keepDims));
}
