import { ArgumentError, show } from '../errors.js';
import { keyHooks } from '../jit/hooks.js';
import { threefry2x32 } from './threefry.js';

/**
 * A PRNG key: 64 bits naming an independent random stream. Keys are values,
 * never state: the same key always gives the same numbers, and new streams
 * come from `split` and `fold` (Salmon et al. 2011; the JAX design).
 */
export class Key {
  readonly kind = 'key';
  /** @internal the two words, read without notifying a `jit` recording. */ readonly w0: number;
  /** @internal */ readonly w1: number;
  /**
   * @internal where a key made while `jit` records comes from (the recorded
   * function's key argument, or split/fold of such a key), so a replay can
   * derive the same key from another argument; null otherwise.
   */
  origin: KeyOrigin | null = null;

  constructor(k0: number, k1: number) {
    this.w0 = k0 >>> 0;
    this.w1 = k1 >>> 0;
  }

  /** The first 32-bit word. Reading it on the host while `jit` records makes the recording depend on the key's value. */
  get k0(): number {
    if (this.origin !== null) keyHooks.read?.(this);
    return this.w0;
  }

  /** The second 32-bit word (see `k0`). */
  get k1(): number {
    if (this.origin !== null) keyHooks.read?.(this);
    return this.w1;
  }

  toString(): string {
    return `Key(0x${this.w0.toString(16).padStart(8, '0')}, 0x${this.w1.toString(16).padStart(8, '0')})`;
  }
}

/**
 * @internal how a key recorded by `jit` derives from the recorded function's key
 * argument: the argument itself (`root`, owned by one recording), or one key
 * of `split(parent, n)`, or `fold(parent, data)`.
 */
export type KeyOrigin =
  | { readonly kind: 'root'; readonly owner: object }
  | { readonly kind: 'split'; readonly parent: Key; readonly index: number }
  | { readonly kind: 'fold'; readonly parent: Key; readonly data: number };

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
  const keys: Key[] = [];
  for (let i = 0; i < n; i++) {
    const child = splitOne(k, i);
    if (k.origin !== null) child.origin = { kind: 'split', parent: k, index: i };
    keys.push(child);
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
  threefry2x32(k.w0, k.w1, data >>> 0, FOLD_DOMAIN, out, 0);
  const folded = new Key(out[0]!, out[1]!);
  if (k.origin !== null) folded.origin = { kind: 'fold', parent: k, data };
  return folded;
}

/** @internal key i of split(k, n) (it does not depend on n). */
export function splitOne(k: Key, i: number): Key {
  const out = new Uint32Array(2);
  threefry2x32(k.w0, k.w1, i, SPLIT_DOMAIN, out, 0);
  return new Key(out[0]!, out[1]!);
}

/**
 * A host value computed from a key: `f(k)`, such as how many terms a
 * Russian-roulette series keeps. Outside `jit` this is just `f(k)`. Under
 * `jit`, a recording made with one key is replayed only for keys that give
 * the same value (each value seen gets its own recording), where reading the
 * key's words directly would make the recording unusable for any other key.
 * `f` must be a pure function of the key, returning a number, string,
 * boolean or an array of them.
 */
export function keyedValue<T>(k: Key, f: (k: Key) => T): T {
  checkKey(k, 'keyedValue(key)');
  if (k.origin === null || keyHooks.value === null) return f(k);
  return keyHooks.value(k, f);
}
