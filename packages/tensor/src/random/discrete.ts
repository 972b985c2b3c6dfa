import { add } from '../ops/add.js';
import { cast } from '../ops/cast.js';
import { div } from '../ops/div.js';
import { floor } from '../ops/floor.js';
import { less } from '../ops/less.js';
import { log } from '../ops/log.js';
import { mul } from '../ops/mul.js';
import { randomUniform } from '../ops/random-uniform.js';
import { sub } from '../ops/sub.js';
import { tensor } from '../creation.js';
import { ArgumentError, show } from '../errors.js';
import { checkShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { checkKey, type Key } from './key.js';
import { threefryStream } from './threefry.js';

function checkProbability(p: number, arg: string, open = false): void {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1) || (open && p === 0)) {
    throw new ArgumentError(`${arg}: expected a probability in ${open ? '(0, 1]' : '[0, 1]'}, received ${show(p)}`);
  }
}

/** 1 with probability p, else 0 (float32): [u < p]. */
export function bernoulli(k: Key, p: number, shape: readonly number[]): Tensor {
  checkKey(k, 'bernoulli(key)');
  checkProbability(p, 'bernoulli(p)');
  return less(randomUniform(k, checkShape([...shape], 'bernoulli(shape)')), p);
}

/**
 * Geometric: the number of Bernoulli(p) trials up to and including the first
 * success, support {1, 2, ...}, P(N ≥ k) = (1−p)^(k−1), mean 1/p. By
 * inversion N = 1 + floor(log(1−u) / log(1−p)). Returned as float32.
 */
export function geometric(k: Key, p: number, shape: readonly number[]): Tensor {
  checkKey(k, 'geometric(key)');
  checkProbability(p, 'geometric(p)', true);
  const u = randomUniform(k, checkShape([...shape], 'geometric(shape)'));
  if (p === 1) return add(mul(u, 0), 1);
  return add(floor(div(log(sub(1, u)), Math.log1p(-p))), 1);
}

/** Integers uniform on [low, high) as int32: low + floor(u·(high − low)). */
export function randint(k: Key, shape: readonly number[], low: number, high: number): Tensor {
  checkKey(k, 'randint(key)');
  if (!Number.isInteger(low) || !Number.isInteger(high) || !(low < high) || high - low > 2 ** 24) {
    throw new ArgumentError(`randint(low, high): expected integers with low < high and high − low ≤ 2^24, received low=${show(low)}, high=${show(high)}`);
  }
  const u = randomUniform(k, checkShape([...shape], 'randint(shape)'));
  return cast(add(floor(mul(u, high - low)), low), 'int32');
}

/** A uniformly random permutation of 0..n−1 (int32), by Fisher–Yates on the key's stream. */
export function permutation(k: Key, n: number): Tensor {
  return tensor(permutationIndices(k, n));
}

/** The same permutation as `permutation(k, n)`, as a host array (no tensor, any backend). */
export function permutationIndices(k: Key, n: number): Int32Array {
  checkKey(k, 'permutation(key)');
  if (!Number.isInteger(n) || n < 0) throw new ArgumentError(`permutation(n): expected a non-negative integer, received ${show(n)}`);
  const words = threefryStream(k.k0, k.k1, Math.max(0, n - 1));
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    // Multiply-shift maps a 32-bit word to [0, i]; the bias is below 2^-32·n.
    const j = Math.floor((words[n - 1 - i]! / 4294967296) * (i + 1));
    const t = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = t;
  }
  return perm;
}

