import { actNorm as actNormLayer, type AnyTransform } from '@rheo/flows';
import { split, type Key } from '@rheo/tensor';
import type { OptionSpec } from '../options.js';

/** Options several presets share, with one wording. */
export const COMMON = {
  hidden: (d: readonly number[]): OptionSpec => ({ type: 'integers', min: 1, minLength: 1, default: d, doc: 'hidden widths of each conditioner network' }),
  context: { type: 'integer', min: 0, default: 0, doc: 'width of the conditioning context (0: unconditional)' } as OptionSpec,
  actNorm: { type: 'boolean', default: true, doc: 'an ActNorm layer at the data end and between layers (set from data by model.initialize)' } as OptionSpec,
  activation: { type: 'choice', values: ['relu', 'tanh', 'elu', 'swish'], default: 'relu', doc: 'hidden nonlinearity of the conditioners' } as OptionSpec,
  scaleClamp: { type: 'number', min: 0, exclusive: true, default: 3, doc: 'soft clamp c of each log-scale, c·tanh(s/c)' } as OptionSpec,
} as const;

/**
 * n layers made by `layer(i, key_i)`, each preceded by an ActNorm over d
 * features when `actNorm` is on (and one more after the last with `trailing`);
 * the n keys are `split(k, n)`. The layer list of every built-in preset, and of
 * layer packages' presets (`@rheo/splines`' nsf), so that all of them place
 * their ActNorm layers the same way.
 */
export function stack(k: Key, d: number, n: number, actNorm: boolean, layer: (i: number, k: Key) => AnyTransform, trailing = false): AnyTransform[] {
  const keys = split(k, n);
  const layers: AnyTransform[] = [];
  for (let i = 0; i < n; i++) {
    if (actNorm) layers.push(actNormLayer(d));
    layers.push(layer(i, keys[i]!));
  }
  if (actNorm && trailing) layers.push(actNormLayer(d));
  return layers;
}
