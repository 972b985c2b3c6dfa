import { ArgumentError, show } from '../errors.js';
import { threefry2x32 } from './threefry.js';

/**
 * A PRNG key: 64 bits naming an independent random stream. Keys are values,
 * never state: the same key always gives the same numbers, and new streams
 * come from `split` and `fold` (Salmon et al. 2011; the JAX design).
 */
export class Key {
  readonly kind = 'key';
  constructor(
    readonly k0: number,
    readonly k1: number,
  ) {}

  toString(): string {
    return `Key(0x${this.k0.toString(16).padStart(8, '0')}, 0x${this.k1.toString(16).padStart(8, '0')})`;
  }
}

// Counter domains: the stream uses (i, 0); split and fold use the top of the
// second word, so they never meet a stream counter below 2^32 * 2 words.
const SPLIT_DOMAIN = 0xffffffff;
const FOLD_DOMAIN = 0xfffffffe;

/** A key from an integer seed in [0, 2^53). */
export function key(seed: number): Key {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new ArgumentError(`key(seed): expected an integer in [0, 2^53), received ${show(seed)}`);
  }
  return new Key(Math.floor(seed / 0x100000000) >>> 0, seed >>> 0);
}

export function checkKey(k: unknown, arg: string): Key {
  if (!(k instanceof Key)) throw new ArgumentError(`${arg}: expected a PRNG Key (from key(seed), split or fold), received ${show(k)}`);
  return k;
}

/** n independent keys derived from k. */
export function split(k: Key, n = 2): Key[] {
  checkKey(k, 'split(key)');
  if (!Number.isInteger(n) || n < 1) throw new ArgumentError(`split(key, n): expected a positive integer n, received ${show(n)}`);
  const out = new Uint32Array(2);
  const keys: Key[] = [];
  for (let i = 0; i < n; i++) {
    threefry2x32(k.k0, k.k1, i, SPLIT_DOMAIN, out, 0);
    keys.push(new Key(out[0]!, out[1]!));
  }
  return keys;
}

/**
 * A key derived from k and an unsigned 32-bit integer (a step number, a layer
 * index). `data` must lie in [0, 2^32): the counter is 32 bits wide, so a
 * larger or negative value would alias one inside (fold(k, 2^32) = fold(k, 0)).
 */
export function fold(k: Key, data: number): Key {
  checkKey(k, 'fold(key)');
  if (!Number.isInteger(data) || data < 0 || data > 0xffffffff) {
    throw new ArgumentError(`fold(key, data): expected an integer in [0, 2^32), received ${show(data)}`);
  }
  const out = new Uint32Array(2);
  threefry2x32(k.k0, k.k1, data >>> 0, FOLD_DOMAIN, out, 0);
  return new Key(out[0]!, out[1]!);
}
