import { type TensorLike, asTensor } from '../creation.js';
import { run } from '../engine.js';
import type { Tensor } from '../tensor.js';
import { unaryPrimitive } from './elementwise.js';

/** -1, 0 or 1; its derivative is zero almost everywhere. */
export const signPrimitive = unaryPrimitive({
  name: 'sign',
  fn: (a) => Math.sign(a),
  // Bit-exact with Math.sign: NaN and ±0 pass through unchanged.
  wgsl: 'select(select(select(a, T(-1), a < T(0)), T(1), a > T(0)), a, rheo_isnan(a))',
  grad: () => [null],
  dtypes: ['float32', 'int32'],
});

/** Elementwise sign of x (−1, 0 or 1); its gradient is 0. */
export function sign(x: TensorLike): Tensor {
  return run(signPrimitive, [asTensor(x)], {});
}
