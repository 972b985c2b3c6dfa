import { madeMlp, type LinearParams } from '@rheo/nn';
import { ArgumentError, broadcastTo, gather, matmulBias, mul, ShapeError, tanh, tensor, type Key, type Tensor, type TensorTree } from '@rheo/tensor';
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
   * Optional: block b's features alone, [n, m·k_b]: the columns c·d + j of
   * `apply(params, x)` for the block's dimensions j, in that (increasing)
   * order, when the blocks from b on are zeros in x. `prefix` is x's
   * columns before block b ([n, start of b]; undefined for block 0), with no
   * context. Sampling asks for one block per pass; a conditioner that can
   * compute one block's features for less than all of them (the block-MADE
   * does) provides this, and must give the same values.
   */
  blockFeatures?(params: P, prefix: Tensor | undefined, block: number, n: number): Tensor;
}

/** Options of the block-MADE conditioner. */
export interface ConditionerOptions {
  /** Hidden widths of the block-MADE conditioner; default [32, 32]. */
  readonly hidden?: readonly number[];
}

/** The default conditioner: a block-MADE MLP (Germain et al. 2015, arXiv:1502.03509) with tanh units. */
export function blockMadeConditioner(k: Key, layout: BlockLayout, features: number, options: ConditionerOptions = {}): Conditioner<LinearParams[]> {
  const made = madeMlp(k, layout.dim, options.hidden ?? [32, 32], { blockSize: layout.blockSize, outputsPerInput: features, activation: 'tanh' });
  const plans = Array.from({ length: layout.count }, (_, b) => blockPlan(made.degrees.masks, layout, features, b));
  return {
    params: made.params,
    apply: (p, x) => made.apply(p, x),
    blockFeatures: (p, prefix, b, n) => {
      const plan = plans[b]!;
      let h: Tensor | undefined;
      plan.forEach((layer, i) => {
        const { w, b: bias } = p[layer.layer]!;
        const units = gather(bias, layer.units, 0);
        // A layer whose units read none of the inputs gives its biases, broadcast to every row.
        const a = layer.inputs === undefined
          ? broadcastTo(units, [n, layer.width])
          : matmulBias(i === 0 ? prefix! : h!, mul(gather(gather(w, layer.units, 0), layer.inputs, 1), layer.mask!), units, { transposeB: true });
        h = layer.layer < p.length - 1 ? tanh(a) : a;
      });
      return h!;
    },
  };
}

/** One layer of a block's share of the block-MADE: the units it needs, read from the ones before. */
interface PlanLayer {
  /** Index of the layer in the network. */
  readonly layer: number;
  /** The layer's units (rows of W) the block's features depend on, increasing. */
  readonly units: Tensor;
  readonly width: number;
  /** Their inputs that are neither masked out nor zeros (columns of W), increasing; undefined if none. */
  readonly inputs?: Tensor;
  /** The mask on those rows and columns. */
  readonly mask?: Tensor;
}

/**
 * The units of each layer that block b's features depend on, found backwards
 * through the masks, and of the inputs only the dimensions before block b
 * (the later ones are zeros while block b is sampled). Every term left out is
 * a product with a masked weight or with a zero input, so the remaining sums
 * are those of the full network in the same order. From the last layer that
 * reads nothing (it gives its biases) on; the layers before it are not needed.
 */
function blockPlan(masks: readonly (readonly (readonly number[])[])[], layout: BlockLayout, features: number, b: number): PlanLayer[] {
  const start = b * layout.blockSize, end = Math.min(layout.dim, start + layout.blockSize);
  let need = Array.from({ length: features }, (_, c) => Array.from({ length: end - start }, (_, j) => c * layout.dim + start + j)).flat();
  const layers: { units: number[]; inputs: number[] }[] = [];
  for (let l = masks.length - 1; l >= 0; l--) {
    const m = masks[l]!;
    const width = l === 0 ? start : m[0]!.length;
    const inputs = Array.from({ length: width }, (_, i) => i).filter((i) => need.some((o) => m[o]![i] === 1));
    layers.unshift({ units: need, inputs });
    need = inputs;
  }
  const first = Math.max(0, layers.map((l) => l.inputs.length === 0).lastIndexOf(true));
  const index = (v: readonly number[]) => tensor(Int32Array.from(v), [v.length]);
  return layers.slice(first).map(({ units, inputs }, i) => ({
    layer: first + i, units: index(units), width: units.length,
    ...(inputs.length === 0 ? {} : {
      inputs: index(inputs),
      mask: tensor(Float32Array.from(units.flatMap((o) => inputs.map((c) => masks[first + i]![o]![c]!))), [units.length, inputs.length]),
    }),
  }));
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
