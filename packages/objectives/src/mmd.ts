import {
  ArgumentError, type Tensor, add, exp, eye, maximum, mul, reshape, sqrt, square, sub, sum,
} from '@rheo/tensor';
import { checkTensor } from './check.js';

/** Options of `mmd` and `mmdLoss`: the Gaussian kernel bandwidths, a mixture of scales (Li, Swersky & Zemel 2015, arXiv:1502.02761). */
export interface MmdOptions {
  /**
   * Bandwidths σ_b of the kernel k(x, y) = Σ_b exp(−‖x − y‖² / (2σ_b²)); a
   * mixture of scales keeps the statistic informative when one scale saturates
   * (Li, Swersky & Zemel 2015, arXiv:1502.02761). Default [0.2, 0.5, 1, 2, 5].
   */
  readonly bandwidths?: readonly number[];
}

const DEFAULT_BANDWIDTHS = [0.2, 0.5, 1, 2, 5] as const;

/** Kernel matrix [n, m] between rows of a [n, d] and b [m, d]. */
function kernel(a: Tensor, b: Tensor, bandwidths: readonly number[]): Tensor {
  const [n, d] = a.shape as [number, number];
  const m = b.shape[0]!;
  const d2 = sum(square(sub(reshape(a, [n, 1, d]), reshape(b, [1, m, d]))), -1);
  let k: Tensor | null = null;
  for (const s of bandwidths) {
    const term = exp(mul(d2, -1 / (2 * s * s)));
    k = k ? add(k, term) : term;
  }
  return k!;
}

/** Mean of the off-diagonal entries of a square kernel matrix. */
function offDiagonalMean(k: Tensor): Tensor {
  const n = k.shape[0]!;
  return mul(sum(mul(k, sub(1, eye(n)))), 1 / (n * (n - 1)));
}

/**
 * Unbiased squared maximum mean discrepancy (Gretton et al. 2012, JMLR 13,
 * "A kernel two-sample test", eq. 3):
 * MMD²_u = 1/(n(n−1)) Σ_{i≠j} k(x_i, x_j) + 1/(m(m−1)) Σ_{i≠j} k(y_i, y_j) − 2/(nm) Σ_{i,j} k(x_i, y_j)
 * for x [n, d], y [m, d], n, m ≥ 2. It can be slightly negative; as a loss its
 * gradient is unbiased. Memory O((n + m)²·d).
 */
export function mmdLoss(x: Tensor, y: Tensor, options: MmdOptions = {}): Tensor {
  const bandwidths = options.bandwidths ?? DEFAULT_BANDWIDTHS;
  checkTensor(x, 2, 'mmd(x)', '[n, d]');
  checkTensor(y, 2, 'mmd(y)', '[m, d]');
  if (x.shape[1] !== y.shape[1]) {
    throw new ArgumentError(`mmd(x, y): expected the same feature size d, received x [${x.shape.join(', ')}] and y [${y.shape.join(', ')}]`);
  }
  if (x.shape[0]! < 2 || y.shape[0]! < 2) {
    throw new ArgumentError(`mmd(x, y): expected at least 2 rows in each, received x [${x.shape.join(', ')}] and y [${y.shape.join(', ')}]`);
  }
  if (bandwidths.length === 0 || bandwidths.some((s) => !(s > 0) || !Number.isFinite(s))) {
    throw new ArgumentError(`mmd(bandwidths): expected a non-empty list of finite σ > 0, received [${bandwidths.join(', ')}]`);
  }
  const kxy = mul(sum(kernel(x, y, bandwidths)), 2 / (x.shape[0]! * y.shape[0]!));
  return sub(add(offDiagonalMean(kernel(x, x, bandwidths)), offDiagonalMean(kernel(y, y, bandwidths))), kxy);
}

/**
 * MMD as a metric between sample sets: sqrt(max(MMD²_u, 0)), in the units of
 * the kernel's feature space; 0 (up to noise) when both sets come from the
 * same distribution.
 */
export function mmd(x: Tensor, y: Tensor, options: MmdOptions = {}): Tensor {
  return sqrt(maximum(mmdLoss(x, y, options), 0));
}
