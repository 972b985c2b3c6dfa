import type { Tensor } from '@rheo/tensor';
import { rationalQuadraticSpline, rationalQuadraticSplineInverse } from './rational-quadratic-spline.js';
import { type RationalQuadraticSplineOptions, resolveSplineOptions, splineParamCount } from './spline-options.js';

/** An elementwise result: the transformed tensor and log |d out/d in| per element, both shaped like the input. */
export interface ElementwiseResult {
  readonly out: Tensor;
  readonly logDet: Tensor;
}

/**
 * The rational-quadratic spline as an elementwise transformer for a
 * conditioner: `paramsPerDim` = 3K − 1 parameters per dimension, passed as
 * `params` of x's shape plus that last axis. `identityParam` (0) is the value
 * of every parameter at which the transformer is the identity, so a
 * conditioner whose output layer starts at zero starts the flow at the identity.
 */
export interface RationalQuadraticTransformer {
  readonly kind: 'rationalQuadraticSpline';
  readonly paramsPerDim: number;
  readonly identityParam: number;
  readonly options: Required<RationalQuadraticSplineOptions>;
  forwardAndLogDet(x: Tensor, params: Tensor): ElementwiseResult;
  inverseAndLogDet(y: Tensor, params: Tensor): ElementwiseResult;
}

/**
 * A rational-quadratic spline transformer (Durkan et al. 2019,
 * arXiv:1906.04032) with fixed options; see {@link rationalQuadraticSpline}
 * for the map. Log-dets are per element, not summed over dimensions.
 */
export function rationalQuadraticTransformer(options: RationalQuadraticSplineOptions = {}): RationalQuadraticTransformer {
  const resolved = resolveSplineOptions(options);
  return {
    kind: 'rationalQuadraticSpline',
    paramsPerDim: splineParamCount(resolved.bins),
    identityParam: 0,
    options: resolved,
    forwardAndLogDet(x, params) {
      const { y, logDet } = rationalQuadraticSpline(x, params, resolved);
      return { out: y, logDet };
    },
    inverseAndLogDet(y, params) {
      const { x, logDet } = rationalQuadraticSplineInverse(y, params, resolved);
      return { out: x, logDet };
    },
  };
}
