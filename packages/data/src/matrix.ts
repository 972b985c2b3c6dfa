import { ArgumentError, NonFiniteError, ShapeError, tensor, type Tensor } from '@rheo/tensor';

/**
 * A dense row-major n×d float32 table: the backend-free form every reader and
 * loader returns, so data can be parsed, shuffled and standardised without a
 * backend (or in a worker) and moved to the active backend once, by `toTensor`.
 */
export interface Matrix {
  readonly data: Float32Array;
  readonly rows: number;
  readonly cols: number;
}

/** Wraps row-major values as a Matrix, checking that rows·cols values are given. */
export function matrix(data: Float32Array, rows: number, cols: number): Matrix {
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
    throw new ArgumentError(`matrix(rows, cols): expected non-negative integers, received rows=${rows}, cols=${cols}`);
  }
  if (data.length !== rows * cols) {
    throw new ShapeError(`matrix(data): expected ${rows}·${cols} = ${rows * cols} values, received ${data.length}`);
  }
  return { data, rows, cols };
}

/** The first index of a NaN or infinity, or -1. */
export function firstNonFinite(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) return i;
  return -1;
}

/** The largest finite float32, (2 − 2^−23)·2^127. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * The error for a finite value (from a float64 file or decimal text) that
 * float32 cannot hold: it would become ±Infinity, so it is a NonFiniteError. Names the source and the
 * 1-based row and column of flat index `i` in a table of `cols` columns.
 */
export function float32RangeError(what: string, value: number, i: number, cols: number): NonFiniteError {
  const c = Math.max(1, cols);
  return new NonFiniteError(
    `${what}: ${value} at row ${Math.floor(i / c) + 1}, column ${(i % c) + 1} (1-based) is beyond the float32 range; expected |value| <= ${FLOAT32_MAX}`,
  );
}

/** Throws a NonFiniteError naming `what` and the (row, column) of the first bad value. */
export function checkFiniteMatrix(m: Matrix, what: string): Matrix {
  const i = firstNonFinite(m.data);
  if (i >= 0) {
    const row = Math.floor(i / Math.max(1, m.cols));
    throw new NonFiniteError(`${what}: expected finite values, received ${m.data[i]} at row ${row + 1}, column ${(i % Math.max(1, m.cols)) + 1} (1-based)`);
  }
  return m;
}

/** The rows listed in `indices`, in that order. */
export function takeRows(m: Matrix, indices: ArrayLike<number>): Matrix {
  const out = new Float32Array(indices.length * m.cols);
  for (let r = 0; r < indices.length; r++) {
    const src = indices[r]!;
    if (!(src >= 0 && src < m.rows)) throw new ArgumentError(`takeRows(indices): expected row indices in [0, ${m.rows}), received ${src} at position ${r}`);
    out.set(m.data.subarray(src * m.cols, (src + 1) * m.cols), r * m.cols);
  }
  return { data: out, rows: indices.length, cols: m.cols };
}

/** Rows [start, end) as a new Matrix (copied, so the source can be released). */
export function sliceRows(m: Matrix, start: number, end: number): Matrix {
  return { data: m.data.slice(start * m.cols, end * m.cols), rows: end - start, cols: m.cols };
}

/** A float32 tensor of shape [rows, cols] on the active backend. */
export function toTensor(m: Matrix): Tensor {
  return tensor(m.data, [m.rows, m.cols]);
}
