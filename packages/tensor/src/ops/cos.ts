import { type TensorLike, asTensor } from '../creation.js';
import { run } from '../engine.js';
import type { Tensor } from '../tensor.js';
import { unaryPrimitive } from './elementwise.js';
import { mul } from './mul.js';
import { neg } from './neg.js';
import { sin } from './sin.js';

/** Cosine; d/dx = -sin x. */
export const cosPrimitive = unaryPrimitive({
  name: 'cos',
  fn: (a) => Math.cos(a),
  wgsl: 'rheo_cos(a)',
  grad: (g, [x]) => [neg(mul(g, sin(x!)))],
});

/** Elementwise cos x. */
export function cos(x: TensorLike): Tensor {
  return run(cosPrimitive, [asTensor(x)], {});
}
