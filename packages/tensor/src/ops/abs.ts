import { type TensorLike, asTensor } from '../creation.js';
import { run } from '../engine.js';
import type { Tensor } from '../tensor.js';
import { unaryPrimitive } from './elementwise.js';
import { mul } from './mul.js';
import { sign } from './sign.js';
import { op } from '../backends/cpu/wasm-emitter.js';

/** |x|; d/dx = sign x (0 at 0). */
export const absPrimitive = unaryPrimitive({
  name: 'abs',
  fn: (a) => Math.abs(a),
  wgsl: 'abs(a)',
  simd: (x) => [...op.localGet(x), ...op.f32x4Abs],
  grad: (g, [x]) => [mul(g, sign(x!))],
  dtypes: ['float32', 'int32'],
});

/** Elementwise |x|; its gradient is sign(x). */
export function abs(x: TensorLike): Tensor {
  return run(absPrimitive, [asTensor(x)], {});
}
