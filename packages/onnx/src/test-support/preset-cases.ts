import { perturb } from '@rheo/flows/testing';
import { glow, maf, realNVP, residualFlow, saef, type FlowModel, type Model } from '@rheo/models';
import { nsf } from '@rheo/splines';
import { key, normal, type Tensor, type TensorTree } from '@rheo/tensor';
import type { GraphKind } from '../export-onnx.js';

// Every preset, small, with its parameters moved off their initialisation (ActNorm set from data, then N(0, 0.1²) noise).
export const PRESET_CASES: Array<[string, () => Model, number]> = [
  ['realnvp', () => realNVP(key(1), 4, { transforms: 3, hidden: [16] }), 0],
  ['realnvp conditional', () => realNVP(key(1), 3, { transforms: 2, hidden: [16], context: 2 }), 2],
  ['maf', () => maf(key(2), 4, { transforms: 2, hidden: [16] }), 0],
  ['maf conditional', () => maf(key(2), 3, { transforms: 2, hidden: [16], context: 2 }), 2],
  ['residual-flow', () => residualFlow(key(3), 3, { blocks: 2, hidden: [16] }), 0],
  ['glow', () => glow(key(4), 16, { levels: 2, steps: 2, hidden: [16] }), 0],
  ['nsf (coupling)', () => nsf(key(6), 4, { transforms: 2, hidden: [16] }), 0],
  ['nsf (autoregressive, conditional)', () => nsf(key(6), 3, { transforms: 2, hidden: [16], form: 'autoregressive', context: 2 }), 2],
  ['saef', () => saef(key(5), 5, { blockSize: 2, hidden: [16] }), 0],
  ['saef conditional', () => saef(key(5), 4, { blockSize: 2, hidden: [16], context: 3 }), 3],
];

/** A preset model with its ActNorm layers set from data and its parameters perturbed. */
export function prepared(make: () => Model, c: number): { m: Model; params: TensorTree } {
  const m0 = make();
  const d = m0.features;
  const x = normal(key(40), [64, d]);
  const m = m0.kind === 'flow' ? m0.initialize(x, c > 0 ? { context: normal(key(41), [64, c]) } : undefined) : m0;
  return { m, params: perturb(m.params, key(42), 0.1) };
}

/** rheo's CPU result for a graph kind, by name as the file names its outputs. */
export function reference(m: Model, params: TensorTree, graph: GraphKind, input: Tensor, context?: Tensor): Record<string, Tensor> {
  if (m.kind === 'sampler') return { x: m.generateWith!(params, input, context) };
  const f = (m as FlowModel).flow;
  const o = { training: false, ...(context ? { context } : {}) };
  const ps = params as TensorTree[];
  if (graph === 'logProb') return { logProb: m.logProb(input, { params, ...(context ? { context } : {}) }) };
  if (graph === 'sample') return { x: f.transform.inverse!(ps, m.buffers as never, input, o) };
  const r = graph === 'forward' ? f.transform.forwardAndLogDet(ps, m.buffers as never, input, o) : f.transform.inverseAndLogDet(ps, m.buffers as never, input, o);
  return { [graph === 'forward' ? 'z' : 'x']: r.out, logDet: r.logDet };
}

