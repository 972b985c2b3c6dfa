import { type TensorLike, asTensor } from '../creation.js';
import { run } from '../engine.js';
import type { Tensor } from '../tensor.js';
import { unaryPrimitive } from './elementwise.js';
import { add } from './add.js';
import { div } from './div.js';

/** log(1 + x), accurate for small x (softplus and log-sigmoid need it); d/dx = 1/(1+x). WGSL has no log1p: the shader sums the atanh series near 0. */
export const log1pPrimitive = unaryPrimitive({
  name: 'log1p',
  fn: (a) => Math.log1p(a),
  simd: 'log1p',
  wgsl: 'rheo_log1p(a)',
  grad: (g, [x]) => [div(g, add(x!, 1))],
});

/** Elementwise log(1 + x), accurate for small x. */
export function log1p(x: TensorLike): Tensor {
  return run(log1pPrimitive, [asTensor(x)], {});
}
