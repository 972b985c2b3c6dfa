import {
  ArgumentError, ShapeError, add, broadcastTo, concat, div, exp, eye, gather, matmul, mul, neg, permute, reshape, slice, sliceAxis,
  sub, sum, tensor, type Key, type Tensor,
} from '@rheo/tensor';
import { luFactors, randomRotation } from './random-rotation-lu.js';
import type { Transform } from './transform.js';

/**
 * Parameters of `luLinear`: the strictly lower and upper triangles and log|diagonal| of W = P L (U
 * + diag(s)) (Kingma & Dhariwal 2018, arXiv:1807.03039).
 */
export type LuLinearParams = {
  /** Entries below the diagonal are L's; the rest is ignored (masked). */
  readonly lower: Tensor;
  /** Entries above the diagonal are U's; the rest is ignored (masked). */
  readonly upper: Tensor;
  /** log |s|: U's diagonal is sign · exp(logAbsDiag). */
  readonly logAbsDiag: Tensor;
};

function triangleMask(d: number, below: boolean): Tensor {
  return tensor(Float32Array.from({ length: d * d }, (_, i) => ((below ? i % d < Math.floor(i / d) : i % d > Math.floor(i / d)) ? 1 : 0)), [d, d]);
}

/**
 * Invertible linear map with an LU-decomposed weight (Glow, Kingma & Dhariwal
 * 2018, arXiv:1807.03039, §3.2): W = P L (U + diag(sign · exp(log|s|))) with P
 * a fixed permutation, L unit lower and U strictly upper triangular, so
 * log |det W| = Σ log|s| costs O(d) instead of O(d³). Acts on the last axis of
 * [n, d], or on the channels of [n, c, h, w] at every pixel (the invertible
 * 1×1 convolution; log-det × h·w). Initialised at a random rotation (Haar, QR
 * of a Gaussian drawn from the key); P and sign stay fixed. The inverse is two
 * triangular solves written with tensor ops, so it runs on any backend.
 */
export function luLinear(k: Key, channels: number): Transform<LuLinearParams, null> {
  const d = channels;
  if (!Number.isInteger(d) || d < 1) throw new ArgumentError(`luLinear(channels): received ${d}; expected a positive integer`);
  const f = luFactors(randomRotation(k, d), d);
  const permInv = new Array<number>(d);
  f.perm.forEach((p, i) => (permInv[p] = i));
  const sign = f.sign;
  const params: LuLinearParams = {
    lower: tensor(Float32Array.from(f.lower), [d, d]),
    upper: tensor(Float32Array.from(f.upper), [d, d]),
    logAbsDiag: tensor(Float32Array.from(f.logAbsDiag), [d]),
  };
  // Constants are made per call, so a layer built inside tidy() stays usable after it.
  const factors = (p: LuLinearParams) => {
    const lower = add(mul(p.lower, triangleMask(d, true)), eye(d));
    const diag = mul(exp(p.logAbsDiag), tensor(Float32Array.from(sign), [d]));
    const upper = add(mul(p.upper, triangleMask(d, false)), mul(eye(d), diag));
    return { lower, upper, diag };
  };
  // Rows of [m, d]: y = x (L U')ᵀ, then z[:, i] = y[:, perm[i]].
  const forwardRows = (p: LuLinearParams, x: Tensor) => {
    const { lower, upper } = factors(p);
    const y = matmul(matmul(x, upper, { transposeB: true }), lower, { transposeB: true });
    return gather(y, tensor(Int32Array.from(f.perm), [d]), 1);
  };
  // L w = y by forward substitution, then U' x = w by back substitution, one column at a time.
  const inverseRows = (p: LuLinearParams, z: Tensor) => {
    const { lower, upper, diag } = factors(p);
    const y = gather(z, tensor(Int32Array.from(permInv), [d]), 1);
    const w: Tensor[] = [];
    for (let i = 0; i < d; i++) {
      const yi = sliceAxis(y, 1, i, i + 1);
      w.push(i === 0 ? yi : sub(yi, matmul(concat(w, 1), slice(lower, [i, 0], [1, i]), { transposeB: true })));
    }
    const x: Tensor[] = [];
    for (let i = d - 1; i >= 0; i--) {
      const r = i === d - 1 ? w[i]! : sub(w[i]!, matmul(concat(x, 1), slice(upper, [i, i + 1], [1, d - i - 1]), { transposeB: true }));
      x.unshift(div(r, sliceAxis(diag, 0, i, i + 1)));
    }
    return concat(x, 1);
  };
  const apply = (p: LuLinearParams, x: Tensor, rows: (p: LuLinearParams, x: Tensor) => Tensor) => {
    if (x.rank === 2 && x.shape[1] === d) return rows(p, x);
    if (x.rank === 4 && x.shape[1] === d) {
      const [n, , h, w] = x.shape as [number, number, number, number];
      const flat = reshape(permute(x, [0, 2, 3, 1]), [n * h * w, d]);
      return permute(reshape(rows(p, flat), [n, h, w, d]), [0, 3, 1, 2]);
    }
    throw new ShapeError(`luLinear: input has shape [${x.shape.join(', ')}]; expected [n, ${d}] or [n, ${d}, h, w]`);
  };
  const logDet = (p: LuLinearParams, x: Tensor) => broadcastTo(mul(sum(p.logAbsDiag), x.rank === 4 ? x.shape[2]! * x.shape[3]! : 1), [x.shape[0]!]);
  return {
    kind: 'lu-linear',
    params,
    buffers: null,
    forwardAndLogDet: (p, _b, x) => ({ out: apply(p, x, forwardRows), logDet: logDet(p, x) }),
    inverseAndLogDet: (p, _b, z) => ({ out: apply(p, z, inverseRows), logDet: neg(logDet(p, z)) }),
  };
}
