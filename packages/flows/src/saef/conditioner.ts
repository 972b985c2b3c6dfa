import { madeMlp, type LinearParams } from '@rheo/nn';
import { ArgumentError, ShapeError, type Key, type Tensor, type TensorTree } from '@rheo/tensor';
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
}

/** Options of the block-MADE conditioner. */
export interface ConditionerOptions {
  /** Hidden widths of the block-MADE conditioner; default [32, 32]. */
  readonly hidden?: readonly number[];
}

/** The default conditioner: a block-MADE MLP (Germain et al. 2015, arXiv:1502.03509) with tanh units. */
export function blockMadeConditioner(k: Key, layout: BlockLayout, features: number, options: ConditionerOptions = {}): Conditioner<LinearParams[]> {
  const made = madeMlp(k, layout.dim, options.hidden ?? [32, 32], { blockSize: layout.blockSize, outputsPerInput: features, activation: 'tanh' });
  return { params: made.params, apply: (p, x) => made.apply(p, x) };
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
