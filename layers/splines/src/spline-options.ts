import { ArgumentError } from '@rheo/tensor';

/** Shape of a rational-quadratic spline; every field has a default. */
export interface RationalQuadraticSplineOptions {
  /** Number of bins K (default 8). The spline takes 3K − 1 parameters per dimension. */
  readonly bins?: number;
  /** Tail bound B > 0 (default 3): the spline maps [−B, B] onto itself, identity outside. */
  readonly bound?: number;
  /** Least bin width as a fraction of 2B (default 1e-3); needs bins · minBinWidth < 1. */
  readonly minBinWidth?: number;
  /** Least bin height as a fraction of 2B (default 1e-3); needs bins · minBinHeight < 1. */
  readonly minBinHeight?: number;
  /** Least derivative at an interior knot (default 1e-3), in [0, 1). */
  readonly minDerivative?: number;
}

/** Options with every default filled in and checked. */
export type ResolvedSplineOptions = Required<RationalQuadraticSplineOptions>;

/** Checks the options and fills in the defaults (8 bins, bound 3, minimums 1e-3). */
export function resolveSplineOptions(options: RationalQuadraticSplineOptions = {}): ResolvedSplineOptions {
  const { bins = 8, bound = 3, minBinWidth = 1e-3, minBinHeight = 1e-3, minDerivative = 1e-3 } = options;
  if (!Number.isInteger(bins) || bins < 1) throw new ArgumentError(`rationalQuadraticSpline(options.bins): expected an integer ≥ 1, received ${String(bins)}`);
  if (!(bound > 0) || !Number.isFinite(bound)) throw new ArgumentError(`rationalQuadraticSpline(options.bound): expected a finite number > 0, received ${String(bound)}`);
  for (const [name, v] of [['minBinWidth', minBinWidth], ['minBinHeight', minBinHeight]] as const) {
    if (!(v >= 0) || v * bins >= 1) {
      throw new ArgumentError(`rationalQuadraticSpline(options.${name}): expected 0 ≤ ${name} < 1/bins = ${1 / bins}, received ${String(v)}`);
    }
  }
  if (!(minDerivative >= 0 && minDerivative < 1)) {
    throw new ArgumentError(`rationalQuadraticSpline(options.minDerivative): expected 0 ≤ minDerivative < 1, received ${String(minDerivative)}`);
  }
  return { bins, bound, minBinWidth, minBinHeight, minDerivative };
}

/** Parameters per transformed dimension: K widths, K heights and K − 1 interior derivatives. */
export function splineParamCount(bins: number): number {
  return 3 * bins - 1;
}
