import type { Key, Tensor } from '@rheo/tensor';
import { normals, uniforms } from '../random-stream.js';
import { toySample } from './toy-sample.js';

/** Number of arms, radial and tangential std, and the rate at which arms bend. */
export const PINWHEEL = { arms: 5, radialStd: 0.3, tangentialStd: 0.1, rate: 0.25 } as const;

/**
 * The pinwheel of Johnson et al. 2016 (arXiv:1603.06277) as used by FFJORD
 * (arXiv:1810.01367): for arm c ∈ {0..4}, f = (1 + 0.3·z1, 0.1·z2),
 * angle θ = 2πc/5 + 0.25·exp(f1), point = 2·Rᵀ(θ)f with R(θ) the rotation by
 * θ, i.e. 2·(f1 cos θ + f2 sin θ, −f1 sin θ + f2 cos θ). Arms are chosen
 * uniformly at random.
 */
export function pinwheel(k: Key, n: number): Tensor {
  return toySample('pinwheel', k, n, 2, (out, [ku, kz]) => {
    const u = uniforms(ku!, n);
    const z = normals(kz!, 2 * n);
    for (let i = 0; i < n; i++) {
      const arm = Math.min(PINWHEEL.arms - 1, Math.floor(u[i]! * PINWHEEL.arms));
      const f1 = 1 + PINWHEEL.radialStd * z[2 * i]!;
      const f2 = PINWHEEL.tangentialStd * z[2 * i + 1]!;
      const theta = (2 * Math.PI * arm) / PINWHEEL.arms + PINWHEEL.rate * Math.exp(f1);
      const c = Math.cos(theta);
      const s = Math.sin(theta);
      out[2 * i] = 2 * (f1 * c + f2 * s);
      out[2 * i + 1] = 2 * (-f1 * s + f2 * c);
    }
  });
}
