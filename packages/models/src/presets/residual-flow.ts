import { residualBlock, standardNormal, type LipschitzActivation, type ResidualLogDet } from '@rheo/flows';
import { exactLogDet, russianRouletteLogDet } from '@rheo/objectives';
import type { Key } from '@rheo/tensor';
import type { FlowModel } from '../model.js';
import type { OptionSchema } from '../options.js';
import { buildPreset, registerPreset, type FlowPreset } from '../registry.js';
import { COMMON, stack } from './common.js';

/** Options of `residualFlow`. */
export interface ResidualFlowOptions {
  /** Invertible residual blocks; default 8. */
  readonly blocks?: number;
  /** Hidden widths of each block's g; default [64, 64]. */
  readonly hidden?: readonly number[];
  /** Lipschitz bound c of each layer of g, in (0, 1); default 0.97. */
  readonly coeff?: number;
  readonly activation?: LipschitzActivation;
  /**
   * Initial LipSwish β (default 1, as the paper). Low-dimensional data wants
   * more (the bench's 2-D runs use 30): under the spectral bound each unit's
   * slope is about c·√(d/width), so at β = 1 the units are nearly linear over
   * the data and training idles at the best Gaussian for hundreds of steps.
   */
  readonly beta?: number;
  /** ActNorm at the data end and between blocks (as the Residual Flows code does); default true. */
  readonly actNorm?: boolean;
  /**
   * Training log-determinant: 'exact' (dense Jacobian, d vector–Jacobian
   * products: small d), 'russian-roulette' (the unbiased power-series
   * estimator) or 'auto' (exact for d ≤ 8); evaluation is always exact.
   */
  readonly logDet?: 'auto' | 'exact' | 'russian-roulette';
}

const schema: OptionSchema = {
  blocks: { type: 'integer', min: 1, default: 8, doc: 'invertible residual blocks' },
  hidden: COMMON.hidden([64, 64]),
  coeff: { type: 'number', min: 0, max: 1, exclusive: true, default: 0.97, doc: 'Lipschitz bound of each layer of g' },
  activation: { type: 'choice', values: ['lipSwish', 'elu', 'tanh'], default: 'lipSwish', doc: '1-Lipschitz nonlinearity' },
  beta: { type: 'number', min: 0, exclusive: true, default: 1, doc: 'initial LipSwish β (sharpness of the units)' },
  actNorm: COMMON.actNorm,
  logDet: { type: 'choice', values: ['auto', 'exact', 'russian-roulette'], default: 'auto', doc: 'training log-determinant rule' },
};

/**
 * Residual Flows (Chen, Behrmann, Duvenaud & Jacobsen 2019,
 * arXiv:1906.02735): invertible residual blocks y = x + g(x), Lip(g) < 1, with
 * ActNorm between them. A block changes log-density by at most d·log(1 + c)
 * nats, so the ActNorm layers carry the data's scale. Sampling inverts each
 * block by fixed-point iteration.
 */
export const RESIDUAL_FLOW: FlowPreset = {
  kind: 'flow',
  name: 'residual-flow',
  description: 'Residual flow: Lipschitz-constrained residual blocks with ActNorm',
  schema,
  minFeatures: 1,
  build(k, d, o) {
    const n = o['blocks'] as number;
    const roulette = o['logDet'] === 'russian-roulette' || (o['logDet'] === 'auto' && d > 8);
    // Without a key (a caller's own loop) the training rule falls back to the exact one.
    // One series length per step for all blocks (opts.sharedKey): unbiased, and a jit step then needs one recording per length.
    const series: ResidualLogDet = (g, x, opts) => (opts?.key !== undefined
      ? russianRouletteLogDet(g, x, { key: opts.key, ...(opts.sharedKey ? { truncationKey: opts.sharedKey } : {}) })
      : exactLogDet(g, x));
    const layers = stack(k, d, n, o['actNorm'] === true, (_i, ki) => residualBlock(ki, d, {
      hidden: o['hidden'] as number[], coeff: o['coeff'] as number, activation: o['activation'] as LipschitzActivation, beta: o['beta'] as number,
      logDet: 'exact', trainingLogDet: roulette ? series : 'exact',
    }), true);
    return { base: standardNormal(d), layers, contextFeatures: 0 };
  },
};
registerPreset(RESIDUAL_FLOW);

/** A residual flow over `features` dimensions (see `RESIDUAL_FLOW`). */
export function residualFlow(key: Key, features: number, options: ResidualFlowOptions = {}): FlowModel {
  return buildPreset(RESIDUAL_FLOW, key, features, options);
}
