import { type TensorLike, asTensor } from '../creation.js';
import { run } from '../engine.js';
import type { Tensor } from '../tensor.js';
import { unaryPrimitive } from './elementwise.js';
import { op } from '../backends/cpu/wasm-emitter.js';

/** Negation, -x. */
export const negPrimitive = unaryPrimitive({
  name: 'neg',
  fn: (a) => -a,
  wgsl: '-a',
  simd: (x) => [...op.localGet(x), ...op.f32x4Neg],
  grad: (g) => [neg(g)],
  dtypes: ['float32', 'int32'],
});

/** Elementwise −x. */
export function neg(x: TensorLike): Tensor {
  return run(negPrimitive, [asTensor(x)], {});
}
