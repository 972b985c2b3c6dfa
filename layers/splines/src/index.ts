// @rheo/splines: rational-quadratic neural spline flows for rheo: the spline
// transformer and its coupling, autoregressive and semi-autoregressive layers.
export { rationalQuadraticSpline, rationalQuadraticSplineInverse } from './rational-quadratic-spline.js';
export { type RationalQuadraticTransformer, rationalQuadraticTransformer } from './rational-quadratic-transformer.js';
export { type RationalQuadraticSplineOptions, type ResolvedSplineOptions, resolveSplineOptions, splineParamCount } from './spline-options.js';
export { type SplineKnots, splineKnots } from './spline-knots.js';
export { splineCoupling, type SplineCouplingOptions } from './spline-coupling.js';
export { splineAutoregressive, type SplineAutoregressiveOptions } from './spline-autoregressive.js';
export { splineSemiAutoregressive, type SplineSemiAutoregressiveOptions } from './spline-semi-autoregressive.js';
export { NSF, nsf, type NsfOptions } from './nsf-preset.js';
