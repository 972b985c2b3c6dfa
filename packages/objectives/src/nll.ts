import { add, ArgumentError, mean, mul, neg, type Tensor } from '@rheo/tensor';
import { checkTensor } from './check.js';

/** Maximum-likelihood loss −(1/n) Σ_i log p(x_i) for per-sample log-densities [n]. */
export function nllLoss(logProb: Tensor): Tensor {
  checkTensor(logProb, 1, 'nllLoss(logProb)', '[n]');
  return neg(mean(logProb));
}

/**
 * Options of `bitsPerDim`: the number of dimensions D and the dequantisation scale K; bits/dim =
 * NLL/(D·log 2) + log₂ K (Theis et al. 2016, arXiv:1511.01844).
 */
export interface BitsPerDimOptions {
  /** Number of data dimensions D (e.g. 3·32·32 for CIFAR-10). */
  readonly dims: number;
  /**
   * Dequantisation scale K: the model's density is over y = (x + u)/K with
   * x ∈ {0, …, K−1}^D and u ~ U[0, 1)^D (Theis et al. 2016, arXiv:1511.01844).
   * Default 256 (8-bit data scaled to [0, 1)); 1 when the model sees x + u itself.
   */
  readonly scale?: number;
}

/**
 * Converts a mean negative log-likelihood (nats per example, of the density
 * over y = (x + u)/K) to bits per dimension: bpd = (nll + D ln K) / (D ln 2),
 * since the density of x + u is p(y)·K^−D. It upper-bounds the discrete
 * model's code length per dimension.
 */
export function nllToBitsPerDim(nll: Tensor, options: BitsPerDimOptions): Tensor {
  const { dims, scale = 256 } = options;
  if (!Number.isInteger(dims) || dims < 1) throw new ArgumentError(`bitsPerDim(dims): expected a positive integer, received ${String(dims)}`);
  if (!(scale > 0) || !Number.isFinite(scale)) throw new ArgumentError(`bitsPerDim(scale): expected a finite number > 0, received ${String(scale)}`);
  return add(mul(nll, 1 / (dims * Math.LN2)), Math.log2(scale));
}

/** Bits per dimension of a batch of per-sample log-densities [n]: nllToBitsPerDim(nllLoss(logProb)). */
export function bitsPerDim(logProb: Tensor, options: BitsPerDimOptions): Tensor {
  return nllToBitsPerDim(nllLoss(logProb), options);
}
