import { outputArray } from '../backends/cpu/buffer-pool.js';
import { run } from '../engine.js';
import { ArgumentError, show } from '../errors.js';
import type { Primitive } from '../primitive.js';
import { sizeOf, stridesOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { stridedCopy } from './strided.js';
import { stridedProgram } from '../wgsl/strided.js';

export interface PermuteAttrs {
  readonly perm: readonly number[];
}

/** Reorders axes: output axis i is input axis perm[i]. */
export const permutePrimitive: Primitive<PermuteAttrs> = {
  name: 'permute',
  infer([x], { perm }) {
    const r = x!.shape.length;
    const seen = new Set(perm);
    if (perm.length !== r || seen.size !== r || perm.some((p) => !Number.isInteger(p) || p < 0 || p >= r)) {
      throw new ArgumentError(`permute(x, perm): perm ${show(perm)} is not a permutation of the ${r} axes of x (shape ${show(x!.shape)})`);
    }
    return { shape: perm.map((p) => x!.shape[p]!), dtype: x!.dtype };
  },
  cpu([x], { perm }, out) {
    const o = outputArray(out.dtype, sizeOf(out.shape), x!.values);
    const st = stridesOf(x!.shape);
    stridedCopy(x!.values, 0, perm.map((p) => st[p]!), out.shape, o);
    return o;
  },
  wgsl([x], { perm }, out) {
    const st = stridesOf(x!.shape);
    return stridedProgram(out.dtype, out.shape, perm.map((p) => st[p]!), 0);
  },
  grad(g, _x, _y, { perm }) {
    const inv = new Array<number>(perm.length);
    perm.forEach((p, i) => (inv[p] = i));
    return [permute(g, inv)];
  },
};

/** The axes of x reordered: output axis i is input axis `perm[i]`. */
export function permute(x: Tensor, perm: readonly number[]): Tensor {
  const p = perm.map((a) => (a < 0 ? a + x.rank : a));
  if (p.every((a, i) => a === i) && p.length === x.rank) return x;
  return run(permutePrimitive, [x], { perm: p });
}

/** Swaps the last two axes (a matrix transpose, batched). */
export function transpose(x: Tensor): Tensor {
  if (x.rank < 2) throw new ArgumentError(`transpose(x): expected rank >= 2, received shape ${show(x.shape)}`);
  const perm = x.shape.map((_, i) => i);
  perm[x.rank - 1] = x.rank - 2;
  perm[x.rank - 2] = x.rank - 1;
  return permute(x, perm);
}
