import { type TensorLike, asTensor } from '../creation.js';
import { run } from '../engine.js';
import type { Tensor } from '../tensor.js';
import { unaryPrimitive } from './elementwise.js';
import { div } from './div.js';
import { mul } from './mul.js';
import { op } from '../backends/cpu/wasm-emitter.js';

/** Square root; d/dx = 1/(2 sqrt x). */
export const sqrtPrimitive = unaryPrimitive({
  name: 'sqrt',
  fn: (a) => Math.sqrt(a),
  wgsl: 'sqrt(a)',
  simd: (x) => [...op.localGet(x), ...op.f32x4Sqrt],
  grad: (g, _x, y) => [div(mul(g, 0.5), y)],
});

/** Elementwise √x. */
export function sqrt(x: TensorLike): Tensor {
  return run(sqrtPrimitive, [asTensor(x)], {});
}
