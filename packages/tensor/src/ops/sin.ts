import { type TensorLike, asTensor } from '../creation.js';
import { run } from '../engine.js';
import type { Tensor } from '../tensor.js';
import { unaryPrimitive } from './elementwise.js';
import { cos } from './cos.js';
import { mul } from './mul.js';

/** Sine; d/dx = cos x. */
export const sinPrimitive = unaryPrimitive({
  name: 'sin',
  fn: (a) => Math.sin(a),
  wgsl: 'rheo_sin(a)',
  grad: (g, [x]) => [mul(g, cos(x!))],
});

/** Elementwise sin x. */
export function sin(x: TensorLike): Tensor {
  return run(sinPrimitive, [asTensor(x)], {});
}
