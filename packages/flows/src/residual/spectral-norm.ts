import {
  abs, ArgumentError, div, exp, log, max, matmul, maximum, mul, normal, reshape, sign, split, sqrt, stopGradient, sum,
  type Key, type Tensor,
} from '@rheo/tensor';

/** Persistent power-iteration vectors of one weight W [out, in]: u ∈ R^out, v ∈ R^in (unit norm). */
export type PowerVectors = {
  readonly u: Tensor;
  readonly v: Tensor;
};

/** Spectral-normalisation coefficient c: it must lie in (0, 1) so that Lip(g) < 1 and x + g(x) is invertible. */
export function checkCoefficient(c: number, who: string): number {
  if (!(c > 0 && c < 1) || !Number.isFinite(c)) {
    throw new ArgumentError(`${who}(coeff): received ${c}; expected a number in (0, 1) (Lip(g) < 1 is what makes x + g(x) invertible)`);
  }
  return c;
}

function unit(x: Tensor): Tensor {
  // The 1e-24 floor keeps a zero vector (a zero weight) from producing NaN.
  return div(x, sqrt(maximum(sum(mul(x, x)), 1e-24)));
}

/** Random unit starting vectors for W [out, in]. */
export function initPowerVectors(k: Key, out: number, inp: number): PowerVectors {
  const [ku, kv] = split(k, 2);
  return { u: unit(normal(ku!, [out])), v: unit(normal(kv!, [inp])) };
}

/**
 * n steps of the power method on WᵀW (Golub & Van Loan, §8.2):
 * v ← Wᵀu/‖Wᵀu‖, u ← Wv/‖Wv‖. Gradients never flow through u and v
 * (Miyato et al. 2018, arXiv:1802.05957): they are state, not parameters.
 */
export function powerIterate(w: Tensor, vectors: PowerVectors, n: number): PowerVectors {
  const ws = stopGradient(w);
  let { u, v } = vectors;
  for (let i = 0; i < n; i++) {
    v = unit(reshape(matmul(reshape(u, [1, -1]), ws), [-1]));
    u = unit(reshape(matmul(ws, reshape(v, [-1, 1])), [-1]));
  }
  return { u: stopGradient(u), v: stopGradient(v) };
}

/** σ̂ = uᵀ W v, differentiable in W (u, v held fixed). */
export function spectralNormEstimate(w: Tensor, vectors: PowerVectors): Tensor {
  return reshape(matmul(matmul(reshape(vectors.u, [1, -1]), w), reshape(vectors.v, [-1, 1])), []);
}

/**
 * W̃ = W / max(1, σ̂/c): the weight is rescaled only when its estimated
 * spectral norm exceeds c, as in i-ResNets (Behrmann et al. 2019,
 * arXiv:1811.00995, Alg. 1) and Residual Flows (Chen et al. 2019,
 * arXiv:1906.02735). Weights already inside the ball are left alone, so
 * g is not forced to be as steep as allowed.
 */
export function spectralNormalize(w: Tensor, vectors: PowerVectors, c: number): Tensor {
  const sigma = spectralNormEstimate(w, vectors);
  return div(w, maximum(div(sigma, c), 1));
}

/**
 * W̃ = W / max(1, ‖W‖_∞/c) with ‖W‖_∞ = max_i Σ_j |W_ij|, the operator norm
 * induced by ℓ∞: exact, so no power-iteration state is needed.
 */
export function infinityNormalize(w: Tensor, c: number): Tensor {
  return div(w, maximum(div(max(sum(abs(w), 1)), c), 1));
}

/**
 * The dual vector of y in ℓr: sign(y)·|y|^(r−1) / ‖y‖_r^(r−1), the unit
 * ℓr* vector (1/r + 1/r* = 1) with ⟨dual, y⟩ = ‖y‖_r (Hölder's equality case).
 */
function dualVector(y: Tensor, r: number): Tensor {
  // |y|^a as exp(a·log|y|): log 0 = −∞ gives exactly 0 for a > 0.
  const logAbs = log(abs(y));
  const s = sum(exp(mul(logAbs, r)));
  return div(mul(sign(y), exp(mul(logAbs, r - 1))), exp(mul(log(maximum(s, 1e-30)), (r - 1) / r)));
}

/**
 * n steps of the generalised power method for the induced norm
 * ‖W‖_{p→q} = max_{‖v‖_p = 1} ‖Wv‖_q (Boyd 1974; Higham 1992; used for the
 * induced mixed norms of Chen et al. 2019, arXiv:1906.02735, §4):
 * v ← dual_{p*}(Wᵀu), u ← dual_q(Wv), so ‖v‖_p = 1, ‖u‖_{q*} = 1 and
 * uᵀWv = ‖Wv‖_q, a lower bound that rises to a (local) maximum. For p = q = 2
 * it is the ordinary power method. 1 < p, q < ∞.
 */
export function mixedPowerIterate(w: Tensor, vectors: PowerVectors, n: number, p: number, q: number): PowerVectors {
  const ws = stopGradient(w);
  const pStar = p / (p - 1);
  let { u, v } = vectors;
  for (let i = 0; i < n; i++) {
    v = dualVector(reshape(matmul(reshape(u, [1, -1]), ws), [-1]), pStar);
    u = dualVector(reshape(matmul(ws, reshape(v, [-1, 1])), [-1]), q);
  }
  return { u: stopGradient(u), v: stopGradient(v) };
}
