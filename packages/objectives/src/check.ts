import { ArgumentError, Key, ShapeError, Tensor } from '@rheo/tensor';

/** Throws unless `t` is a float32 tensor of the given rank; names the argument. */
export function checkTensor(t: unknown, rank: number, arg: string, layout: string): Tensor {
  if (!(t instanceof Tensor)) throw new ArgumentError(`${arg}: expected a float32 Tensor shaped ${layout}, received ${String(t)}`);
  if (t.rank !== rank || t.dtype !== 'float32') {
    throw new ShapeError(`${arg}: expected a float32 tensor shaped ${layout}, received ${t.dtype} shape [${t.shape.join(', ')}]`);
  }
  return t;
}

/** Throws unless `v` is an integer ≥ `min`. */
export function checkInteger(v: number, min: number, arg: string): number {
  if (!Number.isInteger(v) || v < min) throw new ArgumentError(`${arg}: expected an integer ≥ ${min}, received ${String(v)}`);
  return v;
}

/** Throws unless `k` is a PRNG key. */
export function checkKeyLike(k: unknown, arg: string): Key {
  if (!(k instanceof Key)) throw new ArgumentError(`${arg}: expected a PRNG Key (from key(seed), split or fold), received ${String(k)}`);
  return k;
}
