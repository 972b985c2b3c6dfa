import { linear, madeMlp, type ActivationName, type LinearParams, type MadeMaskOptions } from '@rheo/nn';
import { ArgumentError, add, matmul, split, tensor, zerosLike, type Key, type Tensor } from '@rheo/tensor';

/** Parameters of `madeConditioner` (and of `maf`): the MADE layers and, with a context, its two context maps. */
export type MadeConditionerParams = {
  /** The MADE layers: input [n, d] → [n, P·d], output c·d + j being parameter c of entry j. */
  readonly made: LinearParams[];
  /**
   * Only with contextDim > 0: context → first hidden layer and context → the
   * outputs, each added to that layer's bias. The direct path is needed
   * because the first entry in the order sees no hidden unit.
   */
  readonly context?: { readonly hidden: LinearParams; readonly output: LinearParams };
};

/** Options of `madeConditioner`. */
export interface MadeConditionerOptions extends Pick<MadeMaskOptions, 'order' | 'blockSize'> {
  readonly hidden: readonly number[];
  readonly activation: ActivationName;
  /** Parameters per entry P. */
  readonly outputsPerInput: number;
  /** Width of the context; 0 for none. */
  readonly contextDim: number;
  /** When given, the output layer starts with zero weights and this bias [P·d] (a layer's identity). */
  readonly outputBias?: Float32Array;
}

/** A (block-)MADE conditioner that also reads a context (see `madeConditioner`). */
export interface MadeConditioner {
  readonly params: MadeConditionerParams;
  /** x [n, d] (and context [n, c] when contextDim > 0) → [n, P·d]. */
  apply(params: MadeConditionerParams, x: Tensor, context?: Tensor): Tensor;
}

/**
 * A (block-)MADE (Germain et al. 2015, arXiv:1502.03509) whose outputs for
 * entry j read only entries earlier in the (block) order, plus a context
 * that shifts the first hidden layer and, through a zero-initialised linear
 * map, the outputs: context may reach every output without breaking the
 * autoregressive structure, which only concerns x (conditional MAF,
 * Papamakarios et al. 2017, arXiv:1705.07057). The MADE layers are drawn
 * from `keys.made`, the context maps from `keys.context`.
 */
export function madeConditioner(keys: { readonly made: Key; readonly context: Key }, dim: number, options: MadeConditionerOptions, who: string): MadeConditioner {
  const { hidden, activation, outputsPerInput, contextDim, outputBias } = options;
  if (hidden.length === 0) throw new ArgumentError(`${who}(options.hidden): received []; expected at least one hidden layer`);
  if (!Number.isInteger(contextDim) || contextDim < 0) {
    throw new ArgumentError(`${who}(options.contextDim): received ${contextDim}; expected a non-negative integer`);
  }
  const net = madeMlp(keys.made, dim, hidden, {
    activation, outputsPerInput, ...(options.order === undefined ? {} : { order: options.order }),
    ...(options.blockSize === undefined ? {} : { blockSize: options.blockSize }),
  });
  const last = net.params.length - 1;
  const made = net.params.map((l, i) => (i === last && outputBias ? { w: zerosLike(l.w), b: tensor(Float32Array.from(outputBias), [outputBias.length]) } : l));
  const [kHidden, kOut] = split(keys.context, 2) as [Key, Key];
  const contextLayers = () => {
    const out = linear(kOut, contextDim, outputsPerInput * dim).params;
    return { hidden: linear(kHidden, contextDim, hidden[0]!).params, output: { w: zerosLike(out.w), b: zerosLike(out.b) } };
  };
  const params: MadeConditionerParams = contextDim > 0 ? { made, context: contextLayers() } : { made };
  return {
    params,
    apply(p, x, ctx) {
      let layers = p.made;
      if (ctx !== undefined) {
        if (p.context === undefined) throw new ArgumentError(`${who}(params.context): received undefined; expected {hidden, output} context layers`);
        // A bias of shape [n, h] broadcasts like [h]: the context shifts a layer per sample.
        const shifted = (l: LinearParams, c: LinearParams) => ({ w: l.w, b: add(l.b, add(matmul(ctx, c.w, { transposeB: true }), c.b)) });
        const c = p.context;
        layers = p.made.map((l, i) => (i === 0 ? shifted(l, c.hidden) : i === last ? shifted(l, c.output) : l));
      }
      return net.apply(layers, x);
    },
  };
}
