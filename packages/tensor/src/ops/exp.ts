import { type TensorLike, asTensor } from '../creation.js';
import { run } from '../engine.js';
import type { Tensor } from '../tensor.js';
import { unaryPrimitive } from './elementwise.js';
import { mul } from './mul.js';

/** e^x; d/dx = e^x (reuses the output). */
export const expPrimitive = unaryPrimitive({
  name: 'exp',
  fn: (a) => Math.exp(a),
  simd: 'exp',
  wgsl: 'exp(a)',
  grad: (g, _x, y) => [mul(g, y)],
});

/** Elementwise eˣ. */
export function exp(x: TensorLike): Tensor {
  return run(expPrimitive, [asTensor(x)], {});
}
