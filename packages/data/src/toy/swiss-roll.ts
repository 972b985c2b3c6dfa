import type { Key, Tensor } from '@rheo/tensor';
import { normals, uniforms } from '../random-stream.js';
import { toySample } from './toy-sample.js';

/**
 * The 2-D swiss roll of FFJORD (Grathwohl et al. 2018, arXiv:1810.01367):
 * scikit-learn's make_swiss_roll(noise=1) keeping its (x, z) coordinates,
 * divided by 5: t = 1.5π(1 + 2u), u ~ U(0, 1), point = (t cos t + ε1,
 * t sin t + ε2)/5 with ε ~ N(0, 1). Radius t/5 runs from 0.94 to 2.83.
 */
export function swissRoll(k: Key, n: number): Tensor {
  return toySample('swissRoll', k, n, 2, (out, [ku, kz]) => {
    const u = uniforms(ku!, n);
    const z = normals(kz!, 2 * n);
    for (let i = 0; i < n; i++) {
      const t = 1.5 * Math.PI * (1 + 2 * u[i]!);
      out[2 * i] = (t * Math.cos(t) + z[2 * i]!) / 5;
      out[2 * i + 1] = (t * Math.sin(t) + z[2 * i + 1]!) / 5;
    }
  });
}
