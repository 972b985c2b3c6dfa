// @rheo/flows: invertible transforms with fused log-determinants, and flows built from them.
export type { AnyTransform, Buffers, Transform, TransformOptions, TransformResult } from './transform.js';
export { forward, inverse } from './transform.js';
export { type Distribution, standardNormal } from './base.js';
export { compose } from './compose.js';
export { type Flow, flow, logProb, sample, sampleAndLogProb, updateBuffers } from './flow.js';
export { permute, randomPermutation, reversePermutation } from './permutation.js';
