import { applyMaskedLinear, madeMlp, type LinearParams } from '@rheo/nn';
import { ArgumentError, gather, ShapeError, tanh, type Key, type Tensor, type TensorTree } from '@rheo/tensor';
import type { BlockLayout } from './block-layout.js';

/**
 * A block-autoregressive conditioner: x [n, d] → features [n, m·d], where
 * feature c·d + j (feature c of dimension j) depends only on the dimensions
 * of blocks before block(j). `madeMlp` from @rheo/nn with a `blockSize` is
 * one (block-MADE masks); any function with that structure will do.
 */
export interface Conditioner<P extends TensorTree = TensorTree> {
  readonly params: P;
  /** Features of x [n, d]; `context` [n, c] is passed when the layer has a context. */
  apply(params: P, x: Tensor, context?: Tensor): Tensor;
  /**
   * Optional: only the feature columns `columns` (int32 [m], in increasing order) of
   * `apply(params, x)`, [n, m], with no context. Sampling asks for one block's features per
   * pass; a conditioner that can compute them for less than all of them (the block-MADE's last
   * layer, restricted to those rows) provides this, and must give the same values.
   */
  blockFeatures?(params: P, x: Tensor, columns: Tensor): Tensor;
}

/** Options of the block-MADE conditioner. */
export interface ConditionerOptions {
  /** Hidden widths of the block-MADE conditioner; default [32, 32]. */
  readonly hidden?: readonly number[];
}

/** The default conditioner: a block-MADE MLP (Germain et al. 2015, arXiv:1502.03509) with tanh units. */
export function blockMadeConditioner(k: Key, layout: BlockLayout, features: number, options: ConditionerOptions = {}): Conditioner<LinearParams[]> {
  const made = madeMlp(k, layout.dim, options.hidden ?? [32, 32], { blockSize: layout.blockSize, outputsPerInput: features, activation: 'tanh' });
  const last = made.masks.length - 1;
  return {
    params: made.params,
    apply: (p, x) => made.apply(p, x),
    blockFeatures: (p, x, columns) => {
      let h = x;
      for (let i = 0; i < last; i++) h = tanh(applyMaskedLinear(p[i]!, made.masks[i]!, h));
      // The last layer's rows of those outputs: the same sums as the full layer's columns.
      const w = gather(p[last]!.w, columns, 0), m = gather(made.masks[last]!, columns, 0);
      return applyMaskedLinear({ w, b: gather(p[last]!.b, columns, 0) }, m, h);
    },
  };
}

/** Calls the conditioner and checks the width of what it returns. */
export function condition<P extends TensorTree>(c: Conditioner<P>, params: P, x: Tensor, width: number, who: string, context?: Tensor): Tensor {
  const h = context === undefined ? c.apply(params, x) : c.apply(params, x, context);
  if (h.rank !== 2 || h.shape[0] !== x.shape[0] || h.shape[1] !== width) {
    throw new ShapeError(`${who}: the conditioner returned shape [${h.shape.join(', ')}]; expected [${x.shape[0]}, ${width}]`);
  }
  return h;
}

export function checkInput(x: Tensor, dim: number, who: string): void {
  if (x.rank !== 2 || x.shape[1] !== dim) throw new ArgumentError(`${who}(x): received shape [${x.shape.join(', ')}]; expected [n, ${dim}]`);
}
