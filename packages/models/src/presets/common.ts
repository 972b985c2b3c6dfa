import type { OptionSpec } from '../options.js';

/** Options several presets share, with one wording. */
export const COMMON = {
  hidden: (d: readonly number[]): OptionSpec => ({ type: 'integers', min: 1, minLength: 1, default: d, doc: 'hidden widths of each conditioner network' }),
  context: { type: 'integer', min: 0, default: 0, doc: 'width of the conditioning context (0: unconditional)' } as OptionSpec,
  actNorm: { type: 'boolean', default: true, doc: 'an ActNorm layer at the data end and between layers (set from data by model.initialize)' } as OptionSpec,
  activation: { type: 'choice', values: ['relu', 'tanh', 'elu', 'swish'], default: 'relu', doc: 'hidden nonlinearity of the conditioners' } as OptionSpec,
  scaleClamp: { type: 'number', min: 0, exclusive: true, default: 3, doc: 'soft clamp c of each log-scale, c·tanh(s/c)' } as OptionSpec,
} as const;
