import type { Key, Tensor } from '@rheo/tensor';
import { uniforms } from '../random-stream.js';
import { toySample } from './toy-sample.js';

/**
 * Uniform on the 8 "black" cells of a 4×4 checkerboard of 2×2 cells covering
 * [−4, 4)²: the cells (i, j) = (floor(x/2), floor(y/2)) with i + j even
 * (Grathwohl et al. 2018, FFJORD, arXiv:1810.01367). x is uniform on [−4, 4);
 * y picks one of the two black cells of x's column with probability ½ each.
 */
export function checkerboard(k: Key, n: number): Tensor {
  return toySample('checkerboard', k, n, 1, (out, [ku]) => {
    const u = uniforms(ku!, 3 * n);
    for (let i = 0; i < n; i++) {
      const x = u[i]! * 8 - 4;
      const column = Math.floor(x / 2);
      // Black rows of this column: j ≡ column (mod 2), j ∈ {−2, −1, 0, 1}.
      const lowRow = ((column % 2) + 2) % 2 === 0 ? -2 : -1;
      const row = lowRow + (u[2 * n + i]! < 0.5 ? 0 : 2);
      out[2 * i] = x;
      out[2 * i + 1] = 2 * (row + u[n + i]!);
    }
  });
}
