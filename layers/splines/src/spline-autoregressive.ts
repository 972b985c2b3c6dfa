import { maf, type MafOptions, type MafParams, type Transform } from '@rheo/flows';
import type { Key } from '@rheo/tensor';
import { splitSplineOptions } from './spline-layer-options.js';
import type { RationalQuadraticSplineOptions } from './spline-options.js';

/** Options of `splineAutoregressive`: those of `maf` (order, hidden, activation, contextDim) and of the spline. */
export type SplineAutoregressiveOptions = Omit<MafOptions, 'transformer' | 'scaleClamp'> & RationalQuadraticSplineOptions;

/**
 * Rational-quadratic spline autoregressive layer, RQ-NSF (AR) of Durkan et
 * al. 2019 (arXiv:1906.04032): a MADE conditioner (Germain et al. 2015,
 * arXiv:1502.03509) gives θ_i ∈ ℝ^{3K−1} from x_{<i} (in the layer's order)
 * and the context, and z_i = g(x_i; θ_i) with g the rational-quadratic
 * spline; log |det| = Σ_i log g'(x_i). Density in one pass, inverse in d
 * passes. Starts at the identity. `maf` of `@rheo/flows` with
 * `rationalQuadraticTransformer(options)`.
 */
export function splineAutoregressive(k: Key, dim: number, options: SplineAutoregressiveOptions = {}): Transform<MafParams, null> {
  const { transformer, rest } = splitSplineOptions(options);
  return maf(k, dim, { ...rest, transformer });
}
