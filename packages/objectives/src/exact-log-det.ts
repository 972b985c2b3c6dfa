import { type Tensor, abs, add, div, eye, log, mul, reshape, slice, stack, sub, tensor, vjp } from '@rheo/tensor';
import { type ResidualFunction, checkResidualInput } from './log-det-series.js';

/**
 * The Jacobians J[s, i, j] = ∂g_i/∂x_j (x_s) [n, d, d] of a row-wise g, row i
 * being the vector-Jacobian product e_iᵀJ: d pullbacks of one forward pass.
 */
export function denseJacobian(g: ResidualFunction, x: Tensor): Tensor {
  const [n, d] = checkResidualInput(g, x, 'denseJacobian');
  const { pullback } = vjp(g, x);
  const rows: Tensor[] = [];
  for (let i = 0; i < d; i++) {
    const e = new Float32Array(n * d);
    for (let s = 0; s < n; s++) e[s * d + i] = 1;
    rows.push(pullback(tensor(e, [n, d])));
  }
  return stack(rows, 1);
}

/**
 * log|det A| for a batch A [n, d, d] by Gaussian elimination without pivoting,
 * as tensor ops (differentiable, any backend): Σ_k log|u_kk|. Valid when every
 * leading principal minor is non-zero, which holds for A = I + J with ‖J‖₂ < 1
 * (each leading block I + J_kk has ‖J_kk‖₂ < 1, so it is invertible).
 */
export function logAbsDetUnpivoted(a: Tensor): Tensor {
  const [n, d] = a.shape as [number, number, number];
  let rest = a;
  let total: Tensor | null = null;
  for (let k = 0; k < d; k++) {
    const row = slice(rest, [0, 0, 0], [n, 1, d]);
    const pivot = slice(row, [0, 0, k], [n, 1, 1]);
    const term = log(abs(reshape(pivot, [n])));
    total = total ? add(total, term) : term;
    if (k === d - 1) break;
    const below = slice(rest, [0, 1, 0], [n, d - k - 1, d]);
    const factor = div(slice(below, [0, 0, k], [n, d - k - 1, 1]), pivot);
    rest = sub(below, mul(factor, row));
  }
  return total!;
}

/**
 * Exact log|det(I + J_g(x))| per sample [n], from the dense Jacobian (d
 * vector-Jacobian products) and unpivoted elimination. O(d) pullbacks and
 * O(n·d³) work: a reference for small d. Differentiable in x and in
 * parameters g closes over.
 */
export function exactLogDet(g: ResidualFunction, x: Tensor): Tensor {
  const d = checkResidualInput(g, x, 'exactLogDet')[1];
  return logAbsDetUnpivoted(add(denseJacobian(g, x), eye(d)));
}
