import type { Ref } from './reference.js';

/**
 * Central finite differences in float64 of ⟨ct, f(x₀, …)⟩ with respect to one
 * input: (φ(x + h eⱼ) − φ(x − h eⱼ)) / 2h, h = step · max(1, |xⱼ|). The
 * truncation error is h²/6 · φ''' (about 1e-7 for step 1e-3 and the smooth,
 * O(1) functions tested), far below float32 rounding of the kernels under test.
 */
export function finiteDiffVjp(f: (xs: Ref[]) => Ref, xs: readonly Ref[], which: number, ct: Ref, step = 1e-3): Float64Array {
  const x = xs[which]!;
  const g = new Float64Array(x.data.length);
  const phi = (data: Float64Array): number => {
    const args = xs.map((v, k) => (k === which ? { shape: v.shape, data } : v));
    const y = f(args);
    let s = 0;
    for (let i = 0; i < y.data.length; i++) s += ct.data[i]! * y.data[i]!;
    return s;
  };
  for (let j = 0; j < x.data.length; j++) {
    const h = step * Math.max(1, Math.abs(x.data[j]!));
    const plus = x.data.slice();
    const minus = x.data.slice();
    plus[j]! += h;
    minus[j]! -= h;
    g[j] = (phi(plus) - phi(minus)) / (2 * h);
  }
  return g;
}

/** Central differences of a scalar function of a flat vector: its gradient. */
export function finiteDiffGrad(f: (x: Float64Array) => number, x: Float64Array, step = 1e-3): Float64Array {
  const g = new Float64Array(x.length);
  for (let j = 0; j < x.length; j++) {
    const h = step * Math.max(1, Math.abs(x[j]!));
    const p = x.slice();
    const m = x.slice();
    p[j]! += h;
    m[j]! -= h;
    g[j] = (f(p) - f(m)) / (2 * h);
  }
  return g;
}
