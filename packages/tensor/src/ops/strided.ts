import type { TypedArray } from '../dtype.js';

/**
 * Copies src (read at `offset + sum(i_d * strides_d)`) into a dense array of
 * `shape`, row-major. Shared by the movement kernels; the inner loop is unit-stride
 * where it can be.
 */
export function stridedCopy(src: TypedArray, offset: number, strides: readonly number[], shape: readonly number[], out: TypedArray): void {
  const r = shape.length;
  if (out.length === 0) return;
  if (r === 0) {
    out[0] = src[offset]!;
    return;
  }
  const n = shape[r - 1]!;
  const s = strides[r - 1]!;
  const outer = out.length / n;
  const idx = new Int32Array(r);
  let p = offset;
  let o = 0;
  for (let q = 0; q < outer; q++) {
    if (s === 1) for (let j = 0; j < n; j++) out[o + j] = src[p + j]!;
    else if (s === 0) out.fill(src[p]!, o, o + n);
    else for (let j = 0; j < n; j++) out[o + j] = src[p + j * s]!;
    o += n;
    for (let d = r - 2; d >= 0; d--) {
      idx[d]!++;
      p += strides[d]!;
      if (idx[d]! < shape[d]!) break;
      p -= strides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}
