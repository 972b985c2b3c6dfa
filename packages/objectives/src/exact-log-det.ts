import { type Tensor, add, eye, logAbsDetUnpivoted, stack, tensor, vjp } from '@rheo/tensor';
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
 * Exact log|det(I + J_g(x))| per sample [n], from the dense Jacobian (d
 * vector-Jacobian products) and unpivoted elimination. O(d) pullbacks and
 * O(n·d³) work: a reference for small d. Differentiable in x and in
 * parameters g closes over.
 */
export function exactLogDet(g: ResidualFunction, x: Tensor): Tensor {
  const d = checkResidualInput(g, x, 'exactLogDet')[1];
  return logAbsDetUnpivoted(add(denseJacobian(g, x), eye(d)));
}
