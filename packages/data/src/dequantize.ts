import { ArgumentError, type Key } from '@rheo/tensor';
import { uniforms } from './random-stream.js';

/**
 * Uniform dequantisation (Theis et al. 2016, arXiv:1511.01844; as in MAF,
 * arXiv:1705.07057): x = (v + u) / levels with u ~ U(0, 1) drawn from the
 * key, mapping integers v ∈ {0..levels−1} onto [0, 1) so that a continuous
 * density's likelihood bounds the discrete one. Float32 rounding can reach
 * 1 − 2^-24 at most, never 1: values are clamped below 1.
 */
export function dequantize(values: ArrayLike<number>, levels: number, k: Key): Float32Array {
  if (!Number.isInteger(levels) || levels < 2) throw new ArgumentError(`dequantize(levels): expected an integer ≥ 2, received ${levels}`);
  const u = uniforms(k, values.length);
  const out = new Float32Array(values.length);
  const below1 = 1 - 2 ** -24;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(Number.isInteger(v) && v >= 0 && v < levels)) throw new ArgumentError(`dequantize(values): expected integers in [0, ${levels}), received ${v} at index ${i}`);
    out[i] = Math.min(below1, (v + u[i]!) / levels);
  }
  return out;
}

/**
 * In place y = logit(α + (1 − 2α)x) for x ∈ [0, 1) (Dinh et al. 2017, RealNVP,
 * arXiv:1605.08803; MAF uses α = 1e-6 on MNIST): the α margin keeps the logit
 * finite at 0. Returns the total log|det ∂y/∂x| per row of width `cols`:
 * Σ_j [log(1 − 2α) − log s_j − log(1 − s_j)], s_j = α + (1 − 2α)x_j,
 * which enters a density (and bits/dim) reported in [0, 1) units.
 */
export function logitTransform(x: Float32Array, cols: number, alpha: number): Float64Array {
  if (!(alpha > 0 && alpha < 0.5)) throw new ArgumentError(`logitTransform(alpha): expected 0 < alpha < 0.5, received ${alpha}`);
  if (!Number.isInteger(cols) || cols < 1 || x.length % cols !== 0) throw new ArgumentError(`logitTransform(cols): expected a positive divisor of ${x.length}, received ${cols}`);
  const logDet = new Float64Array(x.length / cols);
  const c = Math.log1p(-2 * alpha);
  for (let i = 0; i < x.length; i++) {
    const s = alpha + (1 - 2 * alpha) * x[i]!;
    x[i] = Math.log(s) - Math.log1p(-s);
    logDet[Math.floor(i / cols)] += c - Math.log(s) - Math.log1p(-s);
  }
  return logDet;
}
