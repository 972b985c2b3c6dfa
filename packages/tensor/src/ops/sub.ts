import type { TensorLike } from '../creation.js';
import { run } from '../engine.js';
import type { Tensor } from '../tensor.js';
import { binaryPrimitive } from './elementwise.js';
import { neg } from './neg.js';
import { binaryOperands } from './operands.js';
import { unbroadcast } from './util.js';
import { op } from '../backends/cpu/wasm-emitter.js';

/** Elementwise a - b with broadcasting. */
export const subPrimitive = binaryPrimitive({
  name: 'sub',
  fn: (a, b) => a - b,
  wgsl: 'a - b',
  simd: (a, b) => [...op.localGet(a), ...op.localGet(b), ...op.f32x4Sub],
  output: 'same',
  grad: (g, [a, b]) => [unbroadcast(g, a!.shape), unbroadcast(neg(g), b!.shape)],
});

/** Elementwise a − b with broadcasting. */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = binaryOperands(a, b, 'sub');
  return run(subPrimitive, [ta, tb], {});
}
