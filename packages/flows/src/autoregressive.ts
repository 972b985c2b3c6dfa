import { ShapeError, release, sum, tidy, zeros, type Tensor, type TensorTree } from '@rheo/tensor';
import { contextOf } from './context.js';
import type { Transform, TransformOptions } from './transform.js';
import { applyTransformer, checkTransformer, transformerParams, type Transformer } from './transformer.js';

/** What `autoregressive` needs: a conditioner with (block) autoregressive structure, a transformer and a pass count. */
export interface AutoregressiveSpec<P extends TensorTree> {
  readonly kind: string;
  /** Name used in error messages (the public function). */
  readonly who: string;
  readonly dim: number;
  readonly transformer: Transformer;
  /** Initial parameters of the conditioner. */
  readonly params: P;
  /** Width of `options.context`; 0 for none. */
  readonly contextDim: number;
  /**
   * Passes that make the inverse exact: the largest number of entries in a
   * chain j₁ → j₂ → … where θ_{j₂} reads x_{j₁} (d for MAF, ⌈d/k⌉ for
   * blocks of k).
   */
  readonly passes: number;
  /**
   * θ for every entry, parameter-major [n, P·d] (output c·d + j is
   * parameter c of entry j), entry j's outputs reading only entries before
   * it in the order, and the context.
   */
  condition(params: P, x: Tensor, context: Tensor | undefined): Tensor;
}

/**
 * An autoregressive layer from a conditioner and a transformer (MAF,
 * Papamakarios, Pavlakou & Murray 2017, arXiv:1705.07057; block form, Si et
 * al. 2023, arXiv:2206.06672): z_j = τ(x_j; θ_j(x_<j, context)). The
 * Jacobian is triangular in the order with diagonal τ', so
 * log |det ∂z/∂x| = Σ_j log τ'(x_j; θ_j), in one conditioner pass. The
 * inverse x_j = τ⁻¹(z_j; θ_j(x_<j)) repeats x ← τ⁻¹(z; θ(x)) from x = 0:
 * after pass t the first t steps of every chain are exact, so `passes`
 * passes give x, and the last pass's θ are those of the final x.
 */
export function autoregressive<P extends TensorTree>(spec: AutoregressiveSpec<P>): Transform<P, null> {
  const { dim, who, passes } = spec;
  const tau = checkTransformer(spec.transformer, who);
  const theta = (p: P, x: Tensor, o: TransformOptions | undefined, direction: string) => {
    if (x.rank !== 2 || x.shape[1] !== dim) throw new ShapeError(`${who}.${direction}(x): received shape [${x.shape.join(', ')}]; expected [n, ${dim}]`);
    const ctx = contextOf(o, spec.contextDim, x.shape[0]!, who);
    return transformerParams(spec.condition(p, x, ctx), dim, tau, who);
  };
  const invert = (p: P, z: Tensor, o: TransformOptions | undefined) => {
    let x: Tensor = zeros(z.shape);
    let logDet: Tensor | null = null;
    for (let pass = 0; pass < passes; pass++) {
      // One pass per scope, the previous x released: without a gradient trace, memory holds one pass
      // (not `passes` of them); with one, the trace keeps what backpropagation needs.
      const prev = x;
      const r = tidy(() => applyTransformer(tau, theta(p, prev, o, 'inverse'), z, true, who));
      release(prev);
      if (logDet) release(logDet);
      x = r.out;
      logDet = r.logDet;
    }
    return { x, logDet: logDet! };
  };
  return {
    kind: spec.kind,
    params: spec.params,
    buffers: null,
    forwardAndLogDet: (p, _b, x, o) => {
      const r = applyTransformer(tau, theta(p, x, o, 'forward'), x, false, who);
      return { out: r.out, logDet: sum(r.logDet, 1) };
    },
    inverseAndLogDet: (p, _b, z, o) => {
      const r = invert(p, z, o);
      return { out: r.x, logDet: sum(r.logDet, 1) };
    },
    inverse: (p, _b, z, o) => {
      const r = invert(p, z, o);
      release(r.logDet);
      return r.x;
    },
  };
}
