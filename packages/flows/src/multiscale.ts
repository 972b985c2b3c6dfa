import {
  ArgumentError, ShapeError, add, concat, fold, reshape, sliceAxis, zeros, type Tensor, type TensorTree,
} from '@rheo/tensor';
import { squeeze } from './squeeze.js';
import type { AnyTransform, Buffers, Transform, TransformOptions } from './transform.js';

type Params = TensorTree[];
type BufferList = Buffers[];

function at(options: TransformOptions | undefined, i: number): TransformOptions | undefined {
  return options?.key === undefined ? options : { ...options, key: fold(options.key, i) };
}

/**
 * The multiscale architecture of RealNVP (Dinh et al. 2017,
 * arXiv:1605.08803, §3.6) and Glow (Kingma & Dhariwal 2018,
 * arXiv:1807.03039): level l squeezes its input [c, h, w] to [4c, h/2, w/2],
 * applies levels[l] (which must keep that shape), and, except at the last
 * level, factors out the first half of the channels: they go to the latent
 * as they are, the other half continues to level l + 1. The latent is flat,
 * [n, c·h·w]: the factored-out pieces in level order, then the last level's
 * output, each flattened row-major. So `flow(standardNormal(c·h·w), [multiscale(...)])`
 * works unchanged, and the factored-out dimensions cost no further computation.
 */
export function multiscale(eventShape: readonly [number, number, number], levels: readonly AnyTransform[]): Transform<Params, BufferList> {
  const [c0, h0, w0] = eventShape;
  const scale = 2 ** levels.length;
  if (levels.length === 0) throw new ArgumentError('multiscale(levels): received []; expected at least one level');
  if (![c0, h0, w0].every((v) => Number.isInteger(v) && v >= 1) || h0 % scale !== 0 || w0 % scale !== 0) {
    throw new ArgumentError(`multiscale(eventShape): received [${eventShape.join(', ')}]; expected positive [c, h, w] with h and w divisible by ${scale}`);
  }
  const list = [...levels];
  const last = list.length - 1;
  // Level l receives [c0·2^l, h0/2^l, w0/2^l] (each level squeezes ×4 channels, then keeps half) and works at:
  const inside = list.map((_, l) => [4 * c0 * 2 ** l, h0 / 2 ** (l + 1), w0 / 2 ** (l + 1)] as const);
  const size = c0 * h0 * w0;
  const sq = squeeze();
  const checkInside = (y: Tensor, l: number) => {
    const s = inside[l]!;
    if (y.rank !== 4 || y.shape[1] !== s[0] || y.shape[2] !== s[1] || y.shape[3] !== s[2]) {
      throw new ShapeError(`multiscale: level ${l} returned shape [${y.shape.join(', ')}]; expected [n, ${s.join(', ')}] (levels must keep their shape)`);
    }
  };
  return {
    kind: 'multiscale',
    params: list.map((t) => t.params as TensorTree),
    buffers: list.map((t) => t.buffers as Buffers),
    forwardAndLogDet: (p, b, x, o) => {
      if (x.rank !== 4 || x.shape[1] !== c0 || x.shape[2] !== h0 || x.shape[3] !== w0) {
        throw new ShapeError(`multiscale: input has shape [${x.shape.join(', ')}]; expected [n, ${c0}, ${h0}, ${w0}]`);
      }
      const n = x.shape[0]!;
      const pieces: Tensor[] = [];
      let cur = x;
      let logDet: Tensor = zeros([n]);
      list.forEach((t, l) => {
        const r = t.forwardAndLogDet(p[l], b[l], sq.forwardAndLogDet([], null, cur).out, at(o, l));
        checkInside(r.out, l);
        logDet = add(logDet, r.logDet);
        cur = r.out;
        if (l < last) {
          const half = cur.shape[1]! / 2;
          pieces.push(reshape(sliceAxis(cur, 1, 0, half), [n, -1]));
          cur = sliceAxis(cur, 1, half);
        }
      });
      pieces.push(reshape(cur, [n, -1]));
      return { out: concat(pieces, 1), logDet };
    },
    inverseAndLogDet: (p, b, z, o) => {
      if (z.rank !== 2 || z.shape[1] !== size) throw new ShapeError(`multiscale (inverse): input has shape [${z.shape.join(', ')}]; expected [n, ${size}]`);
      const n = z.shape[0]!;
      let offset = 0;
      const pieces = inside.map(([c, h, w], l) => {
        const count = l < last ? (c / 2) * h * w : c * h * w;
        const piece = sliceAxis(z, 1, offset, offset + count);
        offset += count;
        return reshape(piece, [n, l < last ? c / 2 : c, h, w]);
      });
      let cur = pieces[last]!;
      let logDet: Tensor = zeros([n]);
      for (let l = last; l >= 0; l--) {
        if (l < last) cur = concat([pieces[l]!, cur], 1);
        const r = list[l]!.inverseAndLogDet(p[l], b[l], cur, at(o, l));
        logDet = add(logDet, r.logDet);
        cur = sq.inverseAndLogDet([], null, r.out).out;
      }
      return { out: cur, logDet };
    },
    ...(list.some((t) => t.updateBuffers !== undefined)
      ? { updateBuffers: (p: Params, b: BufferList) => list.map((t, i) => (t.updateBuffers ? t.updateBuffers(p[i], b[i]) : b[i]!)) }
      : {}),
  };
}
