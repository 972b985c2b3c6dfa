import { ArgumentError, type Key, fold, poissonSample, threefry2x32 } from '@rheo/tensor';

/**
 * The law of the random truncation N of a Russian-roulette series:
 * geometric on {1, 2, …} with P(N ≥ k) = (1 − p)^(k−1), or Poisson(λ) on
 * {0, 1, …} with P(N ≥ k) = Σ_{i≥k} e^−λ λ^i / i!.
 */
export type RouletteDistribution =
  | { readonly kind: 'geometric'; readonly p: number }
  | { readonly kind: 'poisson'; readonly lambda: number };

export function checkDistribution(dist: RouletteDistribution, arg: string): RouletteDistribution {
  if (dist?.kind === 'geometric') {
    if (!(dist.p > 0 && dist.p < 1)) throw new ArgumentError(`${arg}: expected a geometric p in (0, 1), received ${String(dist.p)}`);
  } else if (dist?.kind === 'poisson') {
    if (!(dist.lambda > 0 && dist.lambda <= 1e3)) throw new ArgumentError(`${arg}: expected a Poisson λ in (0, 1000], received ${String(dist.lambda)}`);
  } else {
    throw new ArgumentError(`${arg}: expected { kind: 'geometric', p } or { kind: 'poisson', lambda }, received ${JSON.stringify(dist)}`);
  }
  return dist;
}

/** P(N ≥ k) in float64, exact closed forms (the Poisson tail summed upwards, so no 1 − CDF cancellation). */
export function survival(dist: RouletteDistribution, k: number): number {
  if (k <= 0) return 1;
  if (dist.kind === 'geometric') return Math.pow(1 - dist.p, k - 1);
  const lam = dist.lambda;
  let logTerm = -lam;
  for (let i = 1; i <= k; i++) logTerm += Math.log(lam / i);
  let total = 0;
  for (let i = k; ; i++) {
    const term = Math.exp(logTerm);
    total += term;
    if (i > lam && term < total * 1e-17) return total;
    logTerm += Math.log(lam / (i + 1));
  }
}

/** One draw of N from the key, on the host (it sets how many terms are computed). */
export function drawTruncation(k: Key, dist: RouletteDistribution): number {
  if (dist.kind === 'poisson') return poissonSample(k, dist.lambda);
  const w = new Uint32Array(2);
  threefry2x32(k.k0, k.k1, 0, 0, w, 0);
  // Inversion: u ∈ (0, 1), N = 1 + floor(ln u / ln(1 − p)) has P(N ≥ k) = P(u ≤ (1 − p)^(k−1)).
  const u = (w[0]! + 0.5) / 4294967296;
  return 1 + Math.floor(Math.log(u) / Math.log1p(-dist.p));
}

/** N for each of n samples (independent draws), or one N shared by the batch. */
export function drawTruncations(k: Key, dist: RouletteDistribution, n: number, perSample: boolean): number[] {
  if (!perSample) return new Array<number>(n).fill(drawTruncation(k, dist));
  return Array.from({ length: n }, (_, i) => drawTruncation(fold(k, i), dist));
}
