import { applyMaskedLinear, maskedLinear, type LinearParams } from '@rheo/nn';
import {
  ArgumentError, concat, elu, fold, gather, matmulBias, normal, release, sliceAxis, split, tanh, tensor, tidy, uniform, zeros, type Key, type Tensor, type TensorTree,
} from '@rheo/tensor';
import { madeConditioner, type MadeConditionerParams } from '../made-conditioner.js';
import type { TransformOptions } from '../transform.js';
import { blockLayout, type BlockLayout } from './block-layout.js';
import { blockMadeConditioner, checkInput, condition, type Conditioner, type ConditionerOptions } from './conditioner.js';
import { generatorContext } from './generator-context.js';

/**
 * Options of `semiAutoregressiveGenerator`: the conditioner's, and the width and depth of the
 * per-block generator networks G_b.
 */
export interface SemiAutoregressiveGeneratorOptions extends ConditionerOptions {
  /** Block size k: 1 is fully autoregressive, d non-autoregressive (one pass). */
  readonly blockSize: number;
  /** Conditioner features per dimension; default 4. */
  readonly features?: number;
  /** Hidden units per block in each generator layer; default 16. */
  readonly generatorHidden?: number;
  /** Hidden layers of the within-block generator; default 2. */
  readonly generatorLayers?: number;
  readonly activation?: 'tanh' | 'elu';
  /**
   * Replaces the block-MADE conditioner; must return [n, features·d] and read
   * the context when `contextDim` > 0.
   */
  readonly conditioner?: Conditioner;
  /** Width of the context [n, contextDim] (or one row [1, contextDim]); 0 (default) for none. */
  readonly contextDim?: number;
}

/**
 * Parameters of a `semiAutoregressiveGenerator`: its conditioner and its block-diagonal generator
 * network.
 */
export type SemiAutoregressiveGeneratorParams = {
  readonly conditioner: TensorTree;
  readonly generator: LinearParams[];
};

/**
 * A sampler, not a transform: it has no inverse and no density, and is
 * trained from samples alone (the energy objective).
 */
export interface SemiAutoregressiveGenerator {
  readonly kind: 'semi-autoregressive-generator';
  readonly layout: BlockLayout;
  /** Width of the context the generator reads; 0 when it is unconditional. */
  readonly contextDim: number;
  readonly params: SemiAutoregressiveGeneratorParams;
  /** One pass x ↦ G(ε, conditioner(x, context)); x = generate(ε, context) is its fixed point. */
  step(params: SemiAutoregressiveGeneratorParams, noise: Tensor, x: Tensor, context?: Tensor): Tensor;
  /**
   * x from noise ε [n, d], in ⌈d/k⌉ conditioner passes; differentiable in
   * params, ε and the context ([n, c], or one row [1, c] shared by all rows).
   */
  generate(params: SemiAutoregressiveGeneratorParams, noise: Tensor, context?: Tensor): Tensor;
  /** n samples, ε ~ N(0, I) drawn from the key, given `options.context` when the generator has one. */
  sample(params: SemiAutoregressiveGeneratorParams, k: Key, n: number, options?: TransformOptions): Tensor;
}

function positive(v: number, name: string): number {
  if (!Number.isInteger(v) || v < 1) throw new ArgumentError(`semiAutoregressiveGenerator(${name}): received ${v}; expected a positive integer`);
  return v;
}

/** 0/1 mask [out, in]: a connection only inside one block, so the generator is block-diagonal. */
function sameBlockMask(outBlocks: readonly number[], inBlocks: readonly number[]): number[][] {
  return outBlocks.map((bo) => inBlocks.map((bi) => (bo === bi ? 1 : 0)));
}

