import { type TensorLike, asTensor } from '../creation.js';
import { run } from '../engine.js';
import type { Tensor } from '../tensor.js';
import { unaryPrimitive } from './elementwise.js';
import { mul } from './mul.js';
import { sub } from './sub.js';

/**
 * The logistic sigmoid σ(x) = 1/(1 + e^−x), evaluated as w/(1 + e) with
 * e = e^−|x| and w = e for x < 0, else 1, so it never overflows and keeps
 * full relative accuracy for large negative x. d/dx = σ(1 − σ) (reuses the
 * output). One primitive rather than a composite of seven (abs, neg, exp,
 * less, where, add, div): flows that use it (LipSwish in residual flows,
 * Chen et al. 2019, arXiv:1906.02735) take many vector-Jacobian products of it.
 */
export const sigmoidPrimitive = unaryPrimitive({
  name: 'sigmoid',
  // float32 at each step, as the composite over exp rounded it.
  fn: (a) => {
    const e = Math.fround(Math.exp(-Math.abs(a)));
    return (a < 0 ? e : 1) / Math.fround(e + 1);
  },
  simd: 'sigmoid',
  wgsl: 'select(1.0, exp(-abs(a)), a < 0.0) / (exp(-abs(a)) + 1.0)',
  grad: (g, _x, y) => [mul(g, mul(y, sub(1, y)))],
});

/** Elementwise logistic sigmoid 1/(1 + e^−x). */
export function sigmoid(x: TensorLike): Tensor {
  return run(sigmoidPrimitive, [asTensor(x)], {});
}
