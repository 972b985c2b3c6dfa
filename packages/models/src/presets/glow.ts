import {
  actNorm, affineCoupling, compose, luLinear, multiscale, reshapeEvent, standardNormal, type AnyTransform,
} from '@rheo/flows';
import { ArgumentError, fold, type Key } from '@rheo/tensor';
import type { FlowModel } from '../model.js';
import type { OptionSchema } from '../options.js';
import { buildPreset, registerPreset, type FlowPreset } from '../registry.js';
import { COMMON } from './common.js';

/** Options of `glow`. */
export interface GlowOptions {
  /** Image shape [channels, height, width] of the flat rows; default [1, √features, √features]. */
  readonly image?: readonly [number, number, number];
  /** Multiscale levels L; default 2. */
  readonly levels?: number;
  /** Steps of flow K per level (ActNorm, LU 1×1, coupling); default 4. */
  readonly steps?: number;
  /** Coupling conditioner hidden widths; default [256]. */
  readonly hidden?: readonly number[];
  readonly context?: number;
}

const schema: OptionSchema = {
  image: { type: 'integers', min: 1, minLength: 3, maxLength: 3, default: null, doc: 'image shape [c, h, w] of the flat rows' },
  levels: { type: 'integer', min: 1, default: 2, doc: 'multiscale levels' },
  steps: { type: 'integer', min: 1, default: 4, doc: 'steps of flow per level' },
  hidden: COMMON.hidden([256]),
  context: COMMON.context,
};

function imageShape(features: number, given: readonly number[] | undefined): [number, number, number] {
  if (given !== undefined) {
    if (given[0]! * given[1]! * given[2]! !== features) {
      throw new ArgumentError(`glow(options.image): received [${given.join(', ')}] (${given[0]! * given[1]! * given[2]!} values); expected c·h·w = features = ${features}`);
    }
    return [given[0]!, given[1]!, given[2]!];
  }
  const side = Math.round(Math.sqrt(features));
  if (side * side !== features) throw new ArgumentError(`glow(options.image): features = ${features} is not a square; expected options.image = [c, h, w]`);
  return [1, side, side];
}

/**
 * A Glow-style image flow (Kingma & Dhariwal 2018, arXiv:1807.03039) on
 * flat rows: the multiscale architecture with L levels of K steps, each step
 * ActNorm → invertible 1×1 convolution in LU form → affine coupling on half
 * the channels. Couplings condition through an MLP on the flattened half
 * (not a convolutional net), which suits small images such as 8×8 digits.
 */
export const GLOW: FlowPreset = {
  kind: 'flow',
  name: 'glow',
  description: 'Glow: multiscale ActNorm + LU 1×1 + affine coupling',
  schema,
  minFeatures: 4,
  build(k, d, o) {
    const [c, h, w] = imageShape(d, o['image'] as number[] | undefined);
    const levels = o['levels'] as number;
    if (h % 2 ** levels !== 0 || w % 2 ** levels !== 0) {
      throw new ArgumentError(`glow(options.levels): received ${levels}; expected height ${h} and width ${w} divisible by 2^levels = ${2 ** levels}`);
    }
    const level = Array.from({ length: levels }, (_, l) => {
      const shape = [4 * c * 2 ** l, h / 2 ** (l + 1), w / 2 ** (l + 1)] as const;
      const steps: AnyTransform[] = [];
      for (let s = 0; s < (o['steps'] as number); s++) {
        const ks = fold(k, 1000 * l + s);
        steps.push(actNorm(shape[0]), luLinear(fold(ks, 1), shape[0]), affineCoupling(fold(ks, 2), shape, {
          mask: 'half', flip: s % 2 === 1, hidden: o['hidden'] as number[], contextDim: o['context'] as number,
        }));
      }
      return compose(steps);
    });
    const layers: AnyTransform[] = [reshapeEvent([d], [c, h, w]), actNorm(c), multiscale([c, h, w], level)];
    return { base: standardNormal(d), layers, contextFeatures: o['context'] as number };
  },
};
registerPreset(GLOW);

/** A Glow-style image flow over flat rows of `features` pixels (see `GLOW`). */
export function glow(key: Key, features: number, options: GlowOptions = {}): FlowModel {
  return buildPreset(GLOW, key, features, options);
}