/**
 * Semi-autoregressive energy flow (Si, Chen, Sahoo,
 * Schiff & Kuleshov 2023, arXiv:2206.06672), sampling side: x_b = G_b(ε_b, h_b(x_<b)) where
 * h = conditioner(x) is block-autoregressive and G is an unconstrained
 * network that sees only block b's noise and features, so all dimensions of
 * a block come out at once and mix freely. ∂x_b/∂ε_c = 0 for c > b. Within
 * a block G need not be invertible, which is why only sampling is defined.
 * All G_b are one block-diagonal masked MLP: `step` runs it whole, while
 * `generate` and `sample` compute only block t in pass t (its rows and columns
 * of each layer, and the default conditioner's last layer on its features
 * only), about 1/⌈d/k⌉ of the generator's multiply-adds.
 *
 * With `contextDim` > 0 it samples q(x | c), a conditional (amortized)
 * sampler: the default conditioner is a block-MADE whose first hidden layer
 * and outputs are shifted by linear maps of the context (as in a conditional
 * MAF, Papamakarios et al. 2017, arXiv:1705.07057), so every block's
 * features, block 0's included, read c; the energy score stays a proper
 * scoring rule for each c, so E_c ES(q(· | c), x) trains it from (x, c)
 * pairs alone. Its conditioner parameters are then `{ made, context }`.
 */
