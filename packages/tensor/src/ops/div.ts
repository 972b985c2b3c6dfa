import type { TensorLike } from '../creation.js';
import { run } from '../engine.js';
import type { Tensor } from '../tensor.js';
import { binaryPrimitive } from './elementwise.js';
import { mul } from './mul.js';
import { neg } from './neg.js';
import { binaryOperands } from './operands.js';
import { unbroadcast } from './util.js';
import { op } from '../backends/cpu/wasm-emitter.js';

/** Elementwise a / b with broadcasting (int32: truncated toward zero). d/db = -(a/b)/b reuses the output. */
export const divPrimitive = binaryPrimitive({
  name: 'div',
  fn: (a, b) => a / b,
  wgsl: 'rheo_div(a, b)',
  simd: (a, b) => [...op.localGet(a), ...op.localGet(b), ...op.f32x4Div],
  output: 'same',
  grad: (g, [a, b], y) => [unbroadcast(div(g, b!), a!.shape), unbroadcast(neg(div(mul(g, y), b!)), b!.shape)],
});

/** Elementwise a / b with broadcasting. */
export function div(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = binaryOperands(a, b, 'div');
  return run(divPrimitive, [ta, tb], {});
}
