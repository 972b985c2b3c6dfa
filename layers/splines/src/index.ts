// @rheo/splines: rational-quadratic neural spline transformers for rheo flows.
export { rationalQuadraticSpline, rationalQuadraticSplineInverse } from './rational-quadratic-spline.js';
export { type ElementwiseResult, type RationalQuadraticTransformer, rationalQuadraticTransformer } from './rational-quadratic-transformer.js';
export { type RationalQuadraticSplineOptions, type ResolvedSplineOptions, resolveSplineOptions, splineParamCount } from './spline-options.js';
export { type SplineKnots, splineKnots } from './spline-knots.js';
