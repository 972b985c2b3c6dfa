import { matmulBias, split, type Key, type Tensor } from '@rheo/tensor';
import { glorotUniform, zerosInit, type Initializer } from './init';

/** Parameters of an affine map; W has shape [out, in], so y = x Wᵀ + b. */
export type LinearParams = { w: Tensor; b: Tensor };

/** A dense layer: its initial parameters and `apply(params, x)`. */
export interface Linear {
  readonly kind: 'linear';
  readonly params: LinearParams;
  readonly apply: (params: LinearParams, x: Tensor) => Tensor;
}

/**
 * Options of `linear`: the initialisers of the weight W [out, in] (Glorot uniform by default) and
 * the bias b (zeros).
 */
export interface LinearOptions {
  /** Initialiser of W ([out, in]); Glorot uniform by default. */
  readonly weightInit?: Initializer;
  /** Initialiser of b ([out]); zeros by default. */
  readonly biasInit?: Initializer;
}

/**
 * y = x Wᵀ + b for a `LinearParams` (weights [out, in], bias [out]), as one
 * fused `matmulBias` (the bias is added as the product is stored; the same
 * values and gradients as `add(matmul(x, W, { transposeB: true }), b)`).
 */
export function applyLinear(params: LinearParams, x: Tensor): Tensor {
  return matmulBias(x, params.w, params.b, { transposeB: true });
}

/** An affine layer with W drawn from `weightInit` (Glorot uniform unless given) and b from `biasInit` (zeros). */
export function linear(k: Key, inFeatures: number, outFeatures: number, options: LinearOptions = {}): Linear {
  const { weightInit = glorotUniform(), biasInit = zerosInit() } = options;
  const [kw, kb] = split(k, 2);
  return { kind: 'linear', params: { w: weightInit(kw!, [outFeatures, inFeatures]), b: biasInit(kb!, [outFeatures]) }, apply: applyLinear };
}
