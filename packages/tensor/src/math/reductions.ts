import { stopGradient } from '../autodiff.js';
import { ArgumentError } from '../errors.js';
import { abs } from '../ops/abs.js';
import { add } from '../ops/add.js';
import { div } from '../ops/div.js';
import { exp } from '../ops/exp.js';
import { log } from '../ops/log.js';
import { max } from '../ops/max.js';
import { mul } from '../ops/mul.js';
import { reshape } from '../ops/reshape.js';
import { sqrt } from '../ops/sqrt.js';
import { sub } from '../ops/sub.js';
import { sum } from '../ops/sum.js';
import { where } from '../ops/where.js';
import { equal } from '../ops/equal.js';
import { normalizeAxes } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { pow, square } from './elementwise.js';
import { reducedShape } from '../ops/reduce.js';

type Axes = number | readonly number[] | undefined;

function countOver(x: Tensor, axes: Axes): number {
  return normalizeAxes('mean', axes, x.rank).reduce((n, a) => n * x.shape[a]!, 1);
}

/** The mean over `axes` (all axes when omitted), keeping them as size 1 when `keepDims`. */
export function mean(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  return div(sum(x, axes, keepDims), countOver(x, axes));
}

/** Population variance (ddof 0) over axes. */
export function variance(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  const m = mean(x, axes, true);
  return mean(square(sub(x, m)), axes, keepDims);
}

/** The smallest entry over `axes` (all axes when omitted). */
export function min(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  return mul(max(mul(x, -1), axes, keepDims), -1);
}

/**
 * log Σ exp(x) over axes, shifted by the (gradient-stopped) maximum so no
 * exponential overflows; a slice that is all -∞ gives -∞.
 */
export function logsumexp(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  const ax = normalizeAxes('logsumexp', axes, x.rank);
  const m0 = stopGradient(max(x, ax, true));
  const m = where(equal(abs(m0), Infinity), 0, m0);
  const s = add(log(sum(exp(sub(x, m)), ax, true)), m);
  return keepDims ? s : reshape(s, reducedShape(x.shape, ax, false));
}

/** log softmax(x) along `axis`, computed as x − logsumexp(x) for stability. */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  return sub(x, logsumexp(x, axis, true));
}

/** exp(x − logsumexp(x)) along `axis`: non-negative, summing to 1. */
export function softmax(x: Tensor, axis = -1): Tensor {
  return exp(logSoftmax(x, axis));
}

/**
 * The p-norm (Σ|x|^p)^(1/p) over axes, p >= 1 or Infinity. Its gradient at
 * x = 0 is undefined (NaN), as for any norm.
 */
export function norm(x: Tensor, p = 2, axes?: Axes, keepDims = false): Tensor {
  if (p === Infinity) return max(abs(x), axes, keepDims);
  if (!(p >= 1)) throw new ArgumentError(`norm(p): expected p >= 1 or Infinity, received ${p}`);
  if (p === 2) return sqrt(sum(square(x), axes, keepDims));
  if (p === 1) return sum(abs(x), axes, keepDims);
  return pow(sum(pow(abs(x), p), axes, keepDims), 1 / p);
}
