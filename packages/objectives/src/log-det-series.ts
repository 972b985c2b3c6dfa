import {
  keyedValue, ArgumentError, type Key, ShapeError, type Tensor, add, bernoulli, mul, normal, sub, sum, tensor,
} from '@rheo/tensor';
import { checkInteger, checkKeyLike } from './check.js';
import { type RouletteDistribution, checkDistribution, drawTruncations, survival } from './roulette.js';

/** A residual branch g: [n, d] → [n, d] acting on each row separately. */
export type ResidualFunction = (x: Tensor) => Tensor;

/** Probe law of the Hutchinson trace estimator tr(A) = E[vᵀAv] (needs E[vvᵀ] = I). */
export type ProbeKind = 'gaussian' | 'rademacher';

/**
 * Hutchinson probes of a stochastic trace estimate (Hutchinson 1989): the PRNG key, their
 * distribution (Gaussian or Rademacher) and how many per row.
 */
export interface ProbeOptions {
  /** PRNG key for the probes (and the roulette draws). */
  readonly key: Key;
  /** 'gaussian' (v ~ N(0, I), the default) or 'rademacher' (v ∈ {±1}^d, lower variance). */
  readonly probe?: ProbeKind;
  /** Probes per sample, averaged. Default 1. */
  readonly nProbes?: number;
}

/**
 * Options of the Russian-roulette log-det estimator (Chen et al. 2019, arXiv:1906.02735): the
 * probes, the law of the number of extra terms, the terms always computed, and one draw per row or
 * per batch.
 */
export interface RouletteOptions extends ProbeOptions {
  /** Law of the random number N of terms beyond the first nExact. Default geometric with p = 0.5. */
  readonly distribution?: RouletteDistribution;
  /** Terms always computed, with weight 1. Default 2. */
  readonly nExact?: number;
  /** One N per sample (independent estimates) instead of one per batch (the paper's choice, cheaper). Default false. */
  readonly perSample?: boolean;
  /**
   * The key N is drawn from (folded by probe index); default: one derived
   * from `key`. Passing the same key to every block of a flow draws one N per
   * step for all blocks. The sum of the blocks' estimates stays unbiased (each
   * one is), and a `jit` recording of the step needs one variant per value of
   * N instead of one per combination of the blocks' values.
   */
  readonly truncationKey?: Key;
}

export const DEFAULT_DISTRIBUTION: RouletteDistribution = { kind: 'geometric', p: 0.5 };

/** Weights per term: row k−1 holds c_k for each sample, or one number shared by the batch. */
export type TermWeights = (number | Float32Array)[];

export function checkResidualInput(g: ResidualFunction, x: Tensor, fn: string): [number, number] {
  if (typeof g !== 'function') throw new ArgumentError(`${fn}(g): expected a function [n, d] → [n, d], received ${String(g)}`);
  if (x?.rank !== 2 || x.dtype !== 'float32') {
    throw new ShapeError(`${fn}(x): expected a float32 tensor shaped [n, d], received ${x ? `${x.dtype} shape [${x.shape.join(', ')}]` : String(x)}`);
  }
  return x.shape as [number, number];
}

export function probeVectors(k: Key, shape: [number, number], kind: ProbeKind): Tensor {
  if (kind === 'gaussian') return normal(k, shape);
  if (kind === 'rademacher') return sub(mul(bernoulli(k, 0.5, shape), 2), 1);
  throw new ArgumentError(`probe: expected 'gaussian' or 'rademacher', received ${JSON.stringify(kind)}`);
}

/**
 * Russian-roulette weights (Chen et al. 2019, arXiv:1906.02735, eq. 6): term k
 * is computed iff k ≤ nExact + N and then weighted 1/P(N ≥ k − nExact), so
 * E[Σ_k c_k a_k] = Σ_k a_k for any absolutely convergent series.
 */
export function rouletteWeights(k: Key, n: number, options: RouletteOptions, fn: string): TermWeights {
  const dist = checkDistribution(options.distribution ?? DEFAULT_DISTRIBUTION, `${fn}(distribution)`);
  const nExact = checkInteger(options.nExact ?? 2, 0, `${fn}(nExact)`);
  const perSample = options.perSample ?? false;
  // A host draw from the key: under jit, each outcome gets its own recording.
  const counts = keyedValue(k, (kk) => drawTruncations(kk, dist, n, perSample));
  const terms = nExact + Math.max(...counts);
  const weights: TermWeights = [];
  for (let t = 1; t <= terms; t++) {
    const c = t <= nExact ? 1 : 1 / survival(dist, t - nExact);
    if (!perSample || t <= nExact) weights.push(c);
    else weights.push(Float32Array.from(counts, (N) => (t - nExact <= N ? c : 0)));
  }
  return weights;
}

function weightTensor(c: number | Float32Array, shape: readonly number[]): number | Tensor {
  return typeof c === 'number' ? c : tensor(c, shape);
}

/**
 * One pass of the power series for probe v: with p_k = vᵀJ^k (p_k = pullback(p_{k−1})),
 * logDet = Σ_{k=1}^{K} (−1)^(k+1)/k · c_k · p_k·v, and, when asked, the Neumann
 * vector w = Σ_{k=0}^{K−1} (−1)^k c_{k+1} p_k, whose product wᵀ(∂J)v is the
 * derivative of that same estimate (d tr(J^k)/k = tr(J^(k−1) dJ)).
 * By linearity the weighted vectors are summed first and dotted with v once,
 * (Σ_k a_k p_k)·v: two ops per term instead of five (and in the backward pass).
 */
export function seriesPass(pullback: (ct: Tensor) => Tensor, v: Tensor, weights: TermWeights, neumann: boolean): { logDet: Tensor; w: Tensor | null } {
  const n = v.shape[0]!;
  let acc: Tensor | null = null;
  let w: Tensor | null = neumann && weights.length > 0 ? mul(v, weightTensor(weights[0]!, [n, 1])) : null;
  let p = v;
  for (let k = 1; k <= weights.length; k++) {
    p = pullback(p);
    const sign = k % 2 === 1 ? 1 : -1;
    const c = weights[k - 1]!;
    const term = mul(p, typeof c === 'number' ? (sign / k) * c : tensor(c.map((ci) => (sign / k) * ci), [n, 1]));
    acc = acc === null ? term : add(acc, term);
    if (w && k < weights.length) w = add(w, mul(mul(p, -sign), weightTensor(weights[k]!, [n, 1])));
  }
  const logDet = acc === null ? mul(sum(v, -1), 0) : sum(mul(acc, v), -1);
  return { logDet, w: neumann ? (w ?? mul(v, 0)) : null };
}

export function checkProbes(options: ProbeOptions, fn: string): { kind: ProbeKind; count: number } {
  checkKeyLike(options?.key, `${fn}(key)`);
  return { kind: options.probe ?? 'gaussian', count: checkInteger(options.nProbes ?? 1, 1, `${fn}(nProbes)`) };
}
