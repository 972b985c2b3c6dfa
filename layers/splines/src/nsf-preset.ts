import { standardNormal } from '@rheo/flows';
import { buildPreset, registerPreset, stackLayers, type FlowModel, type FlowPreset, type OptionSchema } from '@rheo/models';
import type { Key } from '@rheo/tensor';
import { splineAutoregressive } from './spline-autoregressive.js';
import { splineCoupling } from './spline-coupling.js';

type Activation = 'relu' | 'tanh' | 'elu' | 'swish';

/** Options of `nsf`. */
export interface NsfOptions {
  /** 'coupling' (RQ-NSF (C), default) or 'autoregressive' (RQ-NSF (AR)). */
  readonly form?: 'coupling' | 'autoregressive';
  /** Spline layers; default 5. */
  readonly transforms?: number;
  /** Conditioner hidden widths; default [64, 64]. */
  readonly hidden?: readonly number[];
  /** Bins K per spline; default 8. */
  readonly bins?: number;
  /** Tail bound B: splines on [−B, B], identity outside; default 3. */
  readonly bound?: number;
  /** Context width for a conditional flow; default 0. */
  readonly context?: number;
  /** ActNorm at the data end and between spline layers; default true. */
  readonly actNorm?: boolean;
  readonly activation?: Activation;
}

const schema: OptionSchema = {
  form: { type: 'choice', values: ['coupling', 'autoregressive'], default: 'coupling', doc: 'spline coupling (RQ-NSF (C)) or autoregressive (RQ-NSF (AR)) layers' },
  transforms: { type: 'integer', min: 1, default: 5, doc: 'spline layers' },
  hidden: { type: 'integers', min: 1, minLength: 1, default: [64, 64], doc: 'hidden widths of each conditioner network' },
  bins: { type: 'integer', min: 1, default: 8, doc: 'bins K of each rational-quadratic spline' },
  bound: { type: 'number', min: 0, exclusive: true, default: 3, doc: 'tail bound B: splines on [−B, B], identity outside' },
  context: { type: 'integer', min: 0, default: 0, doc: 'width of the conditioning context (0: unconditional)' },
  actNorm: { type: 'boolean', default: true, doc: 'an ActNorm layer at the data end and between layers (set from data by model.initialize), keeping the data on the splines\' [−B, B]' },
  activation: { type: 'choice', values: ['relu', 'tanh', 'elu', 'swish'], default: 'relu', doc: 'hidden nonlinearity of the conditioners' },
};

/**
 * Neural spline flow (Durkan, Bekasov, Murray & Papamakarios 2019,
 * arXiv:1906.04032): rational-quadratic spline layers, coupling (the kept
 * half alternating: first/second half, and for d > 2 even/odd entries every
 * other pair) or autoregressive (natural and reversed orders in turn), each
 * preceded by an ActNorm whose data initialisation puts the batch at zero
 * mean and unit variance, well inside the tail bound B = 3 where the
 * splines act. Registered as 'nsf' when `@rheo/splines` is imported.
 */
export const NSF: FlowPreset = {
  kind: 'flow',
  name: 'nsf',
  description: 'Neural spline flow: rational-quadratic spline couplings or autoregressive layers with ActNorm',
  package: '@rheo/splines',
  schema,
  minFeatures: 2,
  build(k, d, o) {
    const spline = { bins: o['bins'] as number, bound: o['bound'] as number };
    const common = { hidden: o['hidden'] as number[], contextDim: o['context'] as number, activation: o['activation'] as Activation, ...spline };
    const layers = stackLayers(k, d, o['transforms'] as number, o['actNorm'] === true, (i, ki) => (o['form'] === 'autoregressive'
      ? splineAutoregressive(ki, d, { ...common, order: i % 2 === 0 ? 'natural' : 'reversed' })
      : splineCoupling(ki, d, { ...common, mask: d > 2 && i % 4 >= 2 ? 'alternating' : 'half', flip: i % 2 === 1 })));
    return { base: standardNormal(d), layers, contextFeatures: o['context'] as number };
  },
};
registerPreset(NSF);

/** A neural spline flow over `features` dimensions (see `NSF`); also `createModel('nsf', …)` and `loadModel` once this package is imported. */
export function nsf(key: Key, features: number, options: NsfOptions = {}): FlowModel {
  return buildPreset(NSF, key, features, options);
}
