import { split, type Key, type Tensor } from '@rheo/tensor';
import { activationFn, type ActivationName } from './activation';
import type { LinearOptions, LinearParams } from './linear';
import { madeMasks, type MadeMaskOptions, type MadeMasks } from './made-masks';
import { applyMaskedLinear, maskedLinear } from './masked-linear';
import { applyLayers, checkSizes } from './mlp';

/** Options of `madeMlp`: its masks', its layers' and the activation. */
export interface MadeMlpOptions extends MadeMaskOptions, LinearOptions {
  /** Nonlinearity between layers; default tanh. */
  readonly activation?: ActivationName;
}

/**
 * A masked MLP (MADE, Germain et al. 2015, arXiv:1502.03509): input [.., d] →
 * output [.., k·d] where output c·d + j is parameter c of dimension j and
 * depends only on inputs earlier in the (block) order. The conditioner of
 * MAF/IAF layers.
 */
export interface MadeMlp {
  readonly kind: 'made-mlp';
  readonly params: LinearParams[];
  /** The fixed [out, in] masks, one per layer. */
  readonly masks: Tensor[];
  readonly degrees: MadeMasks;
  readonly activation: ActivationName;
  readonly apply: (params: readonly LinearParams[], x: Tensor) => Tensor;
}

/**
 * A masked MLP (MADE, Germain et al. 2015, arXiv:1502.03509) whose outputs for input j depend only
 * on inputs before j in the order: the conditioner of MAF and the semi-autoregressive flows.
 */
export function madeMlp(k: Key, inputDim: number, hiddenSizes: readonly number[], options: MadeMlpOptions = {}): MadeMlp {
  const degrees = madeMasks(inputDim, hiddenSizes, options);
  const sizes = [inputDim, ...hiddenSizes, degrees.outputDegrees.length];
  checkSizes(sizes, 'madeMlp');
  const activation = options.activation ?? 'tanh';
  const act = activationFn(activation, 'madeMlp');
  const keys = split(k, sizes.length - 1);
  const layers = keys.map((ki, i) => maskedLinear(ki, sizes[i]!, sizes[i + 1]!, degrees.masks[i]!, options));
  const masks = layers.map((l) => l.mask);
  const apply = (p: readonly LinearParams[], x: Tensor): Tensor =>
    applyLayers(p.map((l, i) => (h: Tensor) => applyMaskedLinear(l, masks[i]!, h)), act, x);
  return { kind: 'made-mlp', params: layers.map((l) => l.params), masks, degrees, activation, apply };
}
