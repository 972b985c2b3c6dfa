import { coupling, type CouplingOptions } from '@rheo/flows';
import type { Key } from '@rheo/tensor';
import { splitSplineOptions } from './spline-layer-options.js';
import type { RationalQuadraticSplineOptions } from './spline-options.js';

/** Options of `splineCoupling`: those of `coupling` (mask, flip, hidden, activation, contextDim) and of the spline. */
export type SplineCouplingOptions = Omit<CouplingOptions, 'transformer'> & RationalQuadraticSplineOptions;

/**
 * Rational-quadratic spline coupling layer, RQ-NSF (C) of Durkan, Bekasov,
 * Murray & Papamakarios 2019 (arXiv:1906.04032): z_A = x_A and
 * z_B = g(x_B; θ), θ = NN([x_A, context]) ∈ ℝ^{(3K−1)·|B|}, with g the
 * monotonic rational-quadratic spline on [−B, B] and the identity outside
 * (see `rationalQuadraticSpline`); log |det| = Σ_B log g'(x_B). The
 * network's last layer starts at zero, so a fresh layer is the identity.
 * `coupling` of `@rheo/flows` with `rationalQuadraticTransformer(options)`.
 */
export function splineCoupling(
  k: Key, eventShape: number | readonly number[], options: SplineCouplingOptions = {},
): ReturnType<typeof coupling> {
  const { transformer, rest } = splitSplineOptions(options);
  return coupling(k, eventShape, { ...rest, transformer });
}
