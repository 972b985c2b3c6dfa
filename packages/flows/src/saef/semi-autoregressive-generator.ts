import { applyMaskedLinear, maskedLinear, type LinearParams } from '@rheo/nn';
import {
  ArgumentError, concat, elu, normal, release, split, tanh, tidy, uniform, zeros, type Key, type Tensor, type TensorTree,
} from '@rheo/tensor';
import type { TransformOptions } from '../transform.js';
import { blockLayout, type BlockLayout } from './block-layout.js';
import { blockMadeConditioner, checkInput, condition, type Conditioner, type ConditionerOptions } from './conditioner.js';

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
  /** Replaces the block-MADE conditioner; must return [n, features·d]. */
  readonly conditioner?: Conditioner;
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
  readonly params: SemiAutoregressiveGeneratorParams;
  /** One pass x ↦ G(ε, conditioner(x)); x = generate(ε) is its fixed point. */
  step(params: SemiAutoregressiveGeneratorParams, noise: Tensor, x: Tensor): Tensor;
  /** x from noise ε [n, d], in ⌈d/k⌉ conditioner passes; differentiable in params and ε. */
  generate(params: SemiAutoregressiveGeneratorParams, noise: Tensor): Tensor;
  /** n samples, ε ~ N(0, I) drawn from the key. */
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
 * All G_b run as one block-diagonal masked MLP.
 */
export function semiAutoregressiveGenerator(k: Key, dim: number, options: SemiAutoregressiveGeneratorOptions): SemiAutoregressiveGenerator {
  const layout = blockLayout(dim, options.blockSize, 'semiAutoregressiveGenerator');
  const features = positive(options.features ?? 4, 'features');
  const perBlock = positive(options.generatorHidden ?? 16, 'generatorHidden');
  const layers = options.generatorLayers ?? 2;
  if (!Number.isInteger(layers) || layers < 0) throw new ArgumentError(`semiAutoregressiveGenerator(generatorLayers): received ${layers}; expected an integer >= 0`);
  const act = options.activation === 'elu' ? (x: Tensor) => elu(x) : tanh;
  const [kc, kg] = split(k, 2);
  const cond: Conditioner = options.conditioner ?? blockMadeConditioner(kc!, layout, features, options);
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

  const step = (p: SemiAutoregressiveGeneratorParams, noise: Tensor, x: Tensor): Tensor => {
    let h = concat([noise, condition(cond, p.conditioner, x, features * dim, who)], 1);
    p.generator.forEach((l, i) => {
      h = applyMaskedLinear(l, masks[i]!, h);
      if (i < p.generator.length - 1) h = act(h);
    });
    return h;
  };
  const generate = (p: SemiAutoregressiveGeneratorParams, noise: Tensor): Tensor => {
    checkInput(noise, dim, `${who}.generate`);
    // Pass t fixes block t: its features read only blocks < t, already final.
    let x: Tensor = zeros(noise.shape);
    for (let b = 0; b < layout.count; b++) {
      // One pass per scope; the previous x is released unless a gradient trace needs it.
      const prev = x;
      x = tidy(() => step(p, noise, prev));
      release(prev);
    }
    return x;
  };
  return {
    kind: 'semi-autoregressive-generator',
    layout,
    params: { conditioner: cond.params, generator: net.map((m) => m.params) },
    step: (p, noise, x) => {
      checkInput(noise, dim, `${who}.step`);
      checkInput(x, dim, `${who}.step`);
      return step(p, noise, x);
    },
    generate,
    sample: (p, key, n) => {
      if (!Number.isInteger(n) || n < 1) throw new ArgumentError(`${who}.sample(n): received ${n}; expected a positive integer`);
      return generate(p, normal(key, [n, dim]));
    },
  };
}
