import { add, matmul, uniform, zeros, type Key, type Tensor } from '@rheo/tensor';

/** Parameters of an affine map; W has shape [out, in], so y = x Wᵀ + b. */
export interface LinearParams {
  w: Tensor;
  b: Tensor;
}

export interface Linear {
  kind: 'linear';
  params: LinearParams;
  apply: (params: LinearParams, x: Tensor) => Tensor;
}

export function applyLinear(params: LinearParams, x: Tensor): Tensor {
  return add(matmul(x, params.w, { transposeB: true }), params.b);
}

// Glorot/Xavier uniform: U(-a, a), a = sqrt(6 / (in + out)) (Glorot & Bengio, 2010).
export function linear(k: Key, inFeatures: number, outFeatures: number): Linear {
  const a = Math.sqrt(6 / (inFeatures + outFeatures));
  return { kind: 'linear', params: { w: uniform(k, [outFeatures, inFeatures], -a, a), b: zeros([outFeatures]) }, apply: applyLinear };
}
