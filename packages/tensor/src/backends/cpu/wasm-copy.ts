import type { TypedArray } from '../../dtype.js';
import { stridesOf } from '../../shape.js';
import { arenaOfArray } from './buffer-pool.js';
import type { Code } from './simd-code.js';
import { registerSimdFunction } from './wasm-elementwise.js';
import { I32, op } from './wasm-emitter.js';

/**
 * copy_rows(src, srcStride, dst, dstStride, rows, bytes): `rows` runs of
 * `bytes` bytes (a multiple of 4), run r read from src + r·srcStride and
 * written to dst + r·dstStride, 16 bytes at a time then 4. The movement ops'
 * kernel on pooled storage: concat, slice and pad copy rows of a few to a few
 * hundred elements, where a JavaScript loop costs 1–3 ns per element and a
 * `set` per row a view each. Loads and stores move bits, so any 4-byte dtype
 * (float32, int32) copies exactly, NaN payloads included.
 */
function copyRowsBody(): Code {
  const [src, sstride, dst, dstride, rows, bytes] = [0, 1, 2, 3, 4, 5];
  const [s, d, left] = [6, 7, 8];
  const i32Store: Code = [0x36, 2, 0];
  const add = (local: number, by: Code): Code => [...op.localGet(local), ...by, ...op.i32Add, ...op.localSet(local)];
  return [
    ...op.block, ...op.loop,
    ...op.localGet(rows), ...op.i32Eqz, ...op.brIf(1),
    ...op.localGet(src), ...op.localSet(s), ...op.localGet(dst), ...op.localSet(d), ...op.localGet(bytes), ...op.localSet(left),
    ...op.block, ...op.loop,
    ...op.localGet(left), ...op.i32Const(16), ...op.i32LtU, ...op.brIf(1),
    ...op.localGet(d), ...op.localGet(s), ...op.v128Load(0), ...op.v128Store(0),
    ...add(s, op.i32Const(16)), ...add(d, op.i32Const(16)), ...add(left, op.i32Const(-16)),
    ...op.br(0), ...op.end, ...op.end,
    ...op.block, ...op.loop,
    ...op.localGet(left), ...op.i32Eqz, ...op.brIf(1),
    ...op.localGet(d), ...op.localGet(s), ...op.i32Load(0), ...i32Store,
    ...add(s, op.i32Const(4)), ...add(d, op.i32Const(4)), ...add(left, op.i32Const(-4)),
    ...op.br(0), ...op.end, ...op.end,
    ...add(src, op.localGet(sstride)), ...add(dst, op.localGet(dstride)), ...add(rows, op.i32Const(-1)),
    ...op.br(0), ...op.end, ...op.end,
  ];
}

registerSimdFunction({ name: 'copy_rows', params: [I32, I32, I32, I32, I32, I32], locals: [[3, I32]], body: copyRowsBody() });

/** copy_rows with byte addresses and strides. */
export type CopyRowsFn = (src: number, srcStride: number, dst: number, dstStride: number, rows: number, bytes: number) => void;

/**
 * The row-copy kernel for copies from src to dst, when both arrays are pooled
 * in the same arena and hold 4-byte elements; undefined otherwise (the caller
 * copies in JavaScript). Addresses are the arrays' byteOffset plus 4 bytes per element.
 */
export function copyRowsKernel(src: TypedArray, dst: TypedArray): CopyRowsFn | undefined {
  if (src.BYTES_PER_ELEMENT !== 4 || dst.BYTES_PER_ELEMENT !== 4) return undefined;
  const arena = arenaOfArray(dst);
  if (arena === undefined || arenaOfArray(src) !== arena) return undefined;
  return arena.exports['copy_rows'] as CopyRowsFn | undefined;
}

/**
 * Copies a box of `shape` from src (read at `from` + Σ i_d·srcStrides_d) to
 * dst (written at `to` + Σ i_d·dstStrides_d), both with last stride 1: the
 * last two axes as one call of the row-copy kernel, the others looped here.
 * Returns false, touching nothing, where the kernel does not apply.
 */
export function copyStrided(
  src: TypedArray, from: number, srcStrides: readonly number[], dst: TypedArray, to: number, dstStrides: readonly number[], shape: readonly number[],
): boolean {
  const r = shape.length;
  if (r === 0 || srcStrides[r - 1] !== 1 || dstStrides[r - 1] !== 1) return false;
  const fn = copyRowsKernel(src, dst);
  if (fn === undefined) return false;
  const cols = shape[r - 1]!, rows = r >= 2 ? shape[r - 2]! : 1;
  const ss = r >= 2 ? srcStrides[r - 2]! : 0, ds = r >= 2 ? dstStrides[r - 2]! : 0;
  if (rows * cols === 0) return true;
  if (r <= 3) {
    // No index arrays for the common ranks.
    const n0 = r === 3 ? shape[0]! : 1, s0 = r === 3 ? srcStrides[0]! : 0, d0 = r === 3 ? dstStrides[0]! : 0;
    for (let i = 0; i < n0; i++) fn(src.byteOffset + 4 * (from + i * s0), 4 * ss, dst.byteOffset + 4 * (to + i * d0), 4 * ds, rows, 4 * cols);
    return true;
  }
  let outer = 1;
  for (let d = 0; d < r - 2; d++) outer *= shape[d]!;
  const idx = new Int32Array(Math.max(0, r - 2));
  let p = from, q = to;
  for (let k = 0; k < outer; k++) {
    fn(src.byteOffset + 4 * p, 4 * ss, dst.byteOffset + 4 * q, 4 * ds, rows, 4 * cols);
    for (let d = r - 3; d >= 0; d--) {
      idx[d]!++;
      p += srcStrides[d]!;
      q += dstStrides[d]!;
      if (idx[d]! < shape[d]!) break;
      p -= srcStrides[d]! * shape[d]!;
      q -= dstStrides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
  return true;
}

/** The box of `shape` read from src at `offset` with `strides`, into dense dst (slice's copy). */
export function copyBox(src: TypedArray, offset: number, strides: readonly number[], shape: readonly number[], dst: TypedArray): boolean {
  return copyStrided(src, offset, strides, dst, 0, denseStrides(shape), shape);
}

/** Row-major strides of a dense array of `shape`, without allocating for ranks up to 3. */
function denseStrides(shape: readonly number[]): readonly number[] {
  const r = shape.length;
  if (r === 1) return UNIT;
  if (r === 2) { STRIDES2[0] = shape[1]!; return STRIDES2; }
  if (r === 3) { STRIDES3[1] = shape[2]!; STRIDES3[0] = shape[1]! * shape[2]!; return STRIDES3; }
  return stridesOf(shape);
}
const UNIT = [1], STRIDES2 = [0, 1], STRIDES3 = [0, 0, 1];

/** Dense src of `shape` into dst's window at `offset` with dst's `strides` (pad's copy). */
export function copyWindow(src: TypedArray, shape: readonly number[], dst: TypedArray, offset: number, strides: readonly number[]): boolean {
  return copyStrided(src, 0, denseStrides(shape), dst, offset, strides, shape);
}
