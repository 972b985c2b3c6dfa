import { ArgumentError, fold, NonFiniteError, sliceAxis, tensor, tidy, Tensor, type Key, type TensorTree } from '@rheo/tensor';
import type { Matrix } from '@rheo/data';
import type { StateTree } from '@rheo/nn';
import type { LossFunction } from './fit-options.js';
import { isDataset, isMatrix } from './table-data.js';

/** The stream fit folds into its key for the validation key; chunk i uses fold(that key, i) at every evaluation. */
export const VALIDATION_STREAM = 0x76616c64;

/** Held-out data as weighted chunks: rows of a table in slices, or one batch of weight 1. */
export interface ValidationSet<D> {
  readonly chunks: number;
  /** Chunk i as the loss receives it, and its row count (its weight in the mean). */
  readonly chunk: (i: number) => { readonly batch: D; readonly rows: number };
}

function rowsOf(matrix: Matrix, batchSize: number): ValidationSet<Tensor> {
  if (matrix.rows === 0) throw new ArgumentError('fit(validation.data): expected at least one row, received a Matrix of 0 rows');
  return {
    chunks: Math.ceil(matrix.rows / batchSize),
    chunk: (i) => {
      const [start, end] = [i * batchSize, Math.min((i + 1) * batchSize, matrix.rows)];
      return { batch: tensor(matrix.data.slice(start * matrix.cols, end * matrix.cols), [end - start, matrix.cols]), rows: end - start };
    },
  };
}

/** Recognises a Dataset (its val split), a Matrix, a Tensor (sliced along axis 0), or else one batch D. */
export function validationSet<D>(data: unknown, batchSize: number): ValidationSet<D> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ArgumentError(`fit(validation.batchSize): expected a positive integer, received ${batchSize}`);
  if (isDataset(data)) {
    if (data.val === undefined) {
      throw new ArgumentError(`fit(validation.data): dataset "${data.name}" has no val split; expected a Dataset with val, or its held-out rows as a Matrix or Tensor`);
    }
    return rowsOf(data.val, batchSize) as unknown as ValidationSet<D>;
  }
  if (isMatrix(data)) return rowsOf(data, batchSize) as unknown as ValidationSet<D>;
  if (data instanceof Tensor) {
    const n = data.shape[0] ?? 0;
    if (data.rank === 0 || n === 0) throw new ArgumentError(`fit(validation.data): expected a tensor of rows [n, …] with n > 0, received shape [${data.shape.join(', ')}]`);
    return {
      chunks: Math.ceil(n / batchSize),
      chunk: (i) => {
        const [start, end] = [i * batchSize, Math.min((i + 1) * batchSize, n)];
        return { batch: sliceAxis(data, 0, start, end) as unknown as D, rows: end - start };
      },
    };
  }
  return { chunks: 1, chunk: () => ({ batch: data as D, rows: 1 }) };
}

/**
 * The row-weighted mean Σ_i n_i·L_i / Σ_i n_i of the chunk losses, each
 * computed without gradients under its own tidy scope, with `training: false`
 * and the same keys at every evaluation, so evaluations compare like with like.
 */
export async function validationLoss<P extends TensorTree, B extends StateTree, D>(
  set: ValidationSet<D>, loss: LossFunction<P, B, D>, params: P, buffers: B, step: number, k: Key,
): Promise<number> {
  let weighted = 0;
  let rows = 0;
  for (let i = 0; i < set.chunks; i++) {
    const [value, n] = tidy(() => {
      const { batch, rows: r } = set.chunk(i);
      return [loss(params, batch, { key: fold(k, i), step, buffers, training: false }), r] as const;
    });
    const v = (await value.data())[0]!;
    value.dispose();
    weighted += v * n;
    rows += n;
  }
  const mean = weighted / rows;
  if (!Number.isFinite(mean)) throw new NonFiniteError(`fit: step ${step}: the validation loss (${mean}) is not finite`);
  return mean;
}