export function semiAutoregressiveGenerator(k: Key, dim: number, options: SemiAutoregressiveGeneratorOptions): SemiAutoregressiveGenerator {
  const layout = blockLayout(dim, options.blockSize, 'semiAutoregressiveGenerator');
  const features = positive(options.features ?? 4, 'features');
  const perBlock = positive(options.generatorHidden ?? 16, 'generatorHidden');
  const layers = options.generatorLayers ?? 2;
  if (!Number.isInteger(layers) || layers < 0) throw new ArgumentError(`semiAutoregressiveGenerator(generatorLayers): received ${layers}; expected an integer >= 0`);
  const act = options.activation === 'elu' ? (x: Tensor) => elu(x) : tanh;
  const contextDim = options.contextDim ?? 0;
  if (!Number.isInteger(contextDim) || contextDim < 0) throw new ArgumentError(`semiAutoregressiveGenerator(contextDim): received ${contextDim}; expected an integer >= 0`);
  const [kc, kg] = split(k, 2);
  const cond: Conditioner = options.conditioner ?? (contextDim === 0
    ? blockMadeConditioner(kc!, layout, features, options)
    : contextConditioner(kc!, layout, features, contextDim, options));
  const inBlocks = [...layout.blockOf, ...Array.from({ length: features * dim }, (_, i) => layout.blockOf[i % dim]!)];
  const hiddenBlocks = Array.from({ length: perBlock * layout.count }, (_, u) => Math.floor(u / perBlock));
  const widths = [inBlocks, ...Array.from({ length: layers }, () => hiddenBlocks), layout.blockOf];
  const keys = split(kg!, widths.length - 1);
  // Glorot uniform over the connections a unit really has (one block's), not the full masked width.
  const fanIn = (bs: readonly number[]) => bs.filter((b) => b === 0).length;
  const net = keys.map((ki, l) => {
    const a = Math.sqrt(6 / (fanIn(widths[l]!) + fanIn(widths[l + 1]!)));
    const weightInit = (kw: Key, shape: readonly number[]) => uniform(kw, shape, -a, a);
    return maskedLinear(ki, widths[l]!.length, widths[l + 1]!.length, sameBlockMask(widths[l + 1]!, widths[l]!), { weightInit });
  });
  const masks = net.map((m) => m.mask);
  const who = 'semiAutoregressiveGenerator';

  const step = (p: SemiAutoregressiveGeneratorParams, noise: Tensor, x: Tensor, c: Tensor | undefined): Tensor => {
    let h = concat([noise, condition(cond, p.conditioner, x, features * dim, who, c)], 1);
    p.generator.forEach((l, i) => {
      h = applyMaskedLinear(l, masks[i]!, h);
      if (i < p.generator.length - 1) h = act(h);
    });
    return h;
  };
  // Sampling computes, in pass t, block t's outputs only: the other blocks of a full pass are either
  // final already (blocks < t) or not yet (blocks > t), and the generator is block-diagonal, so
  // G_t reads only block t's noise and features. Block t's weights are the full layers' rows and
  // columns of that block: the same terms in the same order as the masked full product, whose
  // other terms are zeros, at about 1/⌈d/k⌉ of its multiply-adds.
  const blockParts = Array.from({ length: layout.count }, (_, t) => {
    const s = t * layout.blockSize, e = Math.min(dim, s + layout.blockSize);
    const dims = Array.from({ length: e - s }, (_, j) => s + j);
    const featureCols = Array.from({ length: features }, (_, c) => dims.map((j) => c * dim + j)).flat();
    const range = (a: number, b: number) => [a, b] as const;
    // Per generator layer: the block's output units (rows of W) and input units (columns of W).
    const rows = widths.slice(1).map((_, l) => (l === widths.length - 2 ? range(s, e) : range(perBlock * t, perBlock * (t + 1))));
    return {
      start: s, end: e, rows,
      // The block's columns of the first layer: its noise, then its features in the full order.
      firstColumns: tensor(Int32Array.from([...dims, ...featureCols.map((c) => dim + c)]), [dims.length * (1 + features)]),
      featureColumns: tensor(Int32Array.from(featureCols), [featureCols.length]),
    };
  });
  const blockWeights = (p: SemiAutoregressiveGeneratorParams, t: number): LinearParams[] => {
    const part = blockParts[t]!;
    return p.generator.map((l, i) => {
      const [r0, r1] = part.rows[i]!;
      const w = sliceAxis(l.w, 0, r0, r1);
      const [c0, c1] = i === 0 ? [0, 0] : part.rows[i - 1]!;
      return { w: i === 0 ? gather(w, part.firstColumns, 1) : sliceAxis(w, 1, c0, c1), b: sliceAxis(l.b, 0, r0, r1) };
    });
  };
  const generate = (p: SemiAutoregressiveGeneratorParams, noise: Tensor, context?: Tensor): Tensor => {
    checkInput(noise, dim, `${who}.generate`);
    const n = noise.shape[0]!;
    const c = generatorContext(context, contextDim, n, `${who}.generate`);
    // Pass t computes block t from the blocks before it (zeros stand for the later ones, which
    // block t's features do not read).
    const done: Tensor[] = [];
    // One pass per scope, so only the blocks' outputs outlive it (unless a gradient trace needs more).
    for (let t = 0; t < layout.count; t++) done.push(tidy(() => {
      const part = blockParts[t]!;
      const prefix = done.length === 0 ? undefined : done.length === 1 ? done[0]! : concat([...done], 1);
      const feats = cond.blockFeatures && c === undefined
        ? cond.blockFeatures(p.conditioner, prefix, t, n)
        : gather(condition(cond, p.conditioner, prefix === undefined ? zeros([n, dim]) : concat([prefix, zeros([n, dim - part.start])], 1), features * dim, who, c), part.featureColumns, 1);
      let h = concat([sliceAxis(noise, 1, part.start, part.end), feats], 1);
      blockWeights(p, t).forEach((l, i) => {
        h = matmulBias(h, l.w, l.b, { transposeB: true });
        if (i < p.generator.length - 1) h = act(h);
      });
      return h;
    }));
    if (done.length === 1) return done[0]!;
    const x = concat(done, 1);
    done.forEach(release);
    return x;
  };
  return {
    kind: 'semi-autoregressive-generator',
    layout,
    contextDim,
    params: { conditioner: cond.params, generator: net.map((m) => m.params) },
    step: (p, noise, x, context) => {
      checkInput(noise, dim, `${who}.step`);
      checkInput(x, dim, `${who}.step`);
      return step(p, noise, x, generatorContext(context, contextDim, noise.shape[0]!, `${who}.step`));
    },
    generate,
    sample: (p, key, n, o) => {
      if (!Number.isInteger(n) || n < 1) throw new ArgumentError(`${who}.sample(n): received ${n}; expected a positive integer`);
      return generate(p, normal(key, [n, dim]), o?.context);
    },
  };
}

/** The block-MADE conditioner with context maps (see `madeConditioner`): parameters `{ made, context }`. */
function contextConditioner(k: Key, layout: BlockLayout, features: number, contextDim: number, options: ConditionerOptions): Conditioner {
  const net = madeConditioner({ made: k, context: fold(k, 1) }, layout.dim, {
    hidden: options.hidden ?? [32, 32], activation: 'tanh', blockSize: layout.blockSize, outputsPerInput: features, contextDim,
  }, 'semiAutoregressiveGenerator');
  return { params: net.params, apply: (p, x, c) => net.apply(p as MadeConditionerParams, x, c) };
}
