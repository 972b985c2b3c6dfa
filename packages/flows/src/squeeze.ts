import { ShapeError, permute, reshape, zeros, type Tensor } from '@rheo/tensor';
import type { Transform } from './transform.js';

/**
 * Space-to-channel squeeze (Dinh et al. 2017, arXiv:1605.08803, §3.6):
 * [n, c, h, w] → [n, 4c, h/2, w/2], each 2×2 block of a channel becoming 4
 * channels: out[:, 4k + 2i + j, y, x] = in[:, k, 2y + i, 2x + j]. A
 * permutation of entries, so log |det| = 0. Lets later layers mix
 * neighbouring pixels, and multiscale flows halve the resolution.
 */
export function squeeze(): Transform<Tensor[], null> {
  const check = (x: Tensor, who: string) => {
    if (x.rank !== 4) throw new ShapeError(`${who}: input has shape [${x.shape.join(', ')}]; expected [n, c, h, w]`);
    return x.shape as [number, number, number, number];
  };
  return {
    kind: 'squeeze',
    params: [],
    buffers: null,
    forwardAndLogDet: (_p, _b, x) => {
      const [n, c, h, w] = check(x, 'squeeze');
      if (h % 2 !== 0 || w % 2 !== 0) throw new ShapeError(`squeeze: input has shape [${x.shape.join(', ')}]; expected h and w even`);
      const blocks = permute(reshape(x, [n, c, h / 2, 2, w / 2, 2]), [0, 1, 3, 5, 2, 4]);
      return { out: reshape(blocks, [n, 4 * c, h / 2, w / 2]), logDet: zeros([n]) };
    },
    inverseAndLogDet: (_p, _b, z) => {
      const [n, c4, h2, w2] = check(z, 'squeeze (inverse)');
      if (c4 % 4 !== 0) throw new ShapeError(`squeeze (inverse): input has shape [${z.shape.join(', ')}]; expected a channel count divisible by 4`);
      const c = c4 / 4;
      const blocks = permute(reshape(z, [n, c, 2, 2, h2, w2]), [0, 1, 4, 2, 5, 3]);
      return { out: reshape(blocks, [n, c, 2 * h2, 2 * w2]), logDet: zeros([n]) };
    },
  };
}
