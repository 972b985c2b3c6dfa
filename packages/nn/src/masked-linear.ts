import { ArgumentError, matmulBias, mul, ShapeError, split, tensor, Tensor, type Key } from '@rheo/tensor';
import { glorotUniform, zerosInit } from './init';
import type { LinearOptions, LinearParams } from './linear';
import type { Mask } from './made-masks';

/**
 * An affine layer whose weight is multiplied by a fixed 0/1 mask:
 * y = x (W ⊙ M)ᵀ + b. The mask is structure, not a parameter: it lives on
 * the module, outside `params`, so gradients and optimisers never see it.
 */
export interface MaskedLinear {
  readonly kind: 'masked-linear';
  readonly params: LinearParams;
  /** [out, in] 0/1 mask. */
  readonly mask: Tensor;
  readonly apply: (params: LinearParams, x: Tensor) => Tensor;
}

/** x (W ⊙ M)ᵀ + b, the product and bias fused in one `matmulBias`. */
export function applyMaskedLinear(params: LinearParams, mask: Tensor, x: Tensor): Tensor {
  return matmulBias(x, mul(params.w, mask), params.b, { transposeB: true });
}

/** Checks a mask given as rows or a tensor and returns it as an [out, in] float32 tensor. */
export function maskTensor(mask: Mask | Tensor, outFeatures: number, inFeatures: number, who: string): Tensor {
  const shape = mask instanceof Tensor ? [...mask.shape] : [mask.length, mask[0]?.length ?? 0];
  if (shape.length !== 2 || shape[0] !== outFeatures || shape[1] !== inFeatures) {
    throw new ShapeError(`${who}(mask): expected shape [${outFeatures}, ${inFeatures}] ([out, in]), received [${shape.join(', ')}]`);
  }
  if (mask instanceof Tensor) {
    if (mask.dtype !== 'float32') throw new ArgumentError(`${who}(mask): expected a float32 tensor, received ${mask.dtype}`);
    return mask;
  }
  mask.forEach((row, i) => {
    if (row.length !== inFeatures) throw new ShapeError(`${who}(mask): row ${i} has ${row.length} entries, expected ${inFeatures}`);
    const bad = row.findIndex((v) => v !== 0 && v !== 1);
    if (bad >= 0) throw new ArgumentError(`${who}(mask): entry [${i}, ${bad}] is ${row[bad]}, expected 0 or 1`);
  });
  return tensor(mask);
}

/** A masked affine layer, W [out, in] drawn like `linear` (Glorot uniform unless `weightInit`). */
export function maskedLinear(k: Key, inFeatures: number, outFeatures: number, mask: Mask | Tensor, options: LinearOptions = {}): MaskedLinear {
  const m = maskTensor(mask, outFeatures, inFeatures, 'maskedLinear');
  const { weightInit = glorotUniform(), biasInit = zerosInit() } = options;
  const [kw, kb] = split(k, 2);
  const params = { w: weightInit(kw!, [outFeatures, inFeatures]), b: biasInit(kb!, [outFeatures]) };
  return { kind: 'masked-linear', params, mask: m, apply: (p, x) => applyMaskedLinear(p, m, x) };
}
