import {
  ArgumentError, ShapeError, add, broadcastTo, exp, log, mean, mul, neg, reshape, stopGradient, sum, variance, zeros,
  type Tensor,
} from '@rheo/tensor';
import type { Transform } from './transform.js';

/**
 * Parameters of `actNorm`: a bias `b` and log-scale `logs` per channel (Kingma & Dhariwal 2018,
 * arXiv:1807.03039).
 */
export type ActNormParams = {
  readonly bias: Tensor;
  readonly logScale: Tensor;
};

function checkInput(x: Tensor, channels: number, who: string): void {
  if (x.rank < 2 || x.shape[1] !== channels) {
    throw new ShapeError(`${who}: input has shape [${x.shape.join(', ')}]; expected [n, ${channels}] or [n, ${channels}, ...spatial]`);
  }
}

// [c] → [c, 1, …, 1] so it broadcasts along axis 1 of a rank-r batch.
function perChannel(v: Tensor, rank: number): Tensor {
  return rank === 2 ? v : reshape(v, [v.shape[0]!, ...new Array<number>(rank - 2).fill(1)]);
}

function spatialSize(x: Tensor): number {
  return x.shape.slice(2).reduce((a, b) => a * b, 1);
}

/**
 * ActNorm (Glow, Kingma & Dhariwal 2018, arXiv:1807.03039): a per-channel
 * affine map z = (x + b) ⊙ exp(logs) on axis 1 of [n, c] or [n, c, h, w];
 * log |det| = (h·w) Σ logs. Starts as the identity; `actNormInit` sets it
 * from a batch, as Glow does before training.
 */
export function actNorm(channels: number): Transform<ActNormParams, null> {
  if (!Number.isInteger(channels) || channels < 1) throw new ArgumentError(`actNorm(channels): received ${channels}; expected a positive integer`);
  const logDet = (p: ActNormParams, x: Tensor) => broadcastTo(mul(sum(p.logScale), spatialSize(x)), [x.shape[0]!]);
  return {
    kind: 'act-norm',
    params: { bias: zeros([channels]), logScale: zeros([channels]) },
    buffers: null,
    forwardAndLogDet: (p, _b, x) => {
      checkInput(x, channels, 'actNorm');
      const out = mul(add(x, perChannel(p.bias, x.rank)), exp(perChannel(p.logScale, x.rank)));
      return { out, logDet: logDet(p, x) };
    },
    inverseAndLogDet: (p, _b, z) => {
      checkInput(z, channels, 'actNorm');
      const out = add(mul(z, exp(neg(perChannel(p.logScale, z.rank)))), neg(perChannel(p.bias, z.rank)));
      return { out, logDet: neg(logDet(p, z)) };
    },
  };
}

/**
 * Data-dependent initialisation (Kingma & Dhariwal 2018, §3.1): b = −mean,
 * logs = −½ log(var + eps) per channel over the batch and spatial axes, so
 * the layer's output has zero mean and unit variance on x. eps keeps a
 * constant channel finite. The result carries no gradient.
 */
export function actNormInit(params: ActNormParams, x: Tensor, eps = 1e-6): ActNormParams {
  const c = params.bias.shape[0]!;
  checkInput(x, c, 'actNormInit');
  if (x.shape[0]! * spatialSize(x) < 2) throw new ArgumentError(`actNormInit(x): received shape [${x.shape.join(', ')}]; expected at least 2 values per channel`);
  const axes = [0, ...x.shape.slice(2).map((_, i) => i + 2)];
  const xs = stopGradient(x);
  return { bias: neg(mean(xs, axes)), logScale: mul(log(add(variance(xs, axes), eps)), -0.5) };
}
