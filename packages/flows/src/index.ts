// @rheo/flows: invertible transforms with fused log-determinants, and flows built from them.
export type { AnyTransform, Buffers, Transform, TransformOptions, TransformResult } from './transform.js';
export { forward, inverse } from './transform.js';
export { type Distribution, standardNormal } from './base.js';
export { compose } from './compose.js';
export { type Flow, flow, logProb, sample, sampleAndLogProb, updateBuffers } from './flow.js';
export { permute, randomPermutation, reversePermutation } from './permutation.js';
export { contextOf } from './context.js';
export {
  applyTransformer, checkTransformer, identityBias, transformerParams, type ElementwiseResult, type Transformer,
} from './transformer.js';
export { affineTransformer, type AffineTransformer, type AffineTransformerOptions } from './affine-transformer.js';
export { coupling, type CouplingOptions } from './coupling.js';
export { type AffineCouplingOptions, affineCoupling } from './affine-coupling.js';
export { autoregressive, type AutoregressiveSpec } from './autoregressive.js';
export {
  madeConditioner, type MadeConditioner, type MadeConditionerOptions, type MadeConditionerParams,
} from './made-conditioner.js';
export { type MafOptions, type MafParams, maf } from './maf.js';
export { type ActNormParams, actNorm, actNormInit } from './act-norm.js';
export { type LuLinearParams, luLinear } from './lu-linear.js';
export { logitTransform } from './logit-transform.js';
export { squeeze } from './squeeze.js';
export { reshapeEvent } from './reshape-event.js';
export { multiscale } from './multiscale.js';
export { softClamp } from './soft-clamp.js';
export { residualBlock, type ResidualBlock, type ResidualBlockOptions, type ResidualLogDet } from './residual/residual-block.js';
export {
  lipschitzMlp, type LipschitzActivation, type LipschitzMlp, type LipschitzMlpBuffers, type LipschitzMlpOptions,
  type LipschitzMlpParams, type PowerIterationCounts,
} from './residual/lipschitz-mlp.js';
export { initPowerVectors, powerIterate, spectralNormEstimate, spectralNormalize, type PowerVectors } from './residual/spectral-norm.js';
export { ConvergenceError, fixedPointSolve, type FixedPointOptions, type FixedPointResult } from './residual/fixed-point.js';
export { blockLayout, type BlockLayout } from './saef/block-layout.js';
export { blockMadeConditioner, type Conditioner, type ConditionerOptions } from './saef/conditioner.js';
export { imagePatchFlow, imagePatchGenerator, patchOrder } from './saef/image-patches.js';
export { semiAutoregressiveFlow, type SemiAutoregressiveFlow, type SemiAutoregressiveFlowOptions } from './saef/semi-autoregressive-flow.js';
export {
  semiAutoregressiveGenerator, type SemiAutoregressiveGenerator, type SemiAutoregressiveGeneratorOptions,
  type SemiAutoregressiveGeneratorParams,
} from './saef/semi-autoregressive-generator.js';
