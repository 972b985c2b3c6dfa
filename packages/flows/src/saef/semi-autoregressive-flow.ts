import { add, exp, mul, neg, release, sliceAxis, sub, sum, tanh, tidy, zeros, type Key, type Tensor, type TensorTree } from '@rheo/tensor';
import type { Transform } from '../transform.js';
import { blockLayout, type BlockLayout } from './block-layout.js';
import { blockMadeConditioner, checkInput, condition, type Conditioner, type ConditionerOptions } from './conditioner.js';

/** Options of `semiAutoregressiveFlow`: the block size k, the conditioner's hidden widths, or a custom conditioner. */
export interface SemiAutoregressiveFlowOptions extends ConditionerOptions {
  /** Block size k: 1 is MAF-like, d is a single elementwise-affine block. */
  readonly blockSize: number;
  /** Replaces the block-MADE conditioner; must return [n, 2d] (shifts, then log-scales). */
  readonly conditioner?: Conditioner;
}

/**
 * The invertible semi-autoregressive flow: z_b = (x_b − μ_b(x_<b)) ⊙ exp(−s_b(x_<b)) per block b,
 * with an exact log-det −Σ s (Si et al. 2023, arXiv:2206.06672).
 */
export interface SemiAutoregressiveFlow extends Transform<TensorTree, null> {
  readonly kind: 'semi-autoregressive-flow';
  readonly layout: BlockLayout;
}

// s = 3·tanh(ŝ/3): log-scales stay in (−3, 3), so exp never overflows in training.
function logScale(raw: Tensor): Tensor {
  return mul(tanh(mul(raw, 1 / 3)), 3);
}

/**
 * The invertible member of the semi-autoregressive family (Si, Chen, Sahoo,
 * Schiff & Kuleshov 2023, arXiv:2206.06672): dimensions in blocks of k, block b
 * transformed elementwise-affinely given the blocks before it,
 * z_b = (x_b − μ_b(x_<b)) ⊙ exp(−s_b(x_<b)). The Jacobian is block-lower-
 * triangular with diagonal blocks diag(exp(−s_b)), so
 * log |det ∂z/∂x| = −Σ_j s_j exactly: a likelihood is available, which is
 * the paper's point of comparison (it can be poor while samples are good).
 * Density evaluation is one conditioner pass; sampling takes ⌈d/k⌉.
 */
export function semiAutoregressiveFlow(k: Key, dim: number, options: SemiAutoregressiveFlowOptions): SemiAutoregressiveFlow {
  const layout = blockLayout(dim, options.blockSize, 'semiAutoregressiveFlow');
  const cond: Conditioner = options.conditioner ?? blockMadeConditioner(k, layout, 2, options);
  const who = 'semiAutoregressiveFlow';
  const split = (p: TensorTree, x: Tensor) => {
    const h = condition(cond, p, x, 2 * dim, who);
    return { mu: sliceAxis(h, 1, 0, dim), s: logScale(sliceAxis(h, 1, dim, 2 * dim)) };
  };
  const invert = (p: TensorTree, z: Tensor) => {
    checkInput(z, dim, `${who}.inverse`);
    // After pass t, blocks 0..t−1 are exact (block b's parameters read only blocks < b), so ⌈d/k⌉ passes suffice
    // and the last pass's parameters are those of the final x.
    let x: Tensor = zeros(z.shape);
    let s: Tensor | null = null;
    for (let b = 0; b < layout.count; b++) {
      // One pass per scope; the previous x and s are released unless a gradient trace needs them.
      const prev = x;
      const q = tidy(() => {
        const r = split(p, prev);
        return { x: add(mul(z, exp(r.s)), r.mu), s: r.s };
      });
      release(prev);
      if (s) release(s);
      x = q.x;
      s = q.s;
    }
    return { x, s: s! };
  };
  return {
    kind: 'semi-autoregressive-flow',
    layout,
    params: cond.params,
    buffers: null,
    forwardAndLogDet: (p, _b, x) => {
      checkInput(x, dim, `${who}.forward`);
      const { mu, s } = split(p, x);
      return { out: mul(sub(x, mu), exp(neg(s))), logDet: neg(sum(s, 1)) };
    },
    inverseAndLogDet: (p, _b, z) => {
      const { x, s } = invert(p, z);
      return { out: x, logDet: sum(s, 1) };
    },
    inverse: (p, _b, z) => invert(p, z).x,
  };
}
