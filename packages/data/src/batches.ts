import { ArgumentError, fold, tensor, type Key, type Tensor } from '@rheo/tensor';
import type { Matrix } from './matrix.js';
import { shuffledIndices } from './random-stream.js';

/** Options of `batches`: whether to drop a short last batch, and how many epochs to run. */
export interface BatchOptions {
  /** Drop the last batch of an epoch when it has fewer than batchSize rows; default false. */
  readonly dropLast?: boolean;
  /** Number of epochs to run; default 1, Infinity for an endless stream. */
  readonly epochs?: number;
}

/** The row order of epoch e: a Fisher–Yates shuffle keyed by fold(key, e), so epochs differ and a key replays them all. */
export function epochOrder(k: Key, rows: number, epoch: number): Int32Array {
  return shuffledIndices(fold(k, epoch), rows);
}

/**
 * Minibatches of the rows of `data` as float32 [b, cols] tensors on the
 * active backend (the caller disposes them, or runs inside `tidy`). Each epoch
 * visits every row once in the order `epochOrder(key, rows, epoch)`.
 */
export function* batches(k: Key, data: Matrix, batchSize: number, options: BatchOptions = {}): Generator<Tensor, void, undefined> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ArgumentError(`batches(batchSize): expected a positive integer, received ${batchSize}`);
  const epochs = options.epochs ?? 1;
  if (!(epochs === Infinity || (Number.isInteger(epochs) && epochs >= 0))) {
    throw new ArgumentError(`batches(options.epochs): expected a non-negative integer or Infinity, received ${epochs}`);
  }
  if (options.dropLast === true && data.rows < batchSize && epochs > 0) {
    throw new ArgumentError(`batches(batchSize): with dropLast, ${batchSize} rows per batch from ${data.rows} rows would yield nothing`);
  }
  const d = data.cols;
  for (let e = 0; e < epochs; e++) {
    const order = epochOrder(k, data.rows, e);
    for (let start = 0; start < data.rows; start += batchSize) {
      const b = Math.min(batchSize, data.rows - start);
      if (b < batchSize && options.dropLast === true) break;
      const out = new Float32Array(b * d);
      for (let r = 0; r < b; r++) out.set(data.data.subarray(order[start + r]! * d, (order[start + r]! + 1) * d), r * d);
      yield tensor(out, [b, d]);
    }
  }
}
