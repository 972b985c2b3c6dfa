import type { Key, Tensor } from '@rheo/tensor';
import { normals, uniforms } from '../random-stream.js';
import { toySample } from './toy-sample.js';

/** Radius of the ring of centres, R = 4/√2 ≈ 2.83 (FFJORD's 4 scaled by 1/1.414). */
export const EIGHT_GAUSSIANS_RADIUS = 4 / Math.SQRT2;
/** Standard deviation of each component, σ = 0.5/√2 ≈ 0.354. */
export const EIGHT_GAUSSIANS_STD = 0.5 / Math.SQRT2;

/**
 * A mixture of 8 equally weighted isotropic Gaussians with centres
 * R·(cos(kπ/4), sin(kπ/4)), k = 0..7, and std σ (constants above): the
 * "8gaussians" density of Grathwohl et al. 2018 (FFJORD, arXiv:1810.01367).
 */
export function eightGaussians(k: Key, n: number): Tensor {
  return toySample('eightGaussians', k, n, 2, (out, [kc, kz]) => {
    const u = uniforms(kc!, n);
    const z = normals(kz!, 2 * n);
    for (let i = 0; i < n; i++) {
      const c = Math.min(7, Math.floor(u[i]! * 8));
      const a = (c * Math.PI) / 4;
      out[2 * i] = EIGHT_GAUSSIANS_RADIUS * Math.cos(a) + EIGHT_GAUSSIANS_STD * z[2 * i]!;
      out[2 * i + 1] = EIGHT_GAUSSIANS_RADIUS * Math.sin(a) + EIGHT_GAUSSIANS_STD * z[2 * i + 1]!;
    }
  });
}
