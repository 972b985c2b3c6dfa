import { type TensorLike, asTensor } from '../creation.js';
import { run } from '../engine.js';
import type { Tensor } from '../tensor.js';
import { unaryPrimitive } from './elementwise.js';
import { div } from './div.js';
import { mul } from './mul.js';

/** Square root; d/dx = 1/(2 sqrt x). */
export const sqrtPrimitive = unaryPrimitive({
  name: 'sqrt',
  fn: (a) => Math.sqrt(a),
  wgsl: 'sqrt(a)',
  grad: (g, _x, y) => [div(mul(g, 0.5), y)],
});

/** Elementwise √x. */
export function sqrt(x: TensorLike): Tensor {
  return run(sqrtPrimitive, [asTensor(x)], {});
}
