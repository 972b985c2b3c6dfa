import {
  add, concat, cumsum, full, log, mul, reshape, searchsorted, ShapeError, sliceAxis, softmax, softplus, takeAlongAxis, tensor,
  type Tensor,
} from '@rheo/tensor';
import { type ResolvedSplineOptions, splineParamCount } from './spline-options.js';

/** The K + 1 knots of a spline per dimension, each [..., K + 1]. */
export interface SplineKnots {
  /** Knot abscissae: −B first and B last exactly, increasing. */
  readonly xs: Tensor;
  /** Knot ordinates: −B first and B last exactly, increasing. */
  readonly ys: Tensor;
  /** Derivatives at the knots: 1 at both ends (matching the identity tails), > minDerivative inside. */
  readonly derivatives: Tensor;
}

/** One bin's knots per element (each shaped like the input): left and right ends. */
export interface SplineBin {
  readonly x0: Tensor;
  readonly x1: Tensor;
  readonly y0: Tensor;
  readonly y1: Tensor;
  readonly d0: Tensor;
  readonly d1: Tensor;
}

/**
 * Positions −B = e_0 < … < e_K = B from logits u [..., K]: sizes
 * p = m + (1 − mK)·softmax(u) (each ≥ m, summing to 1), interior knots
 * −B + 2B·Σ_{j≤k} p_j. The ends are set to ±B exactly rather than summed,
 * so that rounding never moves the last knot off the tail bound, where an
 * input just inside B would find no bin.
 */
function knotPositions(logits: Tensor, bins: number, bound: number, minSize: number): Tensor {
  const sizes = add(mul(softmax(logits, -1), 1 - minSize * bins), minSize);
  const interior = add(mul(sliceAxis(cumsum(sizes, -1), -1, 0, bins - 1), 2 * bound), -bound);
  const lead = [...logits.shape.slice(0, -1), 1];
  return concat([full(lead, -bound), interior, full(lead, bound)], -1);
}

/**
 * The knots of a spline from its unnormalised parameters [..., 3K − 1]:
 * K width logits, K height logits, K − 1 interior derivative parameters.
 * Interior derivatives are d = m + softplus(v + c) with
 * c = log(e^{1−m} − 1), so v = 0 gives d = 1: all-zero parameters give
 * equal bins and unit derivatives, the identity.
 */
export function splineKnots(unnormalised: Tensor, options: ResolvedSplineOptions): SplineKnots {
  const { bins, bound, minBinWidth, minBinHeight, minDerivative } = options;
  const p = splineParamCount(bins);
  if (unnormalised.rank === 0 || unnormalised.shape[unnormalised.rank - 1] !== p) {
    throw new ShapeError(`rationalQuadraticSpline(unnormalised): expected a last axis of 3·bins − 1 = ${p} parameters, received shape [${unnormalised.shape.join(', ')}]`);
  }
  const xs = knotPositions(sliceAxis(unnormalised, -1, 0, bins), bins, bound, minBinWidth);
  const ys = knotPositions(sliceAxis(unnormalised, -1, bins, 2 * bins), bins, bound, minBinHeight);
  const shift = Math.log(Math.expm1(1 - minDerivative));
  const inner = add(softplus(add(sliceAxis(unnormalised, -1, 2 * bins, p), shift)), minDerivative);
  const ones = full([...unnormalised.shape.slice(0, -1), 1], 1);
  return { xs, ys, derivatives: concat([ones, inner, ones], -1) };
}

/**
 * The bin of each value of v (shaped like the knots without their last
 * axis) among the knots `edges` [..., K + 1]: k with e_k ≤ v < e_{k+1}, by
 * searchsorted over the interior knots (right side), so a value exactly at a
 * knot starts the bin to its right, and values at or beyond the ends land in
 * the first or last bin without an index past K − 1.
 */
export function binIndex(edges: Tensor, v: Tensor, bins: number): Tensor {
  const interior = sliceAxis(edges, -1, 1, bins);
  return searchsorted(interior, reshape(v, [...v.shape, 1]), { right: true });
}

/**
 * Both ends of bin k of every element, read with one per-row gather from
 * the knots laid side by side ([xs | ys | derivatives], 3(K + 1) per row).
 */
export function gatherBin(knots: SplineKnots, index: Tensor): SplineBin {
  const n = knots.xs.shape[knots.xs.rank - 1]!;
  const offsets = tensor(Int32Array.of(0, 1, n, n + 1, 2 * n, 2 * n + 1), [6], 'int32');
  const rows = takeAlongAxis(concat([knots.xs, knots.ys, knots.derivatives], -1), add(index, offsets));
  const shape = index.shape.slice(0, -1);
  const part = (j: number): Tensor => reshape(sliceAxis(rows, -1, j, j + 1), shape);
  return { x0: part(0), x1: part(1), y0: part(2), y1: part(3), d0: part(4), d1: part(5) };
}

/**
 * log dy/dx of the rational-quadratic segment at ξ (Durkan et al. 2019, section 3.1):
 * s²·(d1 ξ² + 2s ξ(1−ξ) + d0 (1−ξ)²) / (s + (d1 + d0 − 2s) ξ(1−ξ))², with s = h/w.
 */
export function segmentLogDerivative(xi: Tensor, s: Tensor, d0: Tensor, d1: Tensor): Tensor {
  const one = add(mul(xi, -1), 1);
  const t = mul(xi, one);
  const den = add(s, mul(add(add(d1, d0), mul(s, -2)), t));
  const num = add(add(mul(d1, mul(xi, xi)), mul(mul(s, 2), t)), mul(d0, mul(one, one)));
  return add(add(mul(log(s), 2), log(num)), mul(log(den), -2));
}
