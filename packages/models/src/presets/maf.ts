import { maf as mafLayer, standardNormal } from '@rheo/flows';
import type { ActivationName } from '@rheo/nn';
import type { Key } from '@rheo/tensor';
import type { FlowModel } from '../model.js';
import type { OptionSchema } from '../options.js';
import { buildPreset, registerPreset, type FlowPreset } from '../registry.js';
import { COMMON, stack } from './common.js';

/** Options of `maf`. */
export interface MafPresetOptions {
  /** MADE layers; default 5 (the paper's MAF 5). */
  readonly transforms?: number;
  /** MADE hidden widths; default [64, 64]. */
  readonly hidden?: readonly number[];
  readonly context?: number;
  /** ActNorm at the data end and between layers; default true. */
  readonly actNorm?: boolean;
  /** 'alternate' (natural, reversed, …) or 'random' orders from the key; default 'alternate'. */
  readonly order?: 'alternate' | 'random';
  readonly activation?: Exclude<ActivationName, 'lipSwish'>;
  readonly scaleClamp?: number;
}

const schema: OptionSchema = {
  transforms: { type: 'integer', min: 1, default: 5, doc: 'MADE layers' },
  hidden: COMMON.hidden([64, 64]),
  context: COMMON.context,
  actNorm: COMMON.actNorm,
  order: { type: 'choice', values: ['alternate', 'random'], default: 'alternate', doc: 'autoregressive orders of the layers' },
  activation: COMMON.activation,
  scaleClamp: COMMON.scaleClamp,
};

/**
 * Masked autoregressive flow (Papamakarios, Pavlakou & Murray 2017,
 * arXiv:1705.07057): MADE layers with natural and reversed orders in turn,
 * ActNorm at the data end and between layers where the paper has batch
 * normalisation. Density in one pass; sampling costs d passes per layer.
 */
export const MAF: FlowPreset = {
  kind: 'flow',
  name: 'maf',
  description: 'MAF: MADE layers with alternating orders and ActNorm',
  schema,
  minFeatures: 1,
  build(k, d, o) {
    const layers = stack(k, d, o['transforms'] as number, o['actNorm'] === true, (i, ki) => mafLayer(ki, d, {
      order: o['order'] === 'random' ? 'random' : i % 2 === 0 ? 'natural' : 'reversed',
      hidden: o['hidden'] as number[], contextDim: o['context'] as number,
      activation: o['activation'] as ActivationName, scaleClamp: o['scaleClamp'] as number,
    }));
    return { base: standardNormal(d), layers, contextFeatures: o['context'] as number };
  },
};
registerPreset(MAF);

/** A masked autoregressive flow over `features` dimensions (see `MAF`). */
export function maf(key: Key, features: number, options: MafPresetOptions = {}): FlowModel {
  return buildPreset(MAF, key, features, options);
}
