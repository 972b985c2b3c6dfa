import { ArgumentError, NonFiniteError } from '@rheo/tensor';

/** Mean negative log-likelihood with its standard error, and bits per dimension. */
export interface LogLikelihoodSummary {
  /** Mean NLL per example, in nats, in the units of the given log-likelihoods. */
  readonly meanNll: number;
  /** Standard error of the mean: sample standard deviation / √n. */
  readonly standardError: number;
  /** Number of examples. */
  readonly count: number;
  /** bits/dim of `meanNll` under the chosen convention; undefined when `dims` is not given. */
  readonly bitsPerDim?: number;
  /** Standard error of `bitsPerDim` (the NLL's standard error / (D·ln 2)). */
  readonly bitsPerDimStandardError?: number;
}

/**
 * How a data-space log-likelihood relates to discrete data v ∈ {0..L−1}^D
 * (L = `levels`, 256 for 8-bit images).
 * - `unit`: the density is over dequantised data in [0, 1)^D ((v + u)/L):
 *   log p_L(v + u) = log p₁((v + u)/L) − D·log L, so bits/dim adds log L per dimension.
 * - `byte`: the density is over [0, L)^D (v + u): already in level units, no shift.
 */
export type DataScale = 'unit' | 'byte';

/**
 * Options of `bitsPerDim`: the dimension D, the scale the log-likelihood was computed on, the
 * number of levels L, and the log-determinant of preprocessing after dequantisation (such as a
 * logit).
 */
export interface BitsPerDimOptions {
  /** Dimension D of one example (e.g. 784 for MNIST). */
  readonly dims: number;
  /** Scale the log-likelihood was computed on; default `'unit'`. */
  readonly scale?: DataScale;
  /** Number of discrete levels L per dimension for the `unit` scale; default 256 (17 for the 8×8 digits). */
  readonly levels?: number;
  /**
   * Per-example Σ log|det J| of preprocessing applied after dequantisation
   * (e.g. the logit transform of RealNVP), when the log-likelihood is of the
   * preprocessed values: log p(x) = log p(y) + log|det ∂y/∂x|. A number is
   * used for every example; an array gives one per example.
   */
  readonly preprocessLogDet?: number | ArrayLike<number>;
}

/**
 * bits/dim of one mean NLL (nats) under a data scale:
 *   bpd = (NLL_y − LD + D·log s) / (D·ln 2),
 * with NLL_y the NLL of the (preprocessed) model input, LD the mean
 * preprocessing log-det (so NLL_x = NLL_y − LD), and s = L (`levels`) for `unit`,
 * s = 1 for `byte` (Theis et al. 2016, arXiv:1511.01844; Dinh et al. 2017,
 * arXiv:1605.08803, Appendix).
 */
export function bitsPerDim(meanNll: number, options: BitsPerDimOptions): number {
  const { dims } = options;
  if (!Number.isInteger(dims) || dims < 1) throw new ArgumentError(`bitsPerDim(options.dims): expected a positive integer, received ${dims}`);
  const scale = options.scale ?? 'unit';
  if (scale !== 'unit' && scale !== 'byte') throw new ArgumentError(`bitsPerDim(options.scale): expected 'unit' or 'byte', received ${String(scale)}`);
  const levels = options.levels ?? 256;
  if (!Number.isInteger(levels) || levels < 2) throw new ArgumentError(`bitsPerDim(options.levels): expected an integer ≥ 2, received ${levels}`);
  const ld = options.preprocessLogDet;
  let meanLd = 0;
  if (typeof ld === 'number') meanLd = ld;
  else if (ld !== undefined) {
    if (ld.length === 0) throw new ArgumentError('bitsPerDim(options.preprocessLogDet): expected at least one value, received an empty array');
    for (let i = 0; i < ld.length; i++) meanLd += ld[i]!;
    meanLd /= ld.length;
  }
  const shift = scale === 'unit' ? dims * Math.log(levels) : 0;
  return (meanNll - meanLd + shift) / (dims * Math.LN2);
}

/**
 * Test-set summary from per-example log-likelihoods (nats): mean NLL, its
 * standard error, and bits/dim when `dims` is given. Accumulates in float64.
 */
export function logLikelihoodSummary(logLikelihoods: ArrayLike<number>, options?: BitsPerDimOptions): LogLikelihoodSummary {
  const n = logLikelihoods.length;
  if (n < 1) throw new ArgumentError('logLikelihoodSummary(logLikelihoods): expected at least one value, received none');
  let s = 0;
  for (let i = 0; i < n; i++) {
    const v = logLikelihoods[i]!;
    if (!Number.isFinite(v)) throw new NonFiniteError(`logLikelihoodSummary(logLikelihoods): expected finite values, received ${v} at index ${i}`);
    s += v;
  }
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (logLikelihoods[i]! - mean) ** 2;
  const se = n > 1 ? Math.sqrt(ss / (n - 1) / n) : Number.NaN;
  const meanNll = -mean;
  if (options === undefined) return { meanNll, standardError: se, count: n };
  const ld = options.preprocessLogDet;
  if (ld !== undefined && typeof ld !== 'number' && ld.length !== n) {
    throw new ArgumentError(`logLikelihoodSummary(options.preprocessLogDet): expected ${n} values (one per example), received ${ld.length}`);
  }
  // With per-example log-dets the NLL of x varies as −(ℓ_i + LD_i): its standard error is recomputed.
  let bseNats = se;
  if (ld !== undefined && typeof ld !== 'number' && n > 1) {
    let m = 0;
    for (let i = 0; i < n; i++) m += logLikelihoods[i]! + ld[i]!;
    m /= n;
    let q = 0;
    for (let i = 0; i < n; i++) q += (logLikelihoods[i]! + ld[i]! - m) ** 2;
    bseNats = Math.sqrt(q / (n - 1) / n);
  }
  return {
    meanNll,
    standardError: se,
    count: n,
    bitsPerDim: bitsPerDim(meanNll, options),
    bitsPerDimStandardError: bseNats / (options.dims * Math.LN2),
  };
}
