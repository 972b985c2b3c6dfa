import { type TensorLike, asTensor } from '../creation.js';
import { run } from '../engine.js';
import type { Tensor } from '../tensor.js';
import { unaryPrimitive } from './elementwise.js';
import { div } from './div.js';

/** Natural logarithm; d/dx = 1/x. */
export const logPrimitive = unaryPrimitive({
  name: 'log',
  fn: (a) => Math.log(a),
  simd: 'log',
  wgsl: 'log(a)',
  grad: (g, [x]) => [div(g, x!)],
});

/** Elementwise natural logarithm. */
export function log(x: TensorLike): Tensor {
  return run(logPrimitive, [asTensor(x)], {});
}
