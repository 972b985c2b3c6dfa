import type { ActivationName } from '@rheo/nn';
import { ArgumentError, Key, permutationIndices, split } from '@rheo/tensor';
import { affineTransformer } from './affine-transformer.js';
import { autoregressive } from './autoregressive.js';
import { madeConditioner, type MadeConditionerParams } from './made-conditioner.js';
import type { Transform } from './transform.js';
import { checkTransformer, identityBias, type Transformer } from './transformer.js';

/** MAF parameters: the MADE layers and, with a context, its two context maps (see `MadeConditionerParams`). */
export type MafParams = MadeConditionerParams;

/** Options of `maf`. */
export interface MafOptions {
  /**
   * Autoregressive order: 'natural' (x_1 first), 'reversed', 'random' (drawn
   * from the layer's key) or order[j] = position of input j (a permutation).
   */
  readonly order?: 'natural' | 'reversed' | 'random' | readonly number[];
  /** MADE hidden widths; default [64, 64]. */
  readonly hidden?: readonly number[];
  readonly activation?: ActivationName;
  /** Width of `options.context` [n, contextDim]; 0 (default) for none. */
  readonly contextDim?: number;
  /** Soft clamp c of α, α = c·tanh(raw/c), of the default affine transformer; default 3. Not with `transformer`. */
  readonly scaleClamp?: number;
  /**
   * The elementwise bijection; default `affineTransformer({ form: 'standardize', scaleClamp })`,
   * z_i = (x_i − μ_i)·exp(−α_i) with MADE outputs (μ_1..μ_d, α_1..α_d).
   */
  readonly transformer?: Transformer;
}

/**
 * Masked autoregressive flow layer (MAF, Papamakarios, Pavlakou & Murray
 * 2017, arXiv:1705.07057) with a MADE conditioner (Germain et al. 2015,
 * arXiv:1502.03509): θ_i depends on x_{<i} in the layer's order and the
 * context, and z_i = τ(x_i; θ_i) for the transformer τ (by default affine,
 * z_i = (x_i − μ_i) exp(−α_i); a spline gives the autoregressive neural
 * spline flow of Durkan et al. 2019, arXiv:1906.04032). The Jacobian is
 * triangular in that order, so log |det| = Σ log τ'. Density evaluation is
 * one pass; the inverse is d passes (see `autoregressive`). The MADE's
 * output layer starts with zero weights and the transformer's identity
 * parameters as bias, so a fresh layer is the identity. Context enters the
 * first hidden layer and, through a zero-initialised linear map, the outputs.
 */
export function maf(k: Key, dim: number, options: MafOptions = {}): Transform<MafParams, null> {
  if (!Number.isInteger(dim) || dim < 1) throw new ArgumentError(`maf(dim): received ${dim}; expected a positive integer`);
  const { hidden = [64, 64], activation = 'relu', contextDim = 0 } = options;
  if (options.transformer !== undefined && options.scaleClamp !== undefined) {
    throw new ArgumentError(`maf(options.scaleClamp): received ${options.scaleClamp} together with a transformer; expected one of them (the clamp belongs to the transformer)`);
  }
  const { scaleClamp = 3 } = options;
  if (!(scaleClamp > 0)) throw new ArgumentError(`maf(options.scaleClamp): received ${scaleClamp}; expected a positive number`);
  const tau = checkTransformer(options.transformer ?? affineTransformer({ form: 'standardize', scaleClamp }), 'maf');
  // The same keys as before the transformer seam: a 'random' order (and so a saved model's masks) depends on them.
  const [kOrder, kNet, kCtx] = split(k, 3) as [Key, Key, Key];
  const order = options.order === 'random' ? Array.from(permutationIndices(kOrder, dim)) : options.order;
  const net = madeConditioner({ made: kNet, context: kCtx }, dim, {
    hidden, activation, contextDim, outputsPerInput: tau.paramsPerDim, outputBias: identityBias(tau, dim),
    ...(order === undefined ? {} : { order }),
  }, 'maf');
  return autoregressive<MafParams>({
    kind: 'maf', who: 'maf', dim, transformer: tau, params: net.params, contextDim, passes: dim,
    condition: (p, x, ctx) => net.apply(p, x, ctx),
  });
}
