import type { LinearParams } from '@rheo/nn';
import { ArgumentError, type Key } from '@rheo/tensor';
import { affineTransformer } from './affine-transformer.js';
import { buildCoupling, type CouplingOptions } from './coupling.js';
import type { Transform } from './transform.js';

/** Options of `affineCoupling`: those of `coupling` with the affine transformer's clamp in place of `transformer`. */
export interface AffineCouplingOptions extends Omit<CouplingOptions, 'transformer'> {
  /** Soft clamp c of the log-scale, s = c·tanh(raw/c); default 3. */
  readonly scaleClamp?: number;
}

/**
 * Affine coupling (RealNVP, Dinh, Sohl-Dickstein & Bengio 2017,
 * arXiv:1605.08803): `coupling` with `affineTransformer({ scaleClamp })`,
 * z_A = x_A, z_B = x_B ⊙ exp(s) + t with (s, t) = NN([x_A, context]), s
 * soft-clamped (see `softClamp`); log |det| = Σ s, and the inverse
 * x_B = (z_B − t) ⊙ exp(−s) needs one network pass. A fresh layer is the
 * identity. The conditioner's outputs are (s_1..s_B, t_1..t_B).
 */
export function affineCoupling(
  k: Key, eventShape: number | readonly number[], options: AffineCouplingOptions = {},
): Transform<LinearParams[], null> {
  const { scaleClamp = 3, ...rest } = options;
  if (!(scaleClamp > 0)) throw new ArgumentError(`affineCoupling(options.scaleClamp): received ${scaleClamp}; expected a positive number`);
  return buildCoupling(k, eventShape, { ...rest, transformer: affineTransformer({ form: 'scale-shift', scaleClamp }) }, 'affineCoupling');
}
