import type { Key, Tensor } from '@rheo/tensor';
import { normals, uniforms } from '../random-stream.js';
import { toySample } from './toy-sample.js';

/** Radii of the four rings, 3·(1, ¾, ½, ¼). */
export const RINGS_RADII: readonly number[] = [3, 2.25, 1.5, 0.75];
/** Std of the isotropic Gaussian noise added to every point. */
export const RINGS_NOISE = 0.08;

/**
 * Four concentric circles of radii 3, 2.25, 1.5 and 0.75, equally likely, with
 * uniform angle and N(0, 0.08²) noise per coordinate: FFJORD's "rings"
 * (Grathwohl et al. 2018, arXiv:1810.01367), with random rather than evenly
 * spaced angles.
 */
export function rings(k: Key, n: number): Tensor {
  return toySample('rings', k, n, 2, (out, [ku, kz]) => {
    const u = uniforms(ku!, 2 * n);
    const z = normals(kz!, 2 * n);
    for (let i = 0; i < n; i++) {
      const r = RINGS_RADII[Math.min(3, Math.floor(u[i]! * 4))]!;
      const a = 2 * Math.PI * u[n + i]!;
      out[2 * i] = r * Math.cos(a) + RINGS_NOISE * z[2 * i]!;
      out[2 * i + 1] = r * Math.sin(a) + RINGS_NOISE * z[2 * i + 1]!;
    }
  });
}
