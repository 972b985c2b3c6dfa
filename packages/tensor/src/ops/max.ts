import { run } from '../engine.js';
import type { Primitive } from '../primitive.js';
import type { Tensor } from '../tensor.js';
import { broadcastTo } from './broadcast-to.js';
import { div } from './div.js';
import { equal } from './equal.js';
import { mul } from './mul.js';
import { inferReduce, type ReduceAttrs, reduceAttrs, reduceCpu, reducedShape } from './reduce.js';
import { reshape } from './reshape.js';
import { reduceProgram } from '../wgsl/reduce.js';
import { sum } from './sum.js';

/**
 * Maximum over axes (all when omitted). The cotangent goes to the maximal
 * entries, shared equally among ties.
 */
export const maxPrimitive: Primitive<ReduceAttrs> = {
  name: 'max',
  infer: ([x], attrs) => inferReduce('max', x!, attrs, ['float32', 'int32']),
  cpu: ([x], attrs, out) => reduceCpu(x!.values, x!.shape, attrs.axes, 'max', out.dtype),
  wgsl: ([x], attrs) => reduceProgram('max', x!.dtype, x!.shape, attrs.axes),
  grad(g, [x], y, attrs) {
    const kept = reducedShape(x!.shape, attrs.axes, true);
    const mask = equal(x!, reshape(y, kept));
    const count = sum(mask, attrs.axes, true);
    return [mul(mask, broadcastTo(div(reshape(g, kept), count), x!.shape))];
  },
};

/**
 * The largest entry over `axes` (all axes when omitted); the gradient is shared equally among the
 * entries equal to the maximum.
 */
export function max(x: Tensor, axes?: number | readonly number[], keepDims?: boolean): Tensor {
  return run(maxPrimitive, [x], reduceAttrs('max', x.rank, axes, keepDims));
}
