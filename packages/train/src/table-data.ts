import type { Dataset, Matrix } from '@rheo/data';

// Matrix and Dataset are plain interfaces without a `kind` tag, so they are recognised by their fields.

export function isMatrix(v: unknown): v is Matrix {
  if (v === null || typeof v !== 'object') return false;
  const m = v as Partial<Matrix>;
  return m.data instanceof Float32Array && Number.isInteger(m.rows) && Number.isInteger(m.cols) && m.data.length === m.rows! * m.cols!;
}

export function isDataset(v: unknown): v is Dataset {
  if (v === null || typeof v !== 'object') return false;
  const d = v as Partial<Dataset>;
  return isMatrix(d.train) && isMatrix(d.test) && Array.isArray(d.transforms);
}

/** Copies the listed rows of m (in that order) into a row-major float32 buffer. */
export function gatherRows(m: Matrix, order: ArrayLike<number>, start: number, end: number): Float32Array {
  const out = new Float32Array((end - start) * m.cols);
  for (let r = start; r < end; r++) out.set(m.data.subarray(order[r]! * m.cols, (order[r]! + 1) * m.cols), (r - start) * m.cols);
  return out;
}
