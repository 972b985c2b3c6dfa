import { ArgumentError, fold, tensor, type Key, type Tensor } from '@rheo/tensor';
import { epochOrder } from '@rheo/data';
import type { EpochBatches } from './fit-options.js';
import { gatherRows, isDataset, isMatrix } from './table-data.js';

/** The stream fit folds into its key for epoch row orders (training steps use fold(key, step), small integers). */
export const EPOCH_STREAM = 0x65706f63;

export interface EpochBatcher {
  readonly batchesPerEpoch: number;
  /** The float32 [b, cols] batch of step `step` (1-based). */
  readonly batch: (step: number) => Tensor;
}

/** Step s → epoch ⌊(s − 1)/n⌋, batch (s − 1) mod n: a pure function of (step, key), so resumed runs draw the same rows. */
export function epochBatcher(spec: EpochBatches, k: Key): EpochBatcher {
  const data = isDataset(spec.data) ? spec.data.train : spec.data;
  if (!isMatrix(data)) {
    throw new ArgumentError('fit(batch.data): expected a Matrix ({ data: Float32Array, rows, cols }) or a Dataset, received ' + (data === null ? 'null' : typeof data));
  }
  const { size, dropLast = false } = spec;
  if (!Number.isInteger(size) || size < 1) throw new ArgumentError(`fit(batch.size): expected a positive integer, received ${size}`);
  const perEpoch = dropLast ? Math.floor(data.rows / size) : Math.ceil(data.rows / size);
  if (perEpoch === 0) {
    throw new ArgumentError(`fit(batch.size): ${data.rows} rows give no batch of ${size} rows${dropLast ? ' with dropLast' : ''}; expected at least one batch per epoch`);
  }
  const orderKey = fold(k, EPOCH_STREAM);
  let cached: { epoch: number; order: Int32Array } | null = null;
  return {
    batchesPerEpoch: perEpoch,
    batch: (step) => {
      const epoch = Math.floor((step - 1) / perEpoch);
      const start = ((step - 1) % perEpoch) * size;
      if (cached === null || cached.epoch !== epoch) cached = { epoch, order: epochOrder(orderKey, data.rows, epoch) };
      const end = Math.min(start + size, data.rows);
      return tensor(gatherRows(data, cached.order, start, end), [end - start, data.cols]);
    },
  };
}
