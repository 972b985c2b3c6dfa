import type { Model } from '@rheo/models';
import type { GraphKind } from './export-onnx.js';

/**
 * Steps of the fixed-point inverse x ← y − g(x) when no value can be read back (WebGPU and
 * export): the `unverifiedIterations` default of the residual block.
 */
export const FIXED_POINT_STEPS = 100;

/**
 * Metadata saying how the exported pass computes what a reader cannot see from the operators:
 * the log-determinant rule (`rheo.logdet`) and, for passes through an inverse, how it is unrolled
 * (`rheo.inverse`). A residual flow's inverse is a fixed number of contraction steps; with
 * Lip(g) ≤ L < 1 the error after N steps is at most L^N/(1 − L)·‖g(y)‖ (Behrmann et al. 2019,
 * arXiv:1811.00995), recorded here.
 */
export function graphNotes(model: Model, graph: GraphKind, steps: number): Record<string, string> {
  const o = model.options as Readonly<Record<string, unknown>>;
  const d = model.features;
  const notes: Record<string, string> = {};
  if (model.kind === 'sampler') {
    notes['rheo.logdet'] = 'none: a sampler without a density';
    notes['rheo.inverse'] = `generator: ${model.passes} sequential conditioner passes, unrolled`;
    return notes;
  }
  if (graph !== 'sample') {
    notes['rheo.logdet'] = model.preset === 'residual-flow'
      ? 'exact: the dense Jacobian of each block, carried through its network in the same pass, log|det| by LU without pivoting'
      : 'exact: closed form of each layer';
  }
  if (graph === 'sample' || graph === 'inverse') {
    const form = o['form'];
    if (model.preset === 'maf' || (model.preset === 'nsf' && form === 'autoregressive')) {
      notes['rheo.inverse'] = `autoregressive layers unrolled: ${d} sequential passes per layer (no ONNX Loop)`;
    } else if (model.preset === 'residual-flow') {
      const lip = lipschitzBound(model)!;
      const bound = Math.pow(lip, steps) / (1 - lip);
      notes['rheo.inverse'] =
        `fixed point x ← y − g(x), ${steps} steps per block, unrolled; Lip(g) ≤ ${lip.toPrecision(4)}, so the error is at most ` +
        `${bound.toExponential(2)}·‖g(y)‖; rows whose last step exceeds 1e-5 + 1e-5·|x| come out NaN`;
    } else notes['rheo.inverse'] = 'closed form of each layer';
  }
  return notes;
}

/** Lip(g) ≤ coeff^(layers of g) of a residual-flow preset's blocks; undefined for other presets. */
export function lipschitzBound(model: Model): number | undefined {
  if (model.preset !== 'residual-flow') return undefined;
  const o = model.options as Readonly<Record<string, unknown>>;
  const hidden = (o['hidden'] as readonly number[] | undefined) ?? [];
  return Math.pow(Number(o['coeff']), hidden.length + 1);
}
