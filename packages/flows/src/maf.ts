import { linear, madeMlp, type ActivationName, type LinearParams } from '@rheo/nn';
import {
  ArgumentError, ShapeError, Key, add, exp, mapTree, matmul, mul, neg, permutationIndices, release, sliceAxis, split, sub, sum, tidy, zerosLike,
  type Tensor,
} from '@rheo/tensor';
import { contextOf } from './context.js';
import { softClamp } from './soft-clamp.js';
import type { Transform, TransformOptions } from './transform.js';

/** Parameters of `maf`: the MADE layers and, with a context, its input and output maps. */
export type MafParams = {
  /** The MADE layers: input [n, d] → [n, 2d], outputs (μ_1..μ_d, α_1..α_d). */
  readonly made: LinearParams[];
  /**
   * Only with contextDim > 0: context → first hidden layer and context → the
   * outputs, each added to that layer's bias. The direct path is needed
   * because the first dimension in the order sees no hidden unit.
   */
  readonly context?: { readonly hidden: LinearParams; readonly output: LinearParams };
};

/**
 * Options of `maf`: the order of the inputs, the MADE conditioner's widths and activation, the
 * scale clamp and a context width (Papamakarios et al. 2017, arXiv:1705.07057).
 */
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
  /** Soft clamp c of α, α = c·tanh(raw/c); default 3. */
  readonly scaleClamp?: number;
}

/**
 * Masked autoregressive flow layer (MAF, Papamakarios, Pavlakou & Murray
 * 2017, arXiv:1705.07057) with a MADE conditioner (Germain et al. 2015,
 * arXiv:1502.03509): (μ_i, α_i) depend on x_{<i} in the layer's order and
 * z_i = (x_i − μ_i) exp(−α_i). The Jacobian is triangular in that order, so
 * log |det| = −Σ α. Density evaluation is one pass; the inverse
 * x_i = z_i exp(α_i) + μ_i is d passes: after pass k the first k entries in
 * the order are exact, because entry k only reads entries before it. The
 * MADE's output layer starts at zero, so a fresh layer is the identity.
 * Context enters the first hidden layer and, through a zero-initialised
 * linear map, the outputs (it may affect every output without breaking the
 * autoregressive structure, which only concerns x).
 */
export function maf(k: Key, dim: number, options: MafOptions = {}): Transform<MafParams, null> {
  if (!Number.isInteger(dim) || dim < 1) throw new ArgumentError(`maf(dim): received ${dim}; expected a positive integer`);
  const { hidden = [64, 64], activation = 'relu', contextDim = 0, scaleClamp = 3 } = options;
  if (hidden.length === 0) throw new ArgumentError('maf(options.hidden): received []; expected at least one hidden layer');
  if (!Number.isInteger(contextDim) || contextDim < 0) {
    throw new ArgumentError(`maf(options.contextDim): received ${contextDim}; expected a non-negative integer`);
  }
  if (!(scaleClamp > 0)) throw new ArgumentError(`maf(options.scaleClamp): received ${scaleClamp}; expected a positive number`);
  const [kOrder, kNet, kCtx] = split(k, 3) as [Key, Key, Key];
  const order = options.order === 'random' ? Array.from(permutationIndices(kOrder, dim)) : options.order;
  const net = madeMlp(kNet, dim, hidden, { order, activation, outputsPerInput: 2 });
  const last = net.params.length - 1;
  const made = net.params.map((l, i) => (i === last ? mapTree(l, (t) => zerosLike(t)) : l));
  const [kHidden, kOut] = split(kCtx, 2) as [Key, Key];
  const context = () => ({
    hidden: linear(kHidden, contextDim, hidden[0]!).params,
    output: mapTree(linear(kOut, contextDim, 2 * dim).params, (t) => zerosLike(t)),
  });
  const params: MafParams = contextDim > 0 ? { made, context: context() } : { made };

  const conditioner = (p: MafParams, x: Tensor, o: TransformOptions | undefined): [Tensor, Tensor] => {
    if (x.rank !== 2 || x.shape[1] !== dim) throw new ShapeError(`maf: input has shape [${x.shape.join(', ')}]; expected [n, ${dim}]`);
    const ctx = contextOf(o, contextDim, x.shape[0]!, 'maf');
    let layers = p.made;
    if (ctx !== undefined) {
      if (p.context === undefined) throw new ArgumentError('maf(params.context): received undefined; expected {hidden, output} context layers');
      // A bias of shape [n, h] broadcasts like [h]: the context shifts a layer per sample.
      const shifted = (l: LinearParams, c: LinearParams) => ({ w: l.w, b: add(l.b, add(matmul(ctx, c.w, { transposeB: true }), c.b)) });
      const c = p.context;
      layers = p.made.map((l, i) => (i === 0 ? shifted(l, c.hidden) : i === last ? shifted(l, c.output) : l));
    }
    const h = net.apply(layers, x);
    return [sliceAxis(h, 1, 0, dim), softClamp(sliceAxis(h, 1, dim), scaleClamp)];
  };
  const inverse = (p: MafParams, z: Tensor, o: TransformOptions | undefined) => {
    // Each pass in its own scope, the previous x released: without a gradient trace, memory holds
    // one pass (not d of them); with one, the trace keeps what backpropagation needs.
    let x = z;
    let alpha: Tensor | null = null;
    for (let pass = 0; pass < dim; pass++) {
      const prev = x;
      const [next, a] = tidy(() => {
        const [mu, aa] = conditioner(p, prev, o);
        return [add(mul(z, exp(aa)), mu), aa] as const;
      });
      if (prev !== z) release(prev);
      if (alpha) release(alpha);
      x = next;
      alpha = a;
    }
    return { out: x, logDet: sum(alpha!, 1) };
  };
  return {
    kind: 'maf',
    params,
    buffers: null,
    forwardAndLogDet: (p, _b, x, o) => {
      const [mu, alpha] = conditioner(p, x, o);
      return { out: mul(sub(x, mu), exp(neg(alpha))), logDet: neg(sum(alpha, 1)) };
    },
    inverseAndLogDet: (p, _b, z, o) => inverse(p, z, o),
  };
}
