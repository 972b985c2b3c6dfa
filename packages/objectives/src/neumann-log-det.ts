import {
  type Tensor, type TensorTree, add, flattenTree, mapTree, mul, ones, reshape, split, stopGradient, sub, sum, vjp, zeros,
} from '@rheo/tensor';
import {
  type ResidualFunction, type RouletteOptions, checkProbes, checkResidualInput, probeVectors, rouletteWeights, seriesPass,
} from './log-det-series.js';

/**
 * The Russian-roulette estimate ℓ [n] (detached) and the surrogate
 * s = wᵀ J_g v [n], with w the detached Neumann vector of the same draws.
 * ∂s/∂θ = wᵀ (∂J_g/∂θ) v is the Neumann-series gradient estimator of
 * Chen et al. 2019 (arXiv:1906.02735, eq. 8):
 * ∇ log det(I + J) = E[(Σ_{k=0}^{N} (−1)^k / P(N ≥ k) · vᵀJ^k) (∂J/∂θ) v],
 * here with the first nExact terms always kept, as in the value.
 */
function neumannParts(g: ResidualFunction, x: Tensor, options: RouletteOptions, fn: string): { value: Tensor; surrogate: Tensor } {
  const [n, d] = checkResidualInput(g, x, fn);
  const { kind, count } = checkProbes(options, fn);
  const { pullback } = vjp(g, x);
  const keys = split(options.key, 2 * count);
  let value: Tensor | null = null, surrogate: Tensor | null = null;
  for (let i = 0; i < count; i++) {
    const v = probeVectors(keys[2 * i]!, [n, d], kind);
    const pass = seriesPass(pullback, v, rouletteWeights(keys[2 * i + 1]!, n, options, fn), true);
    // One more pullback, this one differentiated: wᵀJ as a function of x and θ.
    const s = sum(mul(pullback(stopGradient(pass.w!)), v), -1);
    const l = stopGradient(pass.logDet);
    value = value ? add(value, l) : l;
    surrogate = surrogate ? add(surrogate, s) : s;
  }
  return count === 1 ? { value: value!, surrogate: surrogate! } : { value: mul(value!, 1 / count), surrogate: mul(surrogate!, 1 / count) };
}

/**
 * Russian-roulette log det(I + J_g) [n] whose value is the unbiased estimate
 * ℓ and whose gradient is the Neumann-series estimate: ℓ + s − stop(s), with
 * ℓ detached and s the surrogate wᵀ J_g v. The backward pass differentiates one
 * vector-Jacobian product instead of the whole series, so its memory does not
 * grow with the number of terms. The power series is still evaluated with the
 * tape recording (the engine has no no-grad mode); that tape is dropped with
 * the tidy() scope.
 */
export function neumannLogDet(g: ResidualFunction, x: Tensor, options: RouletteOptions): Tensor {
  const { value, surrogate } = neumannParts(g, x, options, 'neumannLogDet');
  return add(value, sub(surrogate, stopGradient(surrogate)));
}

/** A residual branch with explicit parameters, for memorySavingLogDet. */
export type ParametrisedResidual<P extends TensorTree> = (x: Tensor, params: P) => Tensor;

/**
 * The memory-saving form of neumannLogDet (Chen et al. 2019, §3.2
 * "backward-in-forward"). In the forward pass it evaluates the surrogate on
 * detached copies of x and the parameters, and differentiates it at once:
 * G_x = ∂(Σ_s s_s)/∂x [n, d] and G_θ = ∂(Σ_s s_s)/∂θ; g's activations can then
 * be freed. It returns ℓ + Σ_j stop(G_x)⊙(x − stop(x)) + (1/n) Σ stop(G_θ)⊙(θ − stop(θ)):
 * the value is the detached estimate ℓ (the added products are exactly 0),
 * and a later backward pass reaches x and θ through those products only.
 * The x-gradient is exact per sample for any cotangent; the θ-gradient
 * assumes the same cotangent for every sample (a loss that sums or averages
 * the log-determinants over the batch, as a log-likelihood does).
 */
export function memorySavingLogDet<P extends TensorTree>(g: ParametrisedResidual<P>, x: Tensor, params: P, options: RouletteOptions): Tensor {
  const n = checkResidualInput((y) => g(y, params), x, 'memorySavingLogDet')[0];
  const x0 = stopGradient(x);
  const p0 = mapTree(params, stopGradient);
  const inner = vjp(([xi, pi]: [Tensor, P]) => {
    const parts = neumannParts((y) => g(y, pi), xi, options, 'memorySavingLogDet');
    return [sum(parts.surrogate), parts.value] as [Tensor, Tensor];
  }, [x0, p0] as [Tensor, P]);
  const value = stopGradient(inner.out[1]);
  const [gx, gp] = inner.pullback([ones([]), zeros([n])]);
  let out = add(value, sum(mul(stopGradient(gx), sub(x, stopGradient(x))), -1));
  const ps = flattenTree(params).leaves;
  const gs = flattenTree(gp).leaves;
  let attached: Tensor | null = null;
  ps.forEach((p, i) => {
    const term = sum(mul(stopGradient(gs[i]!), sub(p, stopGradient(p))));
    attached = attached ? add(attached, term) : term;
  });
  if (attached) out = add(out, reshape(mul(attached, 1 / n), [1]));
  return out;
}
