import type { Key, Tensor } from '@rheo/tensor';
import { normals, uniforms } from '../random-stream.js';
import { toySample } from './toy-sample.js';

/** Centres of the two arcs after scaling: upper arc around (−1, −0.2), lower arc around (1, 0.8). */
export const TWO_MOONS_CENTRES: readonly (readonly [number, number])[] = [[-1, -0.2], [1, 0.8]];
/** Arc radius after scaling (scikit-learn's unit radius, times 2). */
export const TWO_MOONS_RADIUS = 2;

/**
 * Two interleaved half circles, as scikit-learn's make_moons with noise 0.1,
 * then scaled by 2 and shifted by (−1, −0.2) as in FFJORD (Grathwohl et al.
 * 2018, arXiv:1810.01367): upper arc (cos t, sin t), lower arc
 * (1 − cos t, 0.5 − sin t), t ~ U(0, π), plus N(0, 0.1²) per coordinate
 * before scaling (std 0.2 after). Each point picks an arc with probability ½.
 */
export function twoMoons(k: Key, n: number): Tensor {
  return toySample('twoMoons', k, n, 2, (out, [ku, kz]) => {
    const u = uniforms(ku!, 2 * n);
    const z = normals(kz!, 2 * n);
    for (let i = 0; i < n; i++) {
      const t = Math.PI * u[i]!;
      const upper = u[n + i]! < 0.5;
      const x = upper ? Math.cos(t) : 1 - Math.cos(t);
      const y = upper ? Math.sin(t) : 0.5 - Math.sin(t);
      out[2 * i] = 2 * (x + 0.1 * z[2 * i]!) - 1;
      out[2 * i + 1] = 2 * (y + 0.1 * z[2 * i + 1]!) - 0.2;
    }
  });
}
