import { uniforms } from '@rheo/data';
import { fold, type Key } from '@rheo/tensor';
import type { Rows } from './simulator.js';

/** A 2-D box [lo₀, hi₀] × [lo₁, hi₁] cut into g × g cells. */
export interface Grid2 {
  readonly lo: readonly [number, number];
  readonly hi: readonly [number, number];
  readonly cells: number;
}

/**
 * Unnormalised posterior weights on the cell centres of a grid: log p(x | θ)
 * + log p(θ) per cell, exponentiated after subtracting the maximum, and
 * normalised to sum to 1 (the grid's quadrature of the evidence).
 */
export function gridWeights(logDensity: (t0: number, t1: number) => number, grid: Grid2): Float64Array {
  const { lo, hi, cells: g } = grid;
  const w = new Float64Array(g * g);
  const h0 = (hi[0] - lo[0]) / g;
  const h1 = (hi[1] - lo[1]) / g;
  let top = -Infinity;
  for (let i = 0; i < g; i++) {
    for (let j = 0; j < g; j++) {
      const v = logDensity(lo[0] + (i + 0.5) * h0, lo[1] + (j + 0.5) * h1);
      w[i * g + j] = v;
      if (v > top) top = v;
    }
  }
  if (!Number.isFinite(top)) throw new Error('gridWeights: the log-density is −∞ on every cell; the grid misses the posterior');
  let s = 0;
  for (let c = 0; c < w.length; c++) s += (w[c] = Math.exp(w[c]! - top));
  for (let c = 0; c < w.length; c++) w[c] = w[c]! / s;
  return w;
}

/**
 * n draws from the piecewise-constant density of the grid weights: a cell
 * by inverse-CDF sampling, then a uniform point inside it. The error
 * against the true posterior is the grid's resolution (half a cell).
 */
export function sampleGrid(w: Float64Array, grid: Grid2, k: Key, n: number): Rows {
  const { lo, hi, cells: g } = grid;
  const cdf = new Float64Array(w.length);
  let s = 0;
  for (let c = 0; c < w.length; c++) cdf[c] = s += w[c]!;
  const u = uniforms(fold(k, 1), n);
  const jitter = uniforms(fold(k, 2), 2 * n);
  const out = new Float64Array(2 * n);
  for (let r = 0; r < n; r++) {
    const target = u[r]! * s;
    let a = 0;
    let b = cdf.length - 1;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (cdf[mid]! < target) a = mid + 1;
      else b = mid;
    }
    const i = Math.floor(a / g);
    const j = a % g;
    out[2 * r] = lo[0] + ((i + jitter[2 * r]!) * (hi[0] - lo[0])) / g;
    out[2 * r + 1] = lo[1] + ((j + jitter[2 * r + 1]!) * (hi[1] - lo[1])) / g;
  }
  return { data: out, rows: n, cols: 2 };
}
