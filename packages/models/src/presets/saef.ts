import { semiAutoregressiveGenerator, type SemiAutoregressiveGeneratorParams } from '@rheo/flows';
import type { Key } from '@rheo/tensor';
import type { SamplerModel } from '../model.js';
import type { OptionSchema } from '../options.js';
import { buildPreset, registerPreset, type SamplerPreset } from '../registry.js';
import { COMMON } from './common.js';

/** Options of `saef`. */
export interface SaefOptions {
  /** Block size k (1: autoregressive, d: one pass); default ⌈d/2⌉ (0 means that default). */
  readonly blockSize?: number;
  /** Conditioner hidden widths; default [64, 64]. */
  readonly hidden?: readonly number[];
  /** Conditioner features per dimension; default 4. */
  readonly conditionerFeatures?: number;
  /** Hidden units per block of the within-block generator; default 16. */
  readonly generatorHidden?: number;
  /** Hidden layers of the within-block generator; default 2. */
  readonly generatorLayers?: number;
  /** Width of the conditioning context; default 0 (unconditional). */
  readonly context?: number;
}

const schema: OptionSchema = {
  blockSize: { type: 'integer', min: 0, default: 0, doc: 'block size k (0: ⌈d/2⌉)' },
  hidden: COMMON.hidden([64, 64]),
  conditionerFeatures: { type: 'integer', min: 1, default: 4, doc: 'conditioner features per dimension' },
  generatorHidden: { type: 'integer', min: 1, default: 16, doc: 'hidden units per block of the generator' },
  generatorLayers: { type: 'integer', min: 1, default: 2, doc: 'hidden layers of the generator' },
  context: COMMON.context,
};

/**
 * The semi-autoregressive energy flow's sampler (Si, Kuleshov et al. 2023,
 * arXiv:2206.06672): blocks of k dimensions generated in ⌈d/k⌉ passes,
 * trained by the energy score from samples alone. It has no density. With a
 * context it samples q(x | context), trained from (x, context) pairs by the
 * expected energy score: an amortized conditional sampler.
 */
export const SAEF: SamplerPreset = {
  kind: 'sampler',
  name: 'saef',
  description: 'Semi-autoregressive energy flow sampler (no density)',
  schema,
  minFeatures: 1,
  build(k, d, o) {
    const blockSize = (o['blockSize'] as number) === 0 ? Math.ceil(d / 2) : Math.min(d, o['blockSize'] as number);
    const g = semiAutoregressiveGenerator(k, d, {
      blockSize, hidden: o['hidden'] as number[], features: o['conditionerFeatures'] as number,
      generatorHidden: o['generatorHidden'] as number, generatorLayers: o['generatorLayers'] as number,
      contextDim: o['context'] as number,
    });
    return {
      params: g.params,
      passes: g.layout.count,
      contextFeatures: g.contextDim,
      sample: (p, key, n, context) => g.sample(p as SemiAutoregressiveGeneratorParams, key, n, context ? { context } : undefined),
      generate: (p, noise, context) => g.generate(p as SemiAutoregressiveGeneratorParams, noise, context),
    };
  },
};
registerPreset(SAEF);

/** A semi-autoregressive energy-flow sampler over `features` dimensions (see `SAEF`). */
export function saef(key: Key, features: number, options: SaefOptions = {}): SamplerModel {
  return buildPreset(SAEF, key, features, options);
}
