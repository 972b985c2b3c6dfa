import { forward, inverse, type Buffers } from '@rheo/flows';
import { maf, realNVP, residualFlow as residualPreset, saef, type Model } from '@rheo/models';
import type { StateTree } from '@rheo/nn';
import { nsf } from '@rheo/splines';
import type { Key, Tensor, TensorTree } from '@rheo/tensor';

/**
 * A model the suites can train and measure: a preset of @rheo/models under
 * the name the report uses. Flows have a density; the semi-autoregressive
 * sampler only samples (trained by the energy score). `sample` is
 * differentiable in `params` (reparameterised), so it serves the energy
 * objective as well as evaluation.
 */
export interface BenchModel {
  readonly name: string;
  readonly model: Model;
  readonly params: TensorTree;
  readonly buffers: StateTree;
  sample(params: TensorTree, buffers: StateTree, key: Key, n: number): Tensor;
  /** log p(x) per row, [n]; training selects stochastic estimators (Russian roulette). */
  readonly logProb?: (params: TensorTree, buffers: StateTree, x: Tensor, key: Key, training: boolean) => Tensor;
  /** x ↦ f⁻¹(f(x)), for the round-trip error; flows only. */
  readonly roundTrip?: (params: TensorTree, buffers: StateTree, x: Tensor) => Tensor;
  readonly updateBuffers?: (params: TensorTree, buffers: StateTree) => StateTree;
  /** Network passes one sample costs (⌈d/k⌉ for block-autoregressive samplers). */
  readonly samplePasses: number;
}

/** The bench's view of a preset model. */
export function benchModel(name: string, model: Model, samplePasses: number): BenchModel {
  if (model.kind === 'sampler') {
    return { name, model, params: model.params, buffers: null, sample: (p, _b, k, n) => model.sampleWith(p, k, n), samplePasses: model.passes };
  }
  const t = model.flow.transform;
  const spec = model.fitSpec;
  return {
    name,
    model,
    params: model.params,
    buffers: model.buffers,
    sample: (p, b, k, n) => model.sample(n, { key: k, params: p, buffers: b }),
    logProb: (p, b, x, k, training) => model.logProb(x, { params: p, buffers: b, key: k, training }),
    roundTrip: (p, b, x) => inverse(t, p as TensorTree[], b as Buffers[], forward(t, p as TensorTree[], b as Buffers[], x)),
    ...(spec.updateBuffers ? { updateBuffers: spec.updateBuffers } : {}),
    samplePasses,
  };
}

/** The same bench model with its ActNorm layers set from `x` (data-dependent initialisation); samplers are returned as they are. */
export function initialized(m: BenchModel, x: Tensor): BenchModel {
  return m.model.kind === 'flow' ? benchModel(m.name, m.model.initialize(x), m.samplePasses) : m;
}

export interface ModelSize {
  readonly layers: number;
  readonly hidden: readonly number[];
  /** ActNorm between layers (set from the training data); default true. */
  readonly actNorm?: boolean;
}

/** RealNVP (Dinh et al. 2017, arXiv:1605.08803), the `realNVP` preset. */
export function couplingFlow(k: Key, dim: number, size: ModelSize): BenchModel {
  return benchModel('realnvp', realNVP(k, dim, { transforms: size.layers, hidden: size.hidden, actNorm: size.actNorm ?? true }), 1);
}

/** MAF with alternating natural/reversed orders (Papamakarios et al. 2017, arXiv:1705.07057), the `maf` preset. */
export function mafFlow(k: Key, dim: number, size: ModelSize): BenchModel {
  return benchModel('maf', maf(k, dim, { transforms: size.layers, hidden: size.hidden, actNorm: size.actNorm ?? true }), dim * size.layers);
}

/** Neural spline flow, RQ-NSF (C) (Durkan et al. 2019, arXiv:1906.04032): the `nsf` preset of @rheo/splines, 8 bins on [−3, 3]. */
export function nsfFlow(k: Key, dim: number, size: ModelSize & { readonly bins?: number }): BenchModel {
  return benchModel('nsf', nsf(k, dim, { transforms: size.layers, hidden: size.hidden, actNorm: size.actNorm ?? true, ...(size.bins ? { bins: size.bins } : {}) }), 1);
}

/**
 * A residual flow (Chen et al. 2019, arXiv:1906.02735), the `residualFlow`
 * preset: its log-det is exact for small d and the Russian-roulette series in
 * training otherwise; evaluation is exact.
 */
export function residualFlow(k: Key, dim: number, size: ModelSize & { readonly coeff?: number; readonly beta?: number }): BenchModel {
  const extra = { ...(size.coeff ? { coeff: size.coeff } : {}), ...(size.beta ? { beta: size.beta } : {}) };
  return benchModel('residual', residualPreset(k, dim, { blocks: size.layers, hidden: size.hidden, ...extra }), Number.NaN);
}

/** The semi-autoregressive energy flow's sampler with block size k (Si et al. 2023, arXiv:2206.06672), the `saef` preset. */
export function saefGenerator(k: Key, dim: number, blockSize: number, size: ModelSize): BenchModel {
  return benchModel(`saef-k${blockSize}`, saef(k, dim, { blockSize, hidden: size.hidden }), 0);
}
