import { ArgumentError, ShapeError, permute, reshape, type Tensor } from '@rheo/tensor';

/** An elementwise result: the transformed entries and log |∂out_ij/∂in_ij| per entry, both [n, d]. */
export interface ElementwiseResult {
  /** The transformed batch [n, d]. */
  readonly out: Tensor;
  /** log |τ'| of each entry, [n, d]; a layer sums it over the transformed entries. */
  readonly logDet: Tensor;
}

/**
 * The transformer seam: a univariate monotonic bijection τ(·; θ) applied to
 * each of d entries with its own parameters θ_j ∈ ℝ^P, P = `paramsPerDim`.
 * A layer is a conditioner (which computes θ from other entries and the
 * context) plus a transformer (which maps the entries), as in MAF
 * (Papamakarios et al. 2017, arXiv:1705.07057) and neural spline flows
 * (Durkan et al. 2019, arXiv:1906.04032): coupling (`coupling`), masked
 * autoregressive (`maf`) and block semi-autoregressive
 * (`semiAutoregressiveFlow`) layers take any transformer.
 *
 * Conventions: `params` is [n, d, P], the last axis holding one entry's
 * unconstrained parameters (any real values must be valid: constrain inside,
 * e.g. softmax for bin widths, softplus for slopes); `x` and `y` are [n, d].
 * `forwardAndLogDet` is the flow's forward (data → noise) direction;
 * `inverseAndLogDet(θ, τ(x; θ))` returns x and −log |τ'(x)|. Both must be
 * differentiable in θ and x with @rheo/tensor ops, so gradients and the
 * brute-force Jacobian checks of `@rheo/flows/testing` go through.
 *
 * Layers start at the identity: the conditioner's last layer has zero
 * weights and its bias set to `identityParams`, so every entry starts with
 * θ_j = identityParams and τ(x; θ_j) = x. For a rational-quadratic spline
 * with K bins (Durkan et al. 2019), P = 3K − 1 (K widths, K heights, K − 1
 * interior derivatives) and identityParams is 0 for the widths and heights
 * (uniform bins) and the value whose constrained derivative is 1.
 */
export interface Transformer {
  /** What the transformer is, e.g. 'affine' or 'rational-quadratic-spline'; layers name themselves after it. */
  readonly kind: string;
  /** P: unconstrained parameters per transformed entry. */
  readonly paramsPerDim: number;
  /** θ (length P) at which τ(·; θ) is the identity map. */
  readonly identityParams: readonly number[];
  /** y = τ(x; θ) and log |τ'(x; θ)| per entry; params [n, d, P], x [n, d]. */
  forwardAndLogDet(params: Tensor, x: Tensor): ElementwiseResult;
  /** x = τ⁻¹(y; θ) and log |(τ⁻¹)'(y; θ)| = −log |τ'(x; θ)| per entry; params [n, d, P], y [n, d]. */
  inverseAndLogDet(params: Tensor, y: Tensor): ElementwiseResult;
}

/** Throws unless `t` describes a usable transformer (positive integer P, P finite identity values). */
export function checkTransformer(t: Transformer, who: string): Transformer {
  const p = t.paramsPerDim;
  if (!Number.isInteger(p) || p < 1) throw new ArgumentError(`${who}(transformer.paramsPerDim): received ${p}; expected a positive integer`);
  const id = t.identityParams;
  if (id.length !== p || id.some((v) => !Number.isFinite(v))) {
    throw new ArgumentError(`${who}(transformer.identityParams): received [${id.join(', ')}]; expected ${p} finite numbers`);
  }
  return t;
}

/**
 * The bias of a conditioner's output layer that makes a layer start at the
 * identity: conditioner outputs are parameter-major (output c·d + j is
 * parameter c of entry j, the layout of MADE's `outputsPerInput`), so entry
 * c·d + j is identityParams[c].
 */
export function identityBias(t: Transformer, dim: number): Float32Array {
  const out = new Float32Array(t.paramsPerDim * dim);
  t.identityParams.forEach((v, c) => out.fill(v, c * dim, (c + 1) * dim));
  return out;
}

/**
 * A conditioner's parameter-major output h [n, P·d] (output c·d + j is
 * parameter c of entry j) as the transformer's params [n, d, P].
 */
export function transformerParams(h: Tensor, dim: number, t: Transformer, who: string): Tensor {
  const p = t.paramsPerDim;
  if (h.rank !== 2 || h.shape[1] !== p * dim) {
    throw new ShapeError(`${who}: the conditioner returned shape [${h.shape.join(', ')}]; expected [n, ${p * dim}] (${p} parameters for each of ${dim} entries)`);
  }
  return permute(reshape(h, [h.shape[0]!, p, dim]), [0, 2, 1]);
}

/** Runs τ or τ⁻¹ and checks that it returned [n, d] values and log-dets. */
export function applyTransformer(t: Transformer, params: Tensor, x: Tensor, inverse: boolean, who: string): ElementwiseResult {
  const r = inverse ? t.inverseAndLogDet(params, x) : t.forwardAndLogDet(params, x);
  for (const [name, v] of [['out', r.out], ['logDet', r.logDet]] as const) {
    if (v.rank !== 2 || v.shape[0] !== x.shape[0] || v.shape[1] !== x.shape[1]) {
      throw new ShapeError(`${who}: transformer '${t.kind}' returned ${name} of shape [${v.shape.join(', ')}]; expected [${x.shape.join(', ')}]`);
    }
  }
  return r;
}
