import { ArgumentError, type Key, type Tensor, reshape } from '@rheo/tensor';
import { checkInteger, checkKeyLike, checkTensor } from './check.js';
import { type EnergyScoreOptions, energyScore } from './energy-score.js';

/** Draws `count` reparameterised model samples [count, d] from a key. */
export type Sampler = (key: Key, count: number) => Tensor;

/**
 * Options of `energyLoss`: those of the energy score, and `m`, the model samples drawn per data
 * row.
 */
export interface EnergyLossOptions extends EnergyScoreOptions {
  /**
   * Model samples per data point, m ≥ 2. Default 2, the smallest m for which
   * the pairwise U-statistic exists; a larger m lowers the variance of the
   * loss at O(m²) cost per data point.
   */
  readonly m?: number;
}

/**
 * The energy objective for a batch of data [n, d]: draws n·m samples from
 * `sample(key, n·m)`, groups them m per data point and returns
 * energyScore(samples [n, m, d], data) (Si et al. 2023, arXiv:2206.06672).
 * Gradients reach the model's parameters through the samples (the
 * reparameterisation x = f_θ(z)); no log-density is evaluated.
 */
export function energyLoss(sample: Sampler, key: Key, data: Tensor, options: EnergyLossOptions = {}): Tensor {
  checkKeyLike(key, 'energyLoss(key)');
  checkTensor(data, 2, 'energyLoss(data)', '[n, d]');
  const m = checkInteger(options.m ?? 2, 2, 'energyLoss(m)');
  const [n, d] = data.shape as [number, number];
  const x = sample(key, n * m);
  if (x?.rank !== 2 || x.shape[0] !== n * m || x.shape[1] !== d) {
    throw new ArgumentError(`energyLoss(sample): expected sample(key, ${n * m}) to return shape [${n * m}, ${d}], received ${x ? `[${x.shape.join(', ')}]` : String(x)}`);
  }
  return energyScore(reshape(x, [n, m, d]), data, options);
}
