import { type TensorLike, asTensor } from '../creation.js';
import { ArgumentError } from '../errors.js';
import { abs } from '../ops/abs.js';
import { add } from '../ops/add.js';
import { div } from '../ops/div.js';
import { exp } from '../ops/exp.js';
import { less } from '../ops/less.js';
import { log } from '../ops/log.js';
import { log1p } from '../ops/log1p.js';
import { maximum } from '../ops/maximum.js';
import { mul } from '../ops/mul.js';
import { neg } from '../ops/neg.js';
import { sigmoid } from '../ops/sigmoid.js';
import { sqrt } from '../ops/sqrt.js';
import { sub } from '../ops/sub.js';
import { where } from '../ops/where.js';
import type { Tensor } from '../tensor.js';

// Composite elementwise functions, each built once from primitives in a
// numerically stable form; their gradients follow from the primitives' rules.

/** Elementwise x². */
export function square(x: Tensor): Tensor {
  return mul(x, x);
}

/** Elementwise 1 / x. */
export function reciprocal(x: Tensor): Tensor {
  return div(1, x);
}

/** Elementwise 1 / √x. */
export function rsqrt(x: Tensor): Tensor {
  return div(1, sqrt(x));
}

/** x^p for x > 0 (exp(p log x)); integer powers 1 and 2 are exact for all x. */
export function pow(x: Tensor, p: TensorLike): Tensor {
  if (p === 1) return x;
  if (p === 2) return mul(x, x);
  return exp(mul(log(x), asTensor(p, x, 'pow(p)')));
}

/** Elementwise min(a, b) with broadcasting. */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return neg(maximum(neg(a), neg(b)));
}

/** Elementwise a > b as 1 or 0 (float32), with broadcasting; no gradient. */
export function greater(a: TensorLike, b: TensorLike): Tensor {
  return less(b, a);
}

/** Elementwise a ≥ b as 1 or 0 (float32), with broadcasting; no gradient. */
export function greaterEqual(a: TensorLike, b: TensorLike): Tensor {
  return sub(1, less(a, b));
}

/** Elementwise a ≤ b as 1 or 0 (float32), with broadcasting; no gradient. */
export function lessEqual(a: TensorLike, b: TensorLike): Tensor {
  return sub(1, less(b, a));
}

/** Elementwise min(max(x, lo), hi); the gradient is 1 inside [lo, hi] and 0 outside. */
export function clip(x: Tensor, lo: number, hi: number): Tensor {
  if (!(lo <= hi)) throw new ArgumentError(`clip(x, lo, hi): expected lo <= hi, received lo=${lo}, hi=${hi}`);
  return minimum(maximum(x, lo), hi);
}

/** max(x, 0); the derivative at 0 is 0. */
export function relu(x: Tensor): Tensor {
  return mul(x, less(0, x));
}

/** The logistic sigmoid is a primitive (one kernel, gradient σ(1 − σ)); see ops/sigmoid.ts. */
export { sigmoid };

/** log(1 + e^x) = max(x, 0) + log1p(e^-|x|): exact for large |x|. */
export function softplus(x: Tensor): Tensor {
  return add(maximum(x, 0), log1p(exp(neg(abs(x)))));
}

/** log σ(x) = -softplus(-x). */
export function logSigmoid(x: Tensor): Tensor {
  return neg(softplus(neg(x)));
}

/** ELU: x for x > 0, e^x - 1 otherwise (the exponential never overflows). */
export function elu(x: Tensor, alpha = 1): Tensor {
  const neg_ = mul(sub(exp(minimumScalar(x, 0)), 1), alpha);
  return where(less(0, x), x, neg_);
}

function minimumScalar(x: Tensor, c: number): Tensor {
  return neg(maximum(neg(x), -c));
}

/** Swish x·σ(βx) (Ramachandran et al. 2017, arXiv:1710.05941). */
export function swish(x: Tensor, beta: TensorLike = 1): Tensor {
  return mul(x, sigmoid(mul(x, beta)));
}

/**
 * LipSwish x·σ(βx)/1.1 (Chen et al. 2019, Residual Flows, arXiv:1906.02735):
 * swish's Lipschitz constant is at most 1.1 for every β ≥ 0, so dividing by 1.1
 * makes it 1-Lipschitz.
 */
export function lipSwish(x: Tensor, beta: TensorLike = 1): Tensor {
  return div(swish(x, beta), 1.1);
}
