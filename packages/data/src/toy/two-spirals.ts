import type { Key, Tensor } from '@rheo/tensor';
import { normals, uniforms } from '../random-stream.js';
import { toySample } from './toy-sample.js';

/**
 * Two interleaved Archimedean spirals, as in FFJORD (Grathwohl et al. 2018,
 * arXiv:1810.01367): s = 3π·sqrt(u) (0 to 540°, the square root spreading
 * points evenly along the arc), arm point (−s cos s + a, s sin s + b) with
 * a, b ~ U(0, 0.5), the second arm its negation (each with probability ½),
 * all divided by 3, plus N(0, 0.1²) per coordinate. Extent about [−4, 4]².
 */
export function twoSpirals(k: Key, n: number): Tensor {
  return toySample('twoSpirals', k, n, 2, (out, [ku, kz]) => {
    const u = uniforms(ku!, 4 * n);
    const z = normals(kz!, 2 * n);
    for (let i = 0; i < n; i++) {
      const s = 3 * Math.PI * Math.sqrt(u[i]!);
      const sign = u[3 * n + i]! < 0.5 ? 1 : -1;
      const x = -Math.cos(s) * s + 0.5 * u[n + i]!;
      const y = Math.sin(s) * s + 0.5 * u[2 * n + i]!;
      out[2 * i] = (sign * x) / 3 + 0.1 * z[2 * i]!;
      out[2 * i + 1] = (sign * y) / 3 + 0.1 * z[2 * i + 1]!;
    }
  });
}
