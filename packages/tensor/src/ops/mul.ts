import type { TensorLike } from '../creation.js';
import { run } from '../engine.js';
import type { Tensor } from '../tensor.js';
import { binaryPrimitive } from './elementwise.js';
import { binaryOperands } from './operands.js';
import { unbroadcast } from './util.js';
import { op } from '../backends/cpu/wasm-emitter.js';

/** Elementwise a * b with broadcasting. */
export const mulPrimitive = binaryPrimitive({
  name: 'mul',
  fn: (a, b) => a * b,
  wgsl: 'a * b',
  simd: (a, b) => [...op.localGet(a), ...op.localGet(b), ...op.f32x4Mul],
  output: 'same',
  grad: (g, [a, b]) => [unbroadcast(mul(g, b!), a!.shape), unbroadcast(mul(g, a!), b!.shape)],
});

/** Elementwise a · b with broadcasting. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = binaryOperands(a, b, 'mul');
  return run(mulPrimitive, [ta, tb], {});
}
