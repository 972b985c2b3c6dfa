import { add } from '../ops/add.js';
import { cos } from '../ops/cos.js';
import { log } from '../ops/log.js';
import { mul } from '../ops/mul.js';
import { randomUniform } from '../ops/random-uniform.js';
import { sliceAxis } from '../ops/slice.js';
import { reshape } from '../ops/reshape.js';
import { sqrt } from '../ops/sqrt.js';
import { sub } from '../ops/sub.js';
import { ArgumentError } from '../errors.js';
import { checkShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { checkKey, type Key } from './key.js';

/** Uniform on [low, high). */
export function uniform(k: Key, shape: readonly number[], low = 0, high = 1): Tensor {
  checkKey(k, 'uniform(key)');
  if (!(low < high)) throw new ArgumentError(`uniform(low, high): expected low < high, received low=${low}, high=${high}`);
  const u = randomUniform(k, checkShape([...shape], 'uniform(shape)'));
  return low === 0 && high === 1 ? u : add(mul(u, high - low), low);
}

/**
 * Normal N(mean, std²) by the Box–Muller transform: z = sqrt(-2 ln(1-u1)) cos(2π u2),
 * with u1, u2 the two halves of one uniform draw of twice the size.
 */
export function normal(k: Key, shape: readonly number[], mean = 0, std = 1): Tensor {
  checkKey(k, 'normal(key)');
  const s = checkShape([...shape], 'normal(shape)');
  if (!(std >= 0)) throw new ArgumentError(`normal(std): expected std >= 0, received ${std}`);
  const n = s.reduce((a, b) => a * b, 1);
  const u = randomUniform(k, [2, n]);
  const u1 = sliceAxis(u, 0, 0, 1);
  const u2 = sliceAxis(u, 0, 1, 2);
  const z = mul(sqrt(mul(log(sub(1, u1)), -2)), cos(mul(u2, 2 * Math.PI)));
  const shaped = reshape(z, s);
  return std === 1 && mean === 0 ? shaped : add(mul(shaped, std), mean);
}
