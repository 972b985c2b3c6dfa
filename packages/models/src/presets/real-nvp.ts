import { affineCoupling, standardNormal } from '@rheo/flows';
import type { ActivationName } from '@rheo/nn';
import type { Key } from '@rheo/tensor';
import type { FlowModel } from '../model.js';
import type { OptionSchema } from '../options.js';
import { buildPreset, registerPreset, type FlowPreset } from '../registry.js';
import { COMMON, stack } from './common.js';

/** Options of `realNVP`. */
export interface RealNvpOptions {
  /** Affine coupling layers; default 8. */
  readonly transforms?: number;
  /** Conditioner hidden widths; default [64, 64]. */
  readonly hidden?: readonly number[];
  /** Context width for a conditional flow; default 0. */
  readonly context?: number;
  /** ActNorm at the data end and between couplings; default true. */
  readonly actNorm?: boolean;
  readonly activation?: Exclude<ActivationName, 'lipSwish'>;
  readonly scaleClamp?: number;
}

const schema: OptionSchema = {
  transforms: { type: 'integer', min: 1, default: 8, doc: 'affine coupling layers' },
  hidden: COMMON.hidden([64, 64]),
  context: COMMON.context,
  actNorm: COMMON.actNorm,
  activation: COMMON.activation,
  scaleClamp: COMMON.scaleClamp,
};

/**
 * RealNVP (Dinh, Sohl-Dickstein & Bengio 2017, arXiv:1605.08803): affine
 * couplings whose kept half alternates (first half / second half; for d > 2
 * also even / odd entries every other pair), with ActNorm (Glow's
 * data-initialised replacement of the paper's batch normalisation) at the
 * data end and between couplings.
 */
export const REAL_NVP: FlowPreset = {
  kind: 'flow',
  name: 'realnvp',
  description: 'RealNVP: alternating affine couplings with ActNorm',
  schema,
  minFeatures: 2,
  build(k, d, o) {
    const layers = stack(k, d, o['transforms'] as number, o['actNorm'] === true, (i, ki) => affineCoupling(ki, d, {
      mask: d > 2 && i % 4 >= 2 ? 'alternating' : 'half', flip: i % 2 === 1,
      hidden: o['hidden'] as number[], contextDim: o['context'] as number,
      activation: o['activation'] as ActivationName, scaleClamp: o['scaleClamp'] as number,
    }));
    return { base: standardNormal(d), layers, contextFeatures: o['context'] as number };
  },
};
registerPreset(REAL_NVP);

/** A RealNVP flow over `features` dimensions (see `REAL_NVP`). */
export function realNVP(key: Key, features: number, options: RealNvpOptions = {}): FlowModel {
  return buildPreset(REAL_NVP, key, features, options);
}
