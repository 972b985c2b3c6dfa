import { fold, type Key, type Tensor, type TensorTree } from '@rheo/tensor';
import { affineTransformer } from '../affine-transformer.js';
import { autoregressive } from '../autoregressive.js';
import { madeConditioner, type MadeConditionerParams } from '../made-conditioner.js';
import type { Transform } from '../transform.js';
import { checkTransformer, identityBias, type Transformer } from '../transformer.js';
import { blockLayout, type BlockLayout } from './block-layout.js';
import type { Conditioner, ConditionerOptions } from './conditioner.js';

/** Options of `semiAutoregressiveFlow`. */
export interface SemiAutoregressiveFlowOptions extends ConditionerOptions {
  /** Block size k: 1 is MAF-like, d is a single elementwise block. */
  readonly blockSize: number;
  /**
   * Replaces the block-MADE conditioner; must return [n, P·d], parameter-major
   * (for the default transformer: shifts, then log-scales), and read the
   * context when `contextDim` > 0. Identity initialisation is then its own.
   */
  readonly conditioner?: Conditioner;
  /** Width of `options.context` [n, contextDim]; 0 (default) for none. */
  readonly contextDim?: number;
  /**
   * The elementwise bijection; default `affineTransformer({ form: 'standardize', scaleClamp: 3 })`,
   * z_b = (x_b − μ_b)·exp(−s_b).
   */
  readonly transformer?: Transformer;
}

/** A `semiAutoregressiveFlow` layer: a `Transform` with its block layout. */
export interface SemiAutoregressiveFlow extends Transform<TensorTree, null> {
  readonly kind: 'semi-autoregressive-flow';
  readonly layout: BlockLayout;
}

/**
 * The invertible member of the semi-autoregressive family (Si, Chen, Sahoo,
 * Schiff & Kuleshov 2023, arXiv:2206.06672): dimensions in blocks of k, block
 * b transformed elementwise given the blocks before it and the context,
 * z_b = τ(x_b; θ_b(x_<b, context)), by default the affine
 * z_b = (x_b − μ_b) ⊙ exp(−s_b). The Jacobian is block-lower-triangular with
 * diagonal blocks diag(τ'), so log |det ∂z/∂x| = Σ_j log τ'(x_j) exactly: a
 * likelihood is available, which is the paper's point of comparison (it can
 * be poor while samples are good). Density evaluation is one conditioner
 * pass; sampling takes ⌈d/k⌉. The default block-MADE conditioner starts at
 * the identity (zero output weights, the transformer's identity parameters
 * as bias); its parameters are the MADE layers, or `{ made, context }` with
 * a context.
 */
export function semiAutoregressiveFlow(k: Key, dim: number, options: SemiAutoregressiveFlowOptions): SemiAutoregressiveFlow {
  const who = 'semiAutoregressiveFlow';
  const layout = blockLayout(dim, options.blockSize, who);
  const contextDim = options.contextDim ?? 0;
  const tau = checkTransformer(options.transformer ?? affineTransformer({ form: 'standardize', scaleClamp: 3 }), who);
  let cond: Conditioner;
  if (options.conditioner) cond = options.conditioner;
  else {
    const net = madeConditioner({ made: k, context: fold(k, 1) }, dim, {
      hidden: options.hidden ?? [32, 32], activation: 'tanh', blockSize: layout.blockSize, contextDim,
      outputsPerInput: tau.paramsPerDim, outputBias: identityBias(tau, dim),
    }, who);
    // Without a context the parameters stay the bare list of MADE layers.
    cond = contextDim > 0
      ? { params: net.params, apply: (p, x, c) => net.apply(p as MadeConditionerParams, x, c) }
      : { params: net.params.made, apply: (p, x) => net.apply({ made: p as MadeConditionerParams['made'] }, x) };
  }
  const layer = autoregressive<TensorTree>({
    kind: 'semi-autoregressive-flow', who, dim, transformer: tau, params: cond.params, contextDim, passes: layout.count,
    condition: (p, x, c: Tensor | undefined) => cond.apply(p, x, c),
  });
  return { ...layer, kind: 'semi-autoregressive-flow', layout };
}
