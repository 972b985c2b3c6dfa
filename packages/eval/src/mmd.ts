import { ArgumentError, ShapeError, split, type Key } from '@rheo/tensor';
import { squaredDistance } from './pairwise.js';
import { hostSamples, type HostSamples, type Samples } from './samples.js';
import { subsample } from './subsample.js';

/**
 * Options of `mmd2`: Gaussian kernel bandwidths (default: the median heuristic times [1/4, 1/2, 1,
 * 2, 4], Gretton et al. 2012) and a keyed cap on the rows kept.
 */
export interface MmdOptions {
  /**
   * Kernel bandwidths h of k(x, y) = Σ_h exp(−‖x − y‖² / (2h²)). Default: the
   * median heuristic m = median ‖z_i − z_j‖ over the pooled samples, times
   * [1/4, 1/2, 1, 2, 4] (Gretton et al. 2012; a multi-scale sum as in
   * Li et al. 2015, arXiv:1502.02761).
   */
  readonly bandwidths?: readonly number[];
  /** Rows kept per sample set when it has more; needs `key`. */
  readonly maxSamples?: number;
  readonly key?: Key;
}

/** Multipliers of the median pairwise distance in the default bandwidth set. */
export const MEDIAN_BANDWIDTH_SCALES: readonly number[] = [0.25, 0.5, 1, 2, 4];

/** Pairs used by the median heuristic at most: beyond, an evenly strided subset. */
const MEDIAN_PAIRS = 20_000;

/** Median pairwise Euclidean distance of the pooled rows (strided over pairs when there are many). */
export function medianDistance(a: HostSamples, b: HostSamples): number {
  const n = a.rows + b.rows;
  const total = (n * (n - 1)) / 2;
  const stride = Math.max(1, Math.floor(total / MEDIAN_PAIRS));
  const row = (i: number): [HostSamples, number] => (i < a.rows ? [a, i] : [b, i - a.rows]);
  const d: number[] = [];
  let p = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++, p++) {
      if (p % stride !== 0) continue;
      const [u, iu] = row(i);
      const [v, jv] = row(j);
      d.push(Math.sqrt(squaredDistance(u, iu, v, jv)));
    }
  }
  d.sort((s, t) => s - t);
  const h = d.length >> 1;
  return d.length % 2 === 1 ? d[h]! : (d[h - 1]! + d[h]!) / 2;
}

/**
 * How to get every exp(−γ_k r) from one exp: when each γ_k is γ_min times
 * 2^(s_k), exp(−γ_k r) = exp(−γ_min r)^(2^s_k) by s_k squarings. The default
 * bandwidths (m/4 … 4m, γ ratios 1 … 256) take one exp and 8 squarings per
 * pair instead of 5 exps; relative rounding grows to about 2^s·ε ≈ 6e-14.
 */
function squaringPlan(gammas: readonly number[]): { base: number; squarings: number[] } | null {
  const base = Math.min(...gammas);
  const squarings = gammas.map((g) => Math.log2(g / base));
  if (squarings.some((k) => Math.abs(k - Math.round(k)) > 1e-12 || k > 16)) return null;
  return { base, squarings: squarings.map(Math.round).sort((a, b) => a - b) };
}

function kernelMean(x: HostSamples, y: HostSamples, gammas: readonly number[], within: boolean): number {
  const plan = squaringPlan(gammas);
  let s = 0;
  for (let i = 0; i < x.rows; i++) {
    for (let j = within ? i + 1 : 0; j < y.rows; j++) {
      const r = squaredDistance(x, i, y, j);
      if (plan) {
        let e = Math.exp(-plan.base * r);
        let done = 0;
        for (const k of plan.squarings) {
          for (; done < k; done++) e *= e;
          s += e;
        }
      } else for (const g of gammas) s += Math.exp(-g * r);
    }
  }
  return within ? s / ((x.rows * (x.rows - 1)) / 2) : s / (x.rows * y.rows);
}

/**
 * Unbiased squared maximum mean discrepancy (Gretton et al. 2012, "A kernel
 * two-sample test", JMLR 13, Lemma 6):
 *   MMD²_u = 1/(n(n−1)) Σ_{i≠j} k(x_i, x_j) + 1/(m(m−1)) Σ_{i≠j} k(y_i, y_j) − 2/(nm) Σ_ij k(x_i, y_j)
 * with a sum of Gaussian RBF kernels. Its expectation is the population
 * MMD² (zero iff P = Q for characteristic kernels); it can be negative.
 */
export function mmd2(x: Samples, y: Samples, options: MmdOptions = {}): number {
  let a = hostSamples(x, 'mmd2(x)');
  let b = hostSamples(y, 'mmd2(y)');
  if (a.cols !== b.cols) throw new ShapeError(`mmd2(x, y): expected the same dimension, received ${a.cols} and ${b.cols}`);
  if (a.rows < 2 || b.rows < 2) throw new ArgumentError(`mmd2(x, y): expected at least 2 rows each, received ${a.rows} and ${b.rows}`);
  if (options.maxSamples !== undefined) {
    const [kx, ky] = options.key === undefined ? [undefined, undefined] : split(options.key, 2);
    a = subsample(a, options.maxSamples, kx, 'mmd2(options)');
    b = subsample(b, options.maxSamples, ky, 'mmd2(options)');
  }
  let hs = options.bandwidths;
  if (hs === undefined) {
    const m = medianDistance(a, b);
    if (!(m > 0)) throw new ArgumentError(`mmd2(x, y): the median pairwise distance is ${m}; pass options.bandwidths explicitly`);
    hs = MEDIAN_BANDWIDTH_SCALES.map((s) => s * m);
  }
  if (hs.length === 0 || hs.some((h) => !(h > 0 && Number.isFinite(h)))) {
    throw new ArgumentError(`mmd2(options.bandwidths): expected a non-empty list of positive finite numbers, received [${hs.join(', ')}]`);
  }
  const gammas = hs.map((h) => 1 / (2 * h * h));
  return kernelMean(a, a, gammas, true) + kernelMean(b, b, gammas, true) - 2 * kernelMean(a, b, gammas, false);
}
