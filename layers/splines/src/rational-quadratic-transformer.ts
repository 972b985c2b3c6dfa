import type { Transformer } from '@rheo/flows';
import { rationalQuadraticSpline, rationalQuadraticSplineInverse } from './rational-quadratic-spline.js';
import { type RationalQuadraticSplineOptions, type ResolvedSplineOptions, resolveSplineOptions, splineParamCount } from './spline-options.js';

/**
 * The rational-quadratic spline as a `Transformer` of `@rheo/flows`' seam:
 * P = 3K − 1 unconstrained parameters per entry (K width logits, K height
 * logits, K − 1 interior derivative parameters), all 0 at the identity.
 */
export interface RationalQuadraticTransformer extends Transformer {
  readonly kind: 'rational-quadratic-spline';
  /** The resolved spline options (bins, bound, minimums). */
  readonly options: ResolvedSplineOptions;
}

/**
 * A rational-quadratic spline transformer (Durkan et al. 2019,
 * arXiv:1906.04032) with fixed options, for `coupling`, `maf` and
 * `semiAutoregressiveFlow` of `@rheo/flows`; see
 * {@link rationalQuadraticSpline} for the map. `params` is [n, d, 3K − 1],
 * inputs [n, d]; log-dets are per entry, not summed.
 */
export function rationalQuadraticTransformer(options: RationalQuadraticSplineOptions = {}): RationalQuadraticTransformer {
  const resolved = resolveSplineOptions(options);
  const p = splineParamCount(resolved.bins);
  return {
    kind: 'rational-quadratic-spline',
    paramsPerDim: p,
    identityParams: new Array<number>(p).fill(0),
    options: resolved,
    forwardAndLogDet(params, x) {
      const { y, logDet } = rationalQuadraticSpline(x, params, resolved);
      return { out: y, logDet };
    },
    inverseAndLogDet(params, y) {
      const { x, logDet } = rationalQuadraticSplineInverse(y, params, resolved);
      return { out: x, logDet };
    },
  };
}
