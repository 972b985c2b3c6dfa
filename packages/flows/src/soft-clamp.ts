import { mul, tanh, type Tensor } from '@rheo/tensor';

/**
 * s = c·tanh(raw/c): the identity near 0 (slope 1) and bounded by ±c, so a
 * conditioner cannot blow up a log-scale in early training (the soft clamp
 * of Glow's and nflows' affine layers). c = Infinity leaves raw unchanged.
 */
export function softClamp(raw: Tensor, c: number): Tensor {
  return Number.isFinite(c) ? mul(tanh(mul(raw, 1 / c)), c) : raw;
}
