import type { TypedArray } from '../dtype.js';
import { copyBox } from '../backends/cpu/wasm-copy.js';

/**
 * dst[to..to+n) = src[from..from+n). Short runs copy element by element:
 * `set(subarray(...))` allocates a view per call, which costs more than
 * copying a few elements (a [256, 3] row-by-row concat made 256 views).
 */
export function copyRun(dst: TypedArray, to: number, src: TypedArray, from: number, n: number): void {
  if (n < 64) for (let j = 0; j < n; j++) dst[to + j] = src[from + j]!;
  else dst.set(src.subarray(from, from + n), to);
}

/**
 * Copies src (read at `offset + sum(i_d * strides_d)`) into a dense array of
 * `shape`, row-major. Shared by the movement kernels (slice, broadcastTo, permute);
 * the inner loop is unit-stride where it can be.
 */
export function stridedCopy(src: TypedArray, offset: number, strides: readonly number[], shape: readonly number[], out: TypedArray): void {
  // Rows with a unit inner stride, both arrays pooled: the WebAssembly row copy (the same bits).
  if (copyBox(src, offset, strides, shape, out)) return;
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
