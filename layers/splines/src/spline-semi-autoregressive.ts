import { semiAutoregressiveFlow, type SemiAutoregressiveFlow, type SemiAutoregressiveFlowOptions } from '@rheo/flows';
import type { Key } from '@rheo/tensor';
import { splitSplineOptions } from './spline-layer-options.js';
import type { RationalQuadraticSplineOptions } from './spline-options.js';

/** Options of `splineSemiAutoregressive`: those of `semiAutoregressiveFlow` (blockSize, hidden, conditioner, contextDim) and of the spline. */
export type SplineSemiAutoregressiveOptions = Omit<SemiAutoregressiveFlowOptions, 'transformer'> & RationalQuadraticSplineOptions;

/**
 * Block semi-autoregressive layer (Si et al. 2023, arXiv:2206.06672) with
 * the rational-quadratic spline of Durkan et al. 2019 (arXiv:1906.04032) as
 * its transformer: dimensions in blocks of k, z_b = g(x_b; θ_b(x_<b,
 * context)), log |det| = Σ_j log g'(x_j). blockSize 1 is RQ-NSF (AR);
 * blockSize d a single elementwise spline. Starts at the identity.
 * `semiAutoregressiveFlow` of `@rheo/flows` with
 * `rationalQuadraticTransformer(options)`.
 */
export function splineSemiAutoregressive(k: Key, dim: number, options: SplineSemiAutoregressiveOptions): SemiAutoregressiveFlow {
  const { transformer, rest } = splitSplineOptions(options);
  return semiAutoregressiveFlow(k, dim, { ...rest, transformer });
}
