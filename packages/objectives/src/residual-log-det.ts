import { ArgumentError, Key, type Tensor, add, fold, mul, split, vjp } from '@rheo/tensor';
import { checkInteger } from './check.js';
import {
  type ProbeOptions, type ResidualFunction, type RouletteOptions, type TermWeights,
  checkProbes, checkResidualInput, probeVectors, rouletteWeights, seriesPass,
} from './log-det-series.js';

/**
 * Averages seriesPass over probes. Gradients flow through every term (the
 * backprop-through-the-series estimator; memory grows with the number of terms).
 */
function hutchinson(g: ResidualFunction, x: Tensor, k: Key, options: ProbeOptions, weightsFor: (k: Key, probe: number) => TermWeights, fn: string): Tensor {
  const [n, d] = checkResidualInput(g, x, fn);
  const { kind, count } = checkProbes(options, fn);
  const { pullback } = vjp(g, x);
  const keys = split(k, 2 * count);
  let total: Tensor | null = null;
  for (let i = 0; i < count; i++) {
    const v = probeVectors(keys[2 * i]!, [n, d], kind);
    const { logDet } = seriesPass(pullback, v, weightsFor(keys[2 * i + 1]!, i), false);
    total = total ? add(total, logDet) : logDet;
  }
  return count === 1 ? total! : mul(total!, 1 / count);
}

/**
 * Options of `truncatedLogDet`: the probes and the number of series terms kept (biased: the tail
 * is dropped; Behrmann et al. 2019, arXiv:1811.00995).
 */
export interface TruncatedOptions extends ProbeOptions {
  /** Number of terms of Σ_k (−1)^(k+1)/k tr(J^k) kept. */
  readonly nTerms: number;
}

/**
 * log det(I + J_g) ≈ Σ_{k=1}^{nTerms} (−1)^(k+1)/k · vᵀJ_g^k v per sample, with
 * Hutchinson probes v (Behrmann et al. 2019, i-ResNet, arXiv:1811.00995).
 * Biased: it drops the tail of the series. Returns [n].
 */
export function truncatedLogDet(g: ResidualFunction, x: Tensor, options: TruncatedOptions): Tensor {
  const nTerms = checkInteger(options?.nTerms, 1, 'truncatedLogDet(nTerms)');
  checkProbes(options, 'truncatedLogDet');
  const weights = new Array<number>(nTerms).fill(1);
  return hutchinson(g, x, options.key, options, () => weights, 'truncatedLogDet');
}

/**
 * The unbiased Russian-roulette estimator of log det(I + J_g) (Chen, Behrmann,
 * Duvenaud & Jacobsen 2019, "Residual Flows", arXiv:1906.02735, eq. 6–7):
 * Σ_{k=1}^{nExact+N} (−1)^(k+1)/k · vᵀJ^k v / P(N ≥ k − nExact), with
 * N ~ geometric or Poisson and vᵀJ^k built as repeated vector-Jacobian
 * products. Requires Lip(g) < 1 for the series to converge. Returns [n].
 */
export function russianRouletteLogDet(g: ResidualFunction, x: Tensor, options: RouletteOptions): Tensor {
  checkProbes(options, 'russianRouletteLogDet');
  const n = checkResidualInput(g, x, 'russianRouletteLogDet')[0];
  const shared = options.truncationKey ?? null;
  if (shared !== null && !(shared instanceof Key)) {
    throw new ArgumentError(`russianRouletteLogDet(truncationKey): expected a PRNG Key, received ${String(shared)}`);
  }
  const weights = (k: Key, probe: number) => rouletteWeights(shared === null ? k : fold(shared, probe), n, options, 'russianRouletteLogDet');
  return hutchinson(g, x, options.key, options, weights, 'russianRouletteLogDet');
}
