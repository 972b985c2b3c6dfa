import { ArgumentError, Key, split, tensor, type Tensor } from '@rheo/tensor';

/**
 * Validates (key, n), splits the key into `streams` independent keys, lets
 * `fill` write n interleaved (x, y) pairs and returns them as a float32
 * [n, 2] tensor. Sampling runs on the CPU from the keys alone, so the same
 * key gives the same points on every backend.
 */
export function toySample(name: string, k: Key, n: number, streams: number, fill: (out: Float32Array, keys: Key[]) => void): Tensor {
  if (!(k instanceof Key)) throw new ArgumentError(`${name}(key): expected a PRNG Key (from key(seed), split or fold), received ${k === null ? 'null' : typeof k}`);
  if (!Number.isInteger(n) || n < 1) throw new ArgumentError(`${name}(n): expected a positive integer, received ${String(n)}`);
  const out = new Float32Array(2 * n);
  fill(out, split(k, streams));
  return tensor(out, [n, 2]);
}
