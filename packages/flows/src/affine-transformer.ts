import { ArgumentError, ShapeError, add, exp, mul, neg, reshape, sliceAxis, sub, type Tensor } from '@rheo/tensor';
import { softClamp } from './soft-clamp.js';
import type { Transformer } from './transformer.js';

/** Options of `affineTransformer`. */
export interface AffineTransformerOptions {
  /**
   * How θ = (θ₁, θ₂) is read:
   * - 'scale-shift' (default; RealNVP's coupling): θ = (s, t),
   *   τ(x) = x·exp(ŝ) + t, log τ' = ŝ;
   * - 'standardize' (MAF's): θ = (μ, α), τ(x) = (x − μ)·exp(−α̂),
   *   log τ' = −α̂.
   * The two are the same family of maps; the choice fixes what a trained
   * conditioner's outputs mean, so saved layers keep theirs.
   */
  readonly form?: 'scale-shift' | 'standardize';
  /** Soft clamp c of the log-scale, ŝ = c·tanh(s/c) (see `softClamp`); default 3, Infinity for none. */
  readonly scaleClamp?: number;
}

/** The elementwise affine transformer (see `affineTransformer`). */
export interface AffineTransformer extends Transformer {
  readonly kind: 'affine';
  readonly form: 'scale-shift' | 'standardize';
  readonly scaleClamp: number;
}

/**
 * The elementwise affine transformer of RealNVP (Dinh, Sohl-Dickstein &
 * Bengio 2017, arXiv:1605.08803) and MAF (Papamakarios, Pavlakou & Murray
 * 2017, arXiv:1705.07057): two parameters per entry, a shift and a
 * soft-clamped log-scale. 'scale-shift': y = x·exp(ŝ) + t, so
 * x = (y − t)·exp(−ŝ) and log |∂y/∂x| = ŝ. 'standardize':
 * y = (x − μ)·exp(−α̂), so x = y·exp(α̂) + μ and log |∂y/∂x| = −α̂. θ = 0 is the
 * identity in both forms.
 */
export function affineTransformer(options: AffineTransformerOptions = {}): AffineTransformer {
  const { form = 'scale-shift', scaleClamp = 3 } = options;
  if (form !== 'scale-shift' && form !== 'standardize') {
    throw new ArgumentError(`affineTransformer(options.form): received ${JSON.stringify(form)}; expected 'scale-shift' or 'standardize'`);
  }
  if (!(scaleClamp > 0)) throw new ArgumentError(`affineTransformer(options.scaleClamp): received ${scaleClamp}; expected a positive number`);
  // θ[..., c] as [n, d]; for 'scale-shift' c = 0 is the log-scale, for 'standardize' c = 1.
  const part = (params: Tensor, x: Tensor, c: number): Tensor => {
    if (params.rank !== 3 || params.shape[0] !== x.shape[0] || params.shape[1] !== x.shape[1] || params.shape[2] !== 2) {
      throw new ShapeError(`affineTransformer(params): received shape [${params.shape.join(', ')}]; expected [${x.shape[0]}, ${x.shape[1]}, 2]`);
    }
    return reshape(sliceAxis(params, 2, c, c + 1), [x.shape[0]!, x.shape[1]!]);
  };
  const scaleShift = form === 'scale-shift';
  const logScale = (params: Tensor, x: Tensor) => softClamp(part(params, x, scaleShift ? 0 : 1), scaleClamp);
  const shift = (params: Tensor, x: Tensor) => part(params, x, scaleShift ? 1 : 0);
  return {
    kind: 'affine',
    form,
    scaleClamp,
    paramsPerDim: 2,
    identityParams: [0, 0],
    forwardAndLogDet(params, x) {
      const s = logScale(params, x);
      const t = shift(params, x);
      return scaleShift ? { out: add(mul(x, exp(s)), t), logDet: s } : { out: mul(sub(x, t), exp(neg(s))), logDet: neg(s) };
    },
    inverseAndLogDet(params, y) {
      const s = logScale(params, y);
      const t = shift(params, y);
      return scaleShift ? { out: mul(sub(y, t), exp(neg(s))), logDet: neg(s) } : { out: add(mul(y, exp(s)), t), logDet: s };
    },
  };
}
