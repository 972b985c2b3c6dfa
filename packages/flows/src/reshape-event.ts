import { ArgumentError, ShapeError, reshape, zeros, type Tensor } from '@rheo/tensor';
import type { Transform } from './transform.js';

/**
 * Reads [n, ...from] as [n, ...to] (same number of entries, row-major); a
 * relabelling with log |det| = 0. Lets image layers run on data stored flat
 * ([n, c·h·w]), and vice versa.
 */
export function reshapeEvent(from: readonly number[], to: readonly number[]): Transform<Tensor[], null> {
  const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
  const valid = (s: readonly number[]) => s.length > 0 && s.every((v) => Number.isInteger(v) && v >= 1);
  if (!valid(from) || !valid(to) || size(from) !== size(to)) {
    throw new ArgumentError(`reshapeEvent(from, to): received [${from.join(', ')}] and [${to.join(', ')}]; expected positive shapes with equal sizes`);
  }
  const move = (x: Tensor, a: readonly number[], b: readonly number[]) => {
    if (x.rank !== a.length + 1 || a.some((v, i) => x.shape[i + 1] !== v)) {
      throw new ShapeError(`reshapeEvent: input has shape [${x.shape.join(', ')}]; expected [n, ${a.join(', ')}]`);
    }
    return { out: reshape(x, [x.shape[0]!, ...b]), logDet: zeros([x.shape[0]!]) };
  };
  return {
    kind: 'reshape-event',
    params: [],
    buffers: null,
    forwardAndLogDet: (_p, _b, x) => move(x, from, to),
    inverseAndLogDet: (_p, _b, z) => move(z, to, from),
  };
}
