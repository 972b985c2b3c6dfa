/**
 * A float64 reference of the spline for tests, written from the paper's
 * formulas with plain numbers: knots by running sums, the bin by a linear
 * scan, and the inverse by bisection on the forward map (not by the
 * quadratic root the library uses).
 */

export interface ReferenceOptions {
  readonly bins: number;
  readonly bound: number;
  readonly minBinWidth: number;
  readonly minBinHeight: number;
  readonly minDerivative: number;
}

export const DEFAULTS: ReferenceOptions = { bins: 8, bound: 3, minBinWidth: 1e-3, minBinHeight: 1e-3, minDerivative: 1e-3 };

function positions(u: readonly number[], o: ReferenceOptions, minSize: number): number[] {
  const m = Math.max(...u);
  const e = u.map((v) => Math.exp(v - m));
  const total = e.reduce((a, b) => a + b, 0);
  const out = [-o.bound];
  let acc = 0;
  for (let k = 0; k < o.bins - 1; k++) {
    acc += minSize + (1 - minSize * o.bins) * (e[k]! / total);
    out.push(-o.bound + 2 * o.bound * acc);
  }
  out.push(o.bound);
  return out;
}

/** Knots (x, y, derivative) of one dimension's parameters [3K − 1]. */
export function referenceKnots(params: readonly number[], o: ReferenceOptions = DEFAULTS): { xs: number[]; ys: number[]; ds: number[] } {
  const K = o.bins;
  const xs = positions(params.slice(0, K), o, o.minBinWidth);
  const ys = positions(params.slice(K, 2 * K), o, o.minBinHeight);
  const softplus = (v: number) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
  const c = Math.log(Math.expm1(1 - o.minDerivative));
  const ds = [1, ...params.slice(2 * K, 3 * K - 1).map((v) => o.minDerivative + softplus(v + c)), 1];
  return { xs, ys, ds };
}

/** y = g(x) and dy/dx in float64. */
export function referenceForward(x: number, params: readonly number[], o: ReferenceOptions = DEFAULTS): { y: number; dydx: number } {
  if (!(Math.abs(x) < o.bound)) return { y: x, dydx: 1 };
  const { xs, ys, ds } = referenceKnots(params, o);
  let k = 0;
  while (k < o.bins - 1 && xs[k + 1]! <= x) k++;
  const w = xs[k + 1]! - xs[k]!, h = ys[k + 1]! - ys[k]!, s = h / w;
  const xi = (x - xs[k]!) / w;
  const t = xi * (1 - xi);
  const den = s + (ds[k + 1]! + ds[k]! - 2 * s) * t;
  const y = ys[k]! + (h * (s * xi * xi + ds[k]! * t)) / den;
  const dydx = (s * s * (ds[k + 1]! * xi * xi + 2 * s * t + ds[k]! * (1 - xi) ** 2)) / (den * den);
  return { y, dydx };
}

/** x = g⁻¹(y) by bisection on the float64 forward map (100 halvings). */
export function referenceInverse(y: number, params: readonly number[], o: ReferenceOptions = DEFAULTS): number {
  if (!(Math.abs(y) < o.bound)) return y;
  let lo = -o.bound, hi = o.bound;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (referenceForward(mid, params, o).y < y) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
