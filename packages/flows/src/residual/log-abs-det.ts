import { abs, add, div, log, mul, reshape, slice, sub, type Tensor } from '@rheo/tensor';

/**
 * log |det A| for a batch A [n, d, d] by Gaussian elimination without
 * pivoting, as tensor ops (differentiable, any backend): Σ_k log |u_kk|.
 * Valid when every leading principal minor is non-zero, which holds for
 * A = I + J with ‖J‖₂ < 1 (each leading block I + J_kk has ‖J_kk‖₂ < 1), the
 * residual block's case. O(n·d³): the exact rule for low dimensions; larger
 * d takes an estimator of the residual-flow objective as an argument.
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
    rest = sub(below, mul(div(slice(below, [0, 0, k], [n, d - k - 1, 1]), pivot), row));
  }
  return total!;
}
