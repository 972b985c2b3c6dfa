/**
 * Two-sample distances computed in float64 on the host, independent of the
 * engine that trained the models (so a bug there cannot flatter them).
 * Inputs are row-major n×d.
 */

function meanPairDistance(a: Float32Array, na: number, b: Float32Array, nb: number, d: number, same: boolean): number {
  let total = 0;
  let count = 0;
  for (let i = 0; i < na; i++) {
    for (let j = same ? i + 1 : 0; j < nb; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) {
        const diff = a[i * d + c]! - b[j * d + c]!;
        s += diff * diff;
      }
      total += Math.sqrt(s);
      count++;
    }
  }
  return count === 0 ? 0 : total / count;
}

/**
 * Energy distance (Székely & Rizzo 2013): 2 E‖X − Y‖ − E‖X − X′‖ − E‖Y − Y′‖,
 * the within-sample terms as U-statistics (pairs i < j). Zero iff the laws agree.
 */
export function energyDistance(x: Float32Array, y: Float32Array, d: number): number {
  const nx = x.length / d;
  const ny = y.length / d;
  return 2 * meanPairDistance(x, nx, y, ny, d, false) - meanPairDistance(x, nx, x, nx, d, true) - meanPairDistance(y, ny, y, ny, d, true);
}

function kernelMean(a: Float32Array, na: number, b: Float32Array, nb: number, d: number, same: boolean, bandwidths: readonly number[]): number {
  let total = 0;
  let count = 0;
  for (let i = 0; i < na; i++) {
    for (let j = same ? i + 1 : 0; j < nb; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) {
        const diff = a[i * d + c]! - b[j * d + c]!;
        s += diff * diff;
      }
      for (const h of bandwidths) total += Math.exp(-s / (2 * h * h));
      count++;
    }
  }
  return count === 0 ? 0 : total / (count * bandwidths.length);
}

/**
 * Unbiased squared MMD (Gretton et al. 2012, JMLR 13) with a mixture of
 * Gaussian kernels k(a, b) = mean_h exp(−‖a − b‖² / 2h²); bandwidths default to
 * {0.5, 1, 2}·√d, the scale of standardised data.
 */
export function mmd(x: Float32Array, y: Float32Array, d: number, bandwidths?: readonly number[]): number {
  const nx = x.length / d;
  const ny = y.length / d;
  const hs = bandwidths ?? [0.5, 1, 2].map((f) => f * Math.sqrt(d));
  return kernelMean(x, nx, x, nx, d, true, hs) + kernelMean(y, ny, y, ny, d, true, hs) - 2 * kernelMean(x, nx, y, ny, d, false, hs);
}

/** The first `n` rows (or all). */
export function firstRows(x: Float32Array, d: number, n: number): Float32Array {
  return x.subarray(0, Math.min(x.length, n * d));
}
