import { ArgumentError, ShapeError, split, type Key } from '@rheo/tensor';
import { squaredDistance } from './pairwise.js';
import { hostSamples, type HostSamples, type Samples } from './samples.js';
import { subsample } from './subsample.js';

/**
 * Options of `energyDistance`: `maxSamples` caps both sample sets by a keyed subsample (the
 * estimate costs O((n + m)²·d)).
 */
export interface EnergyDistanceOptions {
  /** Rows kept per sample set (uniformly, without replacement) when it has more; needs `key`. */
  readonly maxSamples?: number;
  /** PRNG key for the subsampling. */
  readonly key?: Key;
}

/** Mean of ‖x_i − x_j‖ over ordered pairs i ≠ j (each unordered pair counted once, same mean). */
function withinMean(x: HostSamples): number {
  let s = 0;
  for (let i = 0; i < x.rows; i++) for (let j = i + 1; j < x.rows; j++) s += Math.sqrt(squaredDistance(x, i, x, j));
  return s / ((x.rows * (x.rows - 1)) / 2);
}

function crossMean(x: HostSamples, y: HostSamples): number {
  let s = 0;
  for (let i = 0; i < x.rows; i++) for (let j = 0; j < y.rows; j++) s += Math.sqrt(squaredDistance(x, i, y, j));
  return s / (x.rows * y.rows);
}

/**
 * Energy distance (Székely & Rizzo 2013, "Energy statistics", J. Stat.
 * Planning & Inference 143(8)): D²(P, Q) = 2·E‖X − Y‖ − E‖X − X′‖ − E‖Y − Y′‖,
 * zero iff P = Q. Estimated as the unbiased U-statistic
 *   2/(nm) Σ_ij ‖x_i − y_j‖ − 1/(n(n−1)) Σ_{i≠j} ‖x_i − x_j‖ − 1/(m(m−1)) Σ_{i≠j} ‖y_i − y_j‖,
 * whose expectation is exactly D² (it can be slightly negative when P = Q).
 * O((n + m)²·d) in float64; `maxSamples` caps n and m by a keyed subsample.
 */
export function energyDistance(x: Samples, y: Samples, options: EnergyDistanceOptions = {}): number {
  let a = hostSamples(x, 'energyDistance(x)');
  let b = hostSamples(y, 'energyDistance(y)');
  if (a.cols !== b.cols) throw new ShapeError(`energyDistance(x, y): expected the same dimension, received ${a.cols} and ${b.cols}`);
  if (a.rows < 2 || b.rows < 2) throw new ArgumentError(`energyDistance(x, y): expected at least 2 rows each, received ${a.rows} and ${b.rows}`);
  if (options.maxSamples !== undefined) {
    const [kx, ky] = options.key === undefined ? [undefined, undefined] : split(options.key, 2);
    a = subsample(a, options.maxSamples, kx, 'energyDistance(options)');
    b = subsample(b, options.maxSamples, ky, 'energyDistance(options)');
  }
  return 2 * crossMean(a, b) - withinMean(a) - withinMean(b);
}
