import { abs, add, div, exp, log, log1p, mul, neg, reshape, sign, sliceAxis, softplus, sqrt, square, sub, type Tensor } from '@rheo/tensor';
import type { Transformer } from '@rheo/flows';

// asinh(x) = sign(x)·log(|x| + √(x² + 1)), without cancellation for x < 0.
const asinh = (x: Tensor) => mul(sign(x), log(add(abs(x), sqrt(add(square(x), 1)))));
const sinh = (u: Tensor) => mul(sub(exp(u), exp(neg(u))), 0.5);
// log cosh(u) = |u| + log(1 + e^(−2|u|)) − log 2, stable for large |u|.
const logCosh = (u: Tensor) => sub(add(abs(u), log1p(exp(mul(abs(u), -2)))), Math.LN2);

/**
 * The sinh-arcsinh transformer (Jones & Pewsey 2009):
 * τ(x) = sinh(δ·asinh(x) − ε), δ = softplus(θ₂) > 0, ε = θ₁, so
 * log τ'(x) = log δ + log cosh(δ·asinh(x) − ε) − ½·log(1 + x²) and
 * τ⁻¹(y) = sinh((asinh(y) + ε)/δ). θ = (0, log(e − 1)) gives δ = 1, ε = 0:
 * the identity.
 */
export function sinhArcsinh(): Transformer {
  const parts = (params: Tensor, x: Tensor) => {
    const [n, d] = x.shape as [number, number];
    const eps = reshape(sliceAxis(params, 2, 0, 1), [n, d]);
    const delta = softplus(reshape(sliceAxis(params, 2, 1, 2), [n, d]));
    return { eps, delta };
  };
  const halfLog1pSq = (x: Tensor) => mul(log1p(square(x)), 0.5);
  return {
    kind: 'sinh-arcsinh',
    paramsPerDim: 2,
    identityParams: [0, Math.log(Math.E - 1)],
    forwardAndLogDet(params, x) {
      const { eps, delta } = parts(params, x);
      const u = sub(mul(delta, asinh(x)), eps);
      return { out: sinh(u), logDet: sub(add(log(delta), logCosh(u)), halfLog1pSq(x)) };
    },
    inverseAndLogDet(params, y) {
      const { eps, delta } = parts(params, y);
      const v = div(add(asinh(y), eps), delta);
      return { out: sinh(v), logDet: sub(sub(logCosh(v), log(delta)), halfLog1pSq(y)) };
    },
  };
}
