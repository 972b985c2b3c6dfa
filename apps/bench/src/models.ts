import {
  affineCoupling, flow, logProb, maf, residualBlock, sample, semiAutoregressiveGenerator, standardNormal, updateBuffers,
  type AnyTransform, type Buffers, type Flow, type SemiAutoregressiveGeneratorParams,
} from '@rheo/flows';
import type { StateTree } from '@rheo/nn';
import { exactLogDet, russianRouletteLogDet } from '@rheo/objectives';
import { split, type Key, type Tensor, type TensorTree } from '@rheo/tensor';

/**
 * A model the suites can train and measure. Flows have a density; the
 * semi-autoregressive generator only samples (trained by the energy score).
 * `sample` is differentiable in `params` (reparameterised), so it serves the
 * energy objective as well as evaluation.
 */
export interface BenchModel {
  readonly name: string;
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

function fromFlow(name: string, f: Flow, samplePasses: number): BenchModel {
  const ps = (p: TensorTree) => p as TensorTree[];
  const bs = (b: StateTree) => b as unknown as Buffers[];
  const hasBuffers = f.transform.updateBuffers !== undefined;
  return {
    name,
    params: f.params,
    buffers: f.buffers as unknown as StateTree,
    sample: (p, b, k, n) => sample(f, ps(p), bs(b), k, n),
    logProb: (p, b, x, k, training) => logProb(f, ps(p), bs(b), x, { key: k, training }),
    roundTrip: (p, b, x) => f.transform.inverse!(ps(p), bs(b), f.transform.forward!(ps(p), bs(b), x)),
    ...(hasBuffers ? { updateBuffers: (p: TensorTree, b: StateTree) => updateBuffers(f, ps(p), bs(b)) as unknown as StateTree } : {}),
    samplePasses,
  };
}

export interface ModelSize {
  readonly layers: number;
  readonly hidden: readonly number[];
}

/** RealNVP: affine couplings alternating halves and parities (Dinh et al. 2017, arXiv:1605.08803). */
export function couplingFlow(k: Key, dim: number, size: ModelSize): BenchModel {
  const keys = split(k, size.layers);
  const layers: AnyTransform[] = keys.map((ki, i) =>
    affineCoupling(ki, dim, { mask: dim > 2 && i % 4 >= 2 ? 'alternating' : 'half', flip: i % 2 === 1, hidden: size.hidden }));
  return fromFlow('realnvp', flow(standardNormal(dim), layers), 1);
}

/** MAF with alternating natural/reversed orders (Papamakarios et al. 2017, arXiv:1705.07057). */
export function mafFlow(k: Key, dim: number, size: ModelSize): BenchModel {
  const keys = split(k, size.layers);
  const layers = keys.map((ki, i) => maf(ki, dim, { order: i % 2 === 0 ? 'natural' : 'reversed', hidden: size.hidden }));
  return fromFlow('maf', flow(standardNormal(dim), layers), dim * size.layers);
}

/**
 * A residual flow (Chen et al. 2019, arXiv:1906.02735): invertible residual
 * blocks whose log-det is the unbiased Russian-roulette power series in
 * training and the exact dense Jacobian in evaluation (small d only).
 */
export function residualFlow(k: Key, dim: number, size: ModelSize): BenchModel {
  const keys = split(k, size.layers);
  const layers = keys.map((ki) =>
    residualBlock(ki, dim, {
      hidden: size.hidden,
      activation: 'lipSwish',
      logDet: (g, x, o) => (o?.training && o.key ? russianRouletteLogDet(g, x, { key: o.key }) : exactLogDet(g, x)),
    }));
  return fromFlow('residual', flow(standardNormal(dim), layers), Number.NaN);
}

/** The semi-autoregressive energy flow's sampler with block size k (Si et al. 2023, arXiv:2206.06672). */
export function saefGenerator(k: Key, dim: number, blockSize: number, size: ModelSize): BenchModel {
  const g = semiAutoregressiveGenerator(k, dim, { blockSize, hidden: size.hidden });
  return {
    name: `saef-k${blockSize}`,
    params: g.params as unknown as TensorTree,
    buffers: null,
    sample: (p, _b, key, n) => g.sample(p as unknown as SemiAutoregressiveGeneratorParams, key, n),
    samplePasses: g.layout.count,
  };
}
