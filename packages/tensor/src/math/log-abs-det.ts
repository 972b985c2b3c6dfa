import { ShapeError } from '../errors.js';
import { abs } from '../ops/abs.js';
import { add } from '../ops/add.js';
import { div } from '../ops/div.js';
import { log } from '../ops/log.js';
import { mul } from '../ops/mul.js';
import { reshape } from '../ops/reshape.js';
import { slice } from '../ops/slice.js';
import { sub } from '../ops/sub.js';
import type { Tensor } from '../tensor.js';

/**
 * log |det A| for a batch A [n, d, d] by Gaussian elimination without
 * pivoting, composed of differentiable ops (any backend, higher-order
 * gradients): Σ_k log |u_kk|, u_kk the pivots. Valid when every leading
 * principal minor is non-zero, which holds for A = I + J with ‖J‖₂ < 1 (each
 * leading block I + J_kk has ‖J_kk‖₂ < 1, so it is invertible): the
 * invertible residual block's case. O(n·d³), for low dimensions.
 */
export function logAbsDetUnpivoted(a: Tensor): Tensor {
  if (a.rank !== 3 || a.shape[1] !== a.shape[2]) {
    throw new ShapeError(`logAbsDetUnpivoted(a): received shape [${a.shape.join(', ')}]; expected a batch of square matrices [n, d, d]`);
  }
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
