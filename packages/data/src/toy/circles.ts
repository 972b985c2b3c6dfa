import type { Key, Tensor } from '@rheo/tensor';
import { normals, uniforms } from '../random-stream.js';
import { toySample } from './toy-sample.js';

/** Radii of the outer and inner circle: scikit-learn's 1 and factor 0.5, times 3. */
export const CIRCLES_RADII: readonly number[] = [3, 1.5];
/** Noise std after scaling: scikit-learn's 0.08, times 3. */
export const CIRCLES_NOISE = 0.24;

/**
 * Two concentric circles, as scikit-learn's make_circles(factor=0.5,
 * noise=0.08) scaled by 3 in FFJORD (Grathwohl et al. 2018, arXiv:1810.01367):
 * radius 3 or 1.5 with probability ½, uniform angle, N(0, 0.24²) noise per
 * coordinate.
 */
export function circles(k: Key, n: number): Tensor {
  return toySample('circles', k, n, 2, (out, [ku, kz]) => {
    const u = uniforms(ku!, 2 * n);
    const z = normals(kz!, 2 * n);
    for (let i = 0; i < n; i++) {
      const r = CIRCLES_RADII[u[i]! < 0.5 ? 0 : 1]!;
      const a = 2 * Math.PI * u[n + i]!;
      out[2 * i] = r * Math.cos(a) + CIRCLES_NOISE * z[2 * i]!;
      out[2 * i + 1] = r * Math.sin(a) + CIRCLES_NOISE * z[2 * i + 1]!;
    }
  });
}
