import { ArgumentError, add, log, log1p, logSigmoid, mul, neg, sigmoid, sub, sum, type Tensor } from '@rheo/tensor';
import type { Transform } from './transform.js';

function eventAxes(x: Tensor): number[] {
  return x.shape.slice(1).map((_, i) => i + 1);
}

/**
 * Logit transform for data in [0, 1] (Dinh et al. 2017, arXiv:1605.08803,
 * §4.1; Papamakarios et al. 2017, arXiv:1705.07057, §4.3):
 * y = logit(p), p = α + (1 − 2α) x, which maps the unit cube to ℝ^D so a flow
 * with an unbounded base fits it; α keeps the logit finite at 0 and 1.
 * log |dy/dx| = log(1 − 2α) − log p − log(1 − p) per entry, summed over the
 * event, so log p(x) (and bits/dim) comes out in data space. Default α = 0.05
 * (RealNVP's choice for images); MAF used 10⁻⁶ for MNIST.
 */
export function logitTransform(alpha = 0.05): Transform<Tensor[], null> {
  if (!(alpha >= 0 && alpha < 0.5)) throw new ArgumentError(`logitTransform(alpha): received ${alpha}; expected a number in [0, 0.5)`);
  const logScale = Math.log1p(-2 * alpha);
  return {
    kind: 'logit',
    params: [],
    buffers: null,
    forwardAndLogDet: (_p, _b, x) => {
      const p = add(mul(x, 1 - 2 * alpha), alpha);
      const logP = log(p);
      const log1mP = log1p(neg(p));
      const perEntry = sub(sub(logScale, logP), log1mP);
      return { out: sub(logP, log1mP), logDet: sum(perEntry, eventAxes(x)) };
    },
    // log |dx/dy| = log σ(y) + log σ(−y) − log(1 − 2α), since dσ/dy = σ(y) σ(−y).
    inverseAndLogDet: (_p, _b, y) => {
      const out = mul(sub(sigmoid(y), alpha), 1 / (1 - 2 * alpha));
      const perEntry = sub(add(logSigmoid(y), logSigmoid(neg(y))), logScale);
      return { out, logDet: sum(perEntry, eventAxes(y)) };
    },
  };
}
