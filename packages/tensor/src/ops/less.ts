import type { TensorLike } from '../creation.js';
import { run } from '../engine.js';
import type { Tensor } from '../tensor.js';
import { binaryPrimitive } from './elementwise.js';
import { binaryOperands } from './operands.js';
import { op } from '../backends/cpu/wasm-emitter.js';

/** a < b as a float32 mask of 0 and 1; not differentiable. */
export const lessPrimitive = binaryPrimitive({
  name: 'less',
  fn: (a, b) => (a < b ? 1 : 0),
  wgsl: 'select(0.0, 1.0, a < b && !rheo_isnan(a) && !rheo_isnan(b))',
  // The lane mask of a < b (false for NaN) and-ed with the bits of 1.0: exactly fn's 1 or 0.
  simd: (a, b) => [...op.localGet(a), ...op.localGet(b), ...op.f32x4Lt, ...op.f32x4Const(1), ...op.v128And],
  output: 'float32',
  grad: () => [null, null],
});

/** Elementwise a < b as 1 or 0 (float32), with broadcasting; no gradient. */
export function less(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = binaryOperands(a, b, 'less');
  return run(lessPrimitive, [ta, tb], {});
}
