import { ShapeError } from '@rheo/tensor';
import { hostSamples, type Samples } from './samples.js';

/**
 * The round-trip error |x − x̂| of a flow: the largest and mean absolute error over every entry,
 * and the row of the largest.
 */
export interface ReconstructionError {
  /** max_i |x_i − x̂_i| over every entry. */
  readonly max: number;
  /** mean_i |x_i − x̂_i| over every entry. */
  readonly mean: number;
  /** Row of the largest error (0-based). */
  readonly worstRow: number;
}

/**
 * Inverse reconstruction error of a flow: x̂ = f⁻¹(f(x)) compared with x
 * entrywise. Exact for an analytic inverse up to rounding; for layers
 * inverted iteratively (fixed point, bisection) it measures the solver's
 * tolerance. A NaN entry makes `max` NaN, so it cannot pass unnoticed.
 */
export function reconstructionError(x: Samples, reconstructed: Samples): ReconstructionError {
  const a = hostSamples(x, 'reconstructionError(x)');
  const b = hostSamples(reconstructed, 'reconstructionError(reconstructed)');
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new ShapeError(`reconstructionError(x, reconstructed): expected equal shapes, received [${a.rows}, ${a.cols}] and [${b.rows}, ${b.cols}]`);
  }
  let max = 0;
  let sum = 0;
  let worst = 0;
  const n = a.data.length;
  for (let i = 0; i < n; i++) {
    const e = Math.abs(a.data[i]! - b.data[i]!);
    if (Number.isNaN(e)) return { max: Number.NaN, mean: Number.NaN, worstRow: Math.floor(i / Math.max(1, a.cols)) };
    sum += e;
    if (e > max) {
      max = e;
      worst = Math.floor(i / Math.max(1, a.cols));
    }
  }
  return { max, mean: n > 0 ? sum / n : 0, worstRow: worst };
}
