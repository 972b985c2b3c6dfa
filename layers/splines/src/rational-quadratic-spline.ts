import { abs, add, div, less, maximum, mul, neg, ShapeError, sqrt, sub, type Tensor, where } from '@rheo/tensor';
import { binIndex, gatherBin, segmentLogDerivative, splineKnots } from './spline-knots.js';
import { type RationalQuadraticSplineOptions, resolveSplineOptions } from './spline-options.js';

function checkShapes(op: string, v: Tensor, unnormalised: Tensor): void {
  const ok = unnormalised.rank === v.rank + 1 && v.shape.every((d, i) => d === unnormalised.shape[i]);
  if (!ok) {
    throw new ShapeError(`${op}: unnormalised of shape [${unnormalised.shape.join(', ')}] must be the input's shape [${v.shape.join(', ')}] plus a last axis of 3·bins − 1`);
  }
}

/**
 * The monotonic rational-quadratic spline of Durkan, Bekasov, Murray and
 * Papamakarios (2019), "Neural Spline Flows", arXiv:1906.04032, after
 * Gregory and Delbourgo (1982), applied elementwise: y = g(x) with
 * log |dy/dx| per element.
 *
 * `unnormalised` is x's shape plus a last axis of 3K − 1: K width logits,
 * K height logits, K − 1 interior derivative parameters. Inside [−B, B],
 * in bin k with knots (x_k, y_k), width w, height h, slope s = h/w,
 * derivatives d_k, d_{k+1} and ξ = (x − x_k)/w,
 *
 *   g(x) = y_k + h·(s ξ² + d_k ξ(1−ξ)) / (s + (d_{k+1} + d_k − 2s) ξ(1−ξ)).
 *
 * Outside (|x| ≥ B) g is the identity with log-det 0; the end derivatives
 * are 1, so g is C¹ across ±B. All-zero parameters give g(x) = x.
 * Differentiable in x and the parameters (the bin index is piecewise
 * constant). NaN inputs pass through with log-det 0.
 */
export function rationalQuadraticSpline(
  x: Tensor, unnormalised: Tensor, options: RationalQuadraticSplineOptions = {},
): { y: Tensor; logDet: Tensor } {
  const { inside, vin: xin, b, w, h, s } = binOf('rationalQuadraticSpline(x, unnormalised)', x, unnormalised, options, 'xs');
  const xi = div(sub(xin, b.x0), w);
  const t = mul(xi, sub(1, xi));
  const den = add(s, mul(sub(add(b.d1, b.d0), mul(s, 2)), t));
  const num = mul(h, add(mul(s, mul(xi, xi)), mul(b.d0, t)));
  const y = add(b.y0, div(num, den));
  return { y: where(inside, y, x), logDet: where(inside, segmentLogDerivative(xi, s, b.d0, b.d1), 0) };
}

/**
 * The inverse of {@link rationalQuadraticSpline}: x = g⁻¹(y) and
 * log |dx/dy| = −log |dy/dx| at x, per element.
 *
 * In bin k (found among the y knots), ξ solves a ξ² + b ξ + c = 0 with
 * δ = d_{k+1} + d_k − 2s and Δ = y − y_k (Durkan et al. 2019, appendix A):
 *   a = h(s − d_k) + Δδ,  b = h d_k − Δδ,  c = −sΔ ≤ 0,
 * and x = x_k + ξw. The root is taken without cancellation: for b > 0 as
 * ξ = 2c / (−b − √(b² − 4ac)), both terms of the denominator negative (the
 * paper's form; ξ = 0 exactly at Δ = 0); for b ≤ 0, where that denominator
 * would subtract nearly equal numbers, as ξ = (−b + √(b² − 4ac)) / 2a,
 * with a = hs − b > 0. The discriminant, h²d_k² at Δ = 0 and h²d_{k+1}² at
 * Δ = h, is clamped at 0 against rounding. |y| ≥ B is the identity with
 * log-det 0, so y at, just inside or beyond ±B never reaches a bin index
 * past the last bin nor a negative discriminant (nflows issue 87 reports
 * the latter; issue 23 a crash when every input lies in the tails).
 */
export function rationalQuadraticSplineInverse(
  y: Tensor, unnormalised: Tensor, options: RationalQuadraticSplineOptions = {},
): { x: Tensor; logDet: Tensor } {
  const { inside, vin: yin, b, w, h, s } = binOf('rationalQuadraticSplineInverse(y, unnormalised)', y, unnormalised, options, 'ys');
  const dy = sub(yin, b.y0);
  const delta = mul(dy, sub(add(b.d1, b.d0), mul(s, 2)));
  const qa = add(mul(h, sub(s, b.d0)), delta);
  const qb = sub(mul(h, b.d0), delta);
  const qc = neg(mul(s, dy));
  const disc = maximum(sub(mul(qb, qb), mul(mul(qa, qc), 4)), 0);
  const root = sqrt(disc);
  const bPositive = less(0, qb);
  // b > 0: ξ = 2c / (−b − √D), both terms of the denominator negative; b ≤ 0: ξ = (−b + √D) / 2a, with a = hs − b > 0.
  const xi = where(bPositive, div(mul(qc, 2), sub(neg(qb), root)), div(add(neg(qb), root), mul(where(bPositive, 1, qa), 2)));
  const x = add(b.x0, mul(xi, w));
  return { x: where(inside, x, y), logDet: where(inside, neg(segmentLogDerivative(xi, s, b.d0, b.d1)), 0) };
}

/**
 * What both directions need: where |v| < B, v with the tails replaced by 0
 * (so the unused branch stays finite and its zero cotangent gives zero
 * gradients), v's bin among the x knots (forward) or y knots (inverse), and
 * that bin's width w, height h and slope s = h/w.
 */
function binOf(who: string, v: Tensor, unnormalised: Tensor, options: RationalQuadraticSplineOptions, along: 'xs' | 'ys') {
  const o = resolveSplineOptions(options);
  checkShapes(who, v, unnormalised);
  const inside = less(abs(v), o.bound);
  const vin = where(inside, v, 0);
  const knots = splineKnots(unnormalised, o);
  const b = gatherBin(knots, binIndex(knots[along], vin, o.bins));
  const w = sub(b.x1, b.x0);
  const h = sub(b.y1, b.y0);
  return { inside, vin, b, w, h, s: div(h, w) };
}
