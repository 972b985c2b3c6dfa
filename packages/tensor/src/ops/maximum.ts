import type { TensorLike } from '../creation.js';
import { run } from '../engine.js';
import type { Tensor } from '../tensor.js';
import { binaryPrimitive } from './elementwise.js';
import { add } from './add.js';
import { equal } from './equal.js';
import { less } from './less.js';
import { mul } from './mul.js';
import { binaryOperands } from './operands.js';
import { sub } from './sub.js';
import { unbroadcast } from './util.js';
import { op } from '../backends/cpu/wasm-emitter.js';

/** Elementwise maximum; at ties the gradient is shared equally. */
export const maximumPrimitive = binaryPrimitive({
  name: 'maximum',
  // NaN propagates, as in the max reduction.
  fn: (a, b) => (a >= b || a !== a ? a : b),
  wgsl: 'select(b, a, a >= b || rheo_isnan(a))',
  simd: (a, b) => [
    ...op.localGet(a), ...op.localGet(b),
    ...op.localGet(a), ...op.localGet(b), ...op.f32x4Ge, ...op.localGet(a), ...op.localGet(a), ...op.f32x4Ne, ...op.v128Or,
    ...op.v128Bitselect,
  ],
  output: 'same',
  grad: (g, [a, b]) => {
    // Ties split the cotangent evenly, so the rule is symmetric in a and b.
    const wa = add(less(b!, a!), mul(equal(a!, b!), 0.5));
    const ga = mul(g, wa);
    return [unbroadcast(ga, a!.shape), unbroadcast(sub(g, ga), b!.shape)];
  },
});

/** Elementwise max(a, b) with broadcasting. */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = binaryOperands(a, b, 'maximum');
  return run(maximumPrimitive, [ta, tb], {});
}
