import { ArgumentError, gather, permutationIndices, tensor, zeros, type Key, type Tensor } from '@rheo/tensor';
import type { Transform } from './transform.js';

/** Indices as int32, checked to be a permutation of 0..d−1. */
function checkPermutation(perm: readonly number[], what: string): void {
  const seen = new Set(perm);
  if (seen.size !== perm.length || perm.some((p) => !Number.isInteger(p) || p < 0 || p >= perm.length)) {
    throw new ArgumentError(`${what}: received [${perm.join(', ')}]; expected a permutation of 0..${perm.length - 1}`);
  }
}

/**
 * z[:, i] = x[:, perm[i]] over the last axis; volume-preserving (log-det 0).
 * The order is fixed (not a parameter).
 */
export function permute(perm: readonly number[]): Transform<Tensor[], null> {
  checkPermutation(perm, 'permute(perm)');
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  // Index tensors are made per call, so a transform built inside tidy() stays usable after it.
  const fwd = () => tensor(Int32Array.from(perm), [perm.length]);
  const bwd = () => tensor(Int32Array.from(inv), [perm.length]);
  const apply = (x: Tensor, idx: () => Tensor) => {
    if (x.shape[x.rank - 1] !== perm.length) {
      throw new ArgumentError(`permute: input has shape [${x.shape.join(', ')}]; expected last axis ${perm.length}`);
    }
    return gather(x, idx(), x.rank - 1);
  };
  return {
    kind: 'permute',
    params: [],
    buffers: null,
    forwardAndLogDet: (_p, _b, x) => ({ out: apply(x, fwd), logDet: zeros([x.shape[0]!]) }),
    inverseAndLogDet: (_p, _b, z) => ({ out: apply(z, bwd), logDet: zeros([z.shape[0]!]) }),
  };
}

/** Reverses the last axis (the usual choice between autoregressive layers). */
export function reversePermutation(d: number): Transform<Tensor[], null> {
  return permute(Array.from({ length: d }, (_, i) => d - 1 - i));
}

/** A uniformly random, fixed order drawn from the key. */
export function randomPermutation(key: Key, d: number): Transform<Tensor[], null> {
  return permute(Array.from(permutationIndices(key, d)));
}
