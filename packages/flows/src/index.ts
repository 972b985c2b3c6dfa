// @rheo/flows: invertible transforms with fused log-determinants, and flows built from them.
export type { AnyTransform, Buffers, Transform, TransformOptions, TransformResult } from './transform.js';
export { forward, inverse } from './transform.js';
export { type Distribution, standardNormal } from './base.js';
export { compose } from './compose.js';
export { type Flow, flow, logProb, sample, sampleAndLogProb, updateBuffers } from './flow.js';
export { permute, randomPermutation, reversePermutation } from './permutation.js';
export { type AffineCouplingOptions, affineCoupling } from './affine-coupling.js';
export { type MafOptions, type MafParams, maf } from './maf.js';
export { type ActNormParams, actNorm, actNormInit } from './act-norm.js';
export { type LuLinearParams, luLinear } from './lu-linear.js';
export { logitTransform } from './logit-transform.js';
export { squeeze } from './squeeze.js';
export { reshapeEvent } from './reshape-event.js';
export { multiscale } from './multiscale.js';
export { softClamp } from './soft-clamp.js';
