import { abs, add, div, log, mul, reshape, sliceAxis, sub, tensor, vjp, zeros, type Tensor } from '@rheo/tensor';
import type { TransformOptions } from '../transform.js';

/**
 * A log-determinant rule for a residual block y = x + g(x): returns
 * log |det(I + ∂g/∂x)| per sample, [n] (exact, or an unbiased estimate such
 * as the Russian-roulette power series of Chen et al. 2019).
 */
export type ResidualLogDet = (g: (x: Tensor) => Tensor, x: Tensor, options?: TransformOptions) => Tensor;

/**
 * Exact log det(I + J_g) from the dense Jacobian: d vector-Jacobian products
 * (row j of J is e_jᵀJ), then Gaussian elimination without pivoting, all in
 * differentiable ops so maximum likelihood can train through it. No pivoting
 * is needed when ‖J_g‖₂ < 1: every leading principal submatrix I + J' has
 * ‖J'‖₂ ≤ ‖J_g‖₂ < 1, so it is nonsingular and, by continuity from I, has a
 * positive determinant; each pivot is a ratio of two of them. Costs O(d) passes
 * and O(d²) row operations: meant for small d.
 */
export const exactLogDet: ResidualLogDet = (g, x) => {
  const [n, d] = x.shape as [number, number];
  const { pullback } = vjp(g, x);
  const rows: Tensor[] = [];
  for (let j = 0; j < d; j++) {
    const ct = tensor(Float32Array.from({ length: n * d }, (_, i) => (i % d === j ? 1 : 0)), [n, d]);
    // Row j of I + J.
    rows.push(add(pullback(ct), ct));
  }
  let logDet: Tensor = zeros([n]);
  for (let c = 0; c < d; c++) {
    const pivotRow = rows[c]!;
    const pivot = sliceAxis(pivotRow, 1, c, c + 1);
    logDet = add(logDet, log(abs(reshape(pivot, [n]))));
    for (let r = c + 1; r < d; r++) {
      const factor = div(sliceAxis(rows[r]!, 1, c, c + 1), pivot);
      rows[r] = sub(rows[r]!, mul(factor, pivotRow));
    }
  }
  return logDet;
};
