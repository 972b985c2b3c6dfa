import { type TensorLike, asTensor } from '../creation.js';
import { run } from '../engine.js';
import type { Tensor } from '../tensor.js';
import { unaryPrimitive } from './elementwise.js';
import { mul } from './mul.js';
import { sub } from './sub.js';

/** Hyperbolic tangent; d/dx = 1 - tanh^2 x (reuses the output). */
export const tanhPrimitive = unaryPrimitive({
  name: 'tanh',
  fn: (a) => Math.tanh(a),
  simd: 'tanh',
  wgsl: 'rheo_tanh(a)',
  grad: (g, _x, y) => [mul(g, sub(1, mul(y, y)))],
});

/** Elementwise tanh x. */
export function tanh(x: TensorLike): Tensor {
  return run(tanhPrimitive, [asTensor(x)], {});
}
