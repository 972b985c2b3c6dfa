import { ArgumentError, permutationIndices, type Key } from '@rheo/tensor';
import type { HostSamples } from './samples.js';

/**
 * At most `cap` rows drawn without replacement by a keyed permutation; the
 * samples unchanged when they already fit. A uniform subsample keeps a
 * U-statistic unbiased, at the cost of a larger variance.
 */
export function subsample(x: HostSamples, cap: number | undefined, k: Key | undefined, arg: string): HostSamples {
  if (cap === undefined || x.rows <= cap) return x;
  if (!Number.isInteger(cap) || cap < 2) throw new ArgumentError(`${arg}.maxSamples: expected an integer ≥ 2, received ${cap}`);
  if (k === undefined) throw new ArgumentError(`${arg}.key: expected a PRNG key to subsample ${x.rows} rows down to ${cap}, received undefined`);
  const order = permutationIndices(k, x.rows);
  const data = new Float64Array(cap * x.cols);
  for (let r = 0; r < cap; r++) {
    const src = order[r]! * x.cols;
    for (let c = 0; c < x.cols; c++) data[r * x.cols + c] = x.data[src + c]!;
  }
  return { data, rows: cap, cols: x.cols };
}
