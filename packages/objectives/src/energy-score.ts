import {
  ArgumentError, type Tensor, add, eye, mean, mul, pow, reshape, sqrt, square, sub, sum,
} from '@rheo/tensor';
import { checkTensor } from './check.js';

/**
 * Options of `energyScore`: the exponent β ∈ (0, 2) of the distance (strictly proper for these β,
 * Gneiting & Raftery 2007) and a small ε that smooths ‖·‖ at 0 so its gradient stays finite.
 */
export interface EnergyScoreOptions {
  /** Exponent β ∈ (0, 2); the score is strictly proper for these β. Default 1. */
  readonly beta?: number;
  /**
   * ε in the smoothed norm ‖v‖_ε = sqrt(‖v‖² + ε). ‖v‖^β has an infinite (β < 1)
   * or undefined (β = 1) derivative at v = 0; ‖v‖_ε^β is smooth everywhere with
   * gradient 0 at v = 0 and differs from ‖v‖^β by at most ε^(β/2). Default 1e-10.
   */
  readonly eps?: number;
}

/** ‖a − b‖_ε^β over the last axis. */
export function smoothedDistance(a: Tensor, b: Tensor, beta: number, eps: number): Tensor {
  return pow(sqrt(add(sum(square(sub(a, b)), -1), eps)), beta);
}

/**
 * The energy score ES_β(P, y) = E‖X − y‖^β − ½ E‖X − X′‖^β (Gneiting & Raftery
 * 2007), the training objective of energy flows (Si, Chen, Sahoo, Schiff &
 * Kuleshov 2023, "Semi-Autoregressive Energy Flows", arXiv:2206.06672).
 * `samples` [n, m, d] holds m ≥ 2 model samples per data point of `data` [n, d].
 * Both terms are unbiased: (1/m) Σ_j ‖x_ij − y_i‖^β and the U-statistic
 * 1/(m(m−1)) Σ_{j≠k} ‖x_ij − x_ik‖^β. Returns the mean over the batch (a scalar
 * tensor). Gradients flow into the samples (reparameterised model draws);
 * no density and no Jacobian determinant is needed. Memory O(n·m²·d).
 */
export function energyScore(samples: Tensor, data: Tensor, options: EnergyScoreOptions = {}): Tensor {
  const { beta = 1, eps = 1e-10 } = options;
  checkTensor(samples, 3, 'energyScore(samples)', '[n, m, d]');
  checkTensor(data, 2, 'energyScore(data)', '[n, d]');
  const [n, m, d] = samples.shape as [number, number, number];
  if (data.shape[0] !== n || data.shape[1] !== d) {
    throw new ArgumentError(`energyScore(data): expected shape [${n}, ${d}] to match samples [${n}, ${m}, ${d}], received [${data.shape.join(', ')}]`);
  }
  if (m < 2) throw new ArgumentError(`energyScore(samples): expected m ≥ 2 samples per data point (axis 1), received ${m}`);
  if (!(beta > 0 && beta < 2)) throw new ArgumentError(`energyScore(beta): expected β in (0, 2), received ${String(beta)}`);
  if (!(eps > 0) || !Number.isFinite(eps)) throw new ArgumentError(`energyScore(eps): expected a finite ε > 0, received ${String(eps)}`);
  const fit = mean(smoothedDistance(samples, reshape(data, [n, 1, d]), beta, eps), 1);
  const pairs = smoothedDistance(reshape(samples, [n, m, 1, d]), reshape(samples, [n, 1, m, d]), beta, eps);
  // The diagonal j = k is ε^(β/2), not 0: masked out, not subtracted.
  const offDiagonal = sub(1, eye(m));
  const spread = mul(sum(mul(pairs, offDiagonal), [1, 2]), 1 / (m * (m - 1)));
  return mean(sub(fit, mul(spread, 0.5)));
}
