import type { HostSamples } from './samples.js';

/** Squared Euclidean distance between row i of a and row j of b, accumulated in float64. */
export function squaredDistance(a: HostSamples, i: number, b: HostSamples, j: number): number {
  const d = a.cols;
  const ad = a.data;
  const bd = b.data;
  let s = 0;
  for (let k = 0, p = i * d, q = j * d; k < d; k++, p++, q++) {
    const t = ad[p]! - bd[q]!;
    s += t * t;
  }
  return s;
}
