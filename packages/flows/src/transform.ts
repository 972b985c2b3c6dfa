import type { Key, Tensor, TensorTree } from '@rheo/tensor';

/**
 * Conventions. A transform maps data x to noise z ("forward", the normalizing
 * direction used for density evaluation) and back ("inverse", used for
 * sampling). Batches are [n, ...event]; log-determinants are per sample, [n].
 * Parameters are a plain tensor tree (what optimisers update); buffers are a
 * second tree of non-trainable state (spectral-norm power-iteration vectors),
 * updated by `updateBuffers` between optimiser steps, never by gradients.
 */
export interface TransformOptions {
  /** Conditioning context [n, c] for conditional transforms. */
  readonly context?: Tensor;
  /** Randomness for stochastic log-determinant estimators. */
  readonly key?: Key;
  /**
   * Randomness every layer of a composition sees unchanged (where `key` is
   * folded per layer): draws meant to be shared across layers, such as one
   * Russian-roulette series length per step for all residual blocks.
   */
  readonly sharedKey?: Key;
  /** Training or evaluation behaviour (estimators, iteration counts). Default false. */
  readonly training?: boolean;
  /**
   * Steps of fixed-point inverses (residual blocks) where the step cannot be read back to test
   * convergence (WebGPU, ONNX export); default each layer's own `unverifiedIterations`.
   */
  readonly fixedPointSteps?: number;
}

/** What a transform returns: its output and the log-determinant of its Jacobian per row, `[n]`. */
export interface TransformResult {
  /** The transformed batch. */
  readonly out: Tensor;
  /** log |det ∂out/∂in| per sample, shape [n]. */
  readonly logDet: Tensor;
}

/**
 * Non-trainable state of a transform (such as power-iteration vectors): a tensor tree, null, or a
 * list of them for composed layers.
 */
export type Buffers = TensorTree | null | readonly Buffers[];

/**
 * A bijection with fused log-determinants: `forwardAndLogDet` (data → noise, for densities) and
 * `inverseAndLogDet` (noise → data, for sampling), each returning the output and log|det ∂out/∂in|
 * per row. Parameters and buffers are passed in, never stored.
 */
export interface Transform<P extends TensorTree = TensorTree, B extends Buffers = Buffers> {
  readonly kind: string;
  /** Initial parameters. */
  readonly params: P;
  /** Initial buffers (null when the transform has none). */
  readonly buffers: B;
  /** z = f(x) and log |det ∂f/∂x|, fused: shared intermediates are computed once. */
  forwardAndLogDet(params: P, buffers: B, x: Tensor, options?: TransformOptions): TransformResult;
  /** x = f⁻¹(z) and log |det ∂f⁻¹/∂z| (the negated forward log-det at x). */
  inverseAndLogDet(params: P, buffers: B, z: Tensor, options?: TransformOptions): TransformResult;
  /** f(x) alone, where that is cheaper than the fused method. */
  forward?(params: P, buffers: B, x: Tensor, options?: TransformOptions): Tensor;
  /** f⁻¹(z) alone, where that is cheaper than the fused method. */
  inverse?(params: P, buffers: B, z: Tensor, options?: TransformOptions): Tensor;
  /** New buffers after an optimiser step (e.g. one power iteration). */
  updateBuffers?(params: P, buffers: B): B;
}

/** A transform of any parameter and buffer types, for lists of mixed layers such as a flow's. */
// Erased form for heterogeneous lists of transforms.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTransform = Transform<any, any>;

/**
 * The transform's data → noise direction without the log-determinant: `forwardAndLogDet(...).out`.
 */
export function forward<P extends TensorTree, B extends Buffers>(
  t: Transform<P, B>, params: P, buffers: B, x: Tensor, options?: TransformOptions,
): Tensor {
  return t.forward ? t.forward(params, buffers, x, options) : t.forwardAndLogDet(params, buffers, x, options).out;
}

/**
 * The transform's noise → data direction without the log-determinant: `inverseAndLogDet(...).out`.
 */
export function inverse<P extends TensorTree, B extends Buffers>(
  t: Transform<P, B>, params: P, buffers: B, z: Tensor, options?: TransformOptions,
): Tensor {
  return t.inverse ? t.inverse(params, buffers, z, options) : t.inverseAndLogDet(params, buffers, z, options).out;
}
