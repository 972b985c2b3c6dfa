import { ArgumentError, ShapeError, Tensor } from '@rheo/tensor';

/**
 * A dense row-major n×d table of samples, structurally the `Matrix` of
 * `@rheo/data`, so either package's values pass without a conversion.
 */
export interface MatrixLike {
  readonly data: ArrayLike<number>;
  readonly rows: number;
  readonly cols: number;
}

/** Samples given as a rank-2 (or rank-1, read as n×1) tensor or a host matrix. */
export type Samples = Tensor | MatrixLike;

/** Host view of samples: row-major values with their row and column counts. */
export type HostSamples = MatrixLike;

/**
 * Reads samples to the host. A tensor is read with `dataSync()`, so on an
 * asynchronous backend read it first (`await t.data()`) and pass a matrix.
 */
export function hostSamples(x: Samples, arg: string): HostSamples {
  if (x instanceof Tensor) {
    if (x.shape.length !== 1 && x.shape.length !== 2) {
      throw new ShapeError(`${arg}: expected a tensor of shape [n, d] or [n], received shape [${x.shape.join(', ')}]`);
    }
    const rows = x.shape[0]!;
    const cols = x.shape.length === 2 ? x.shape[1]! : 1;
    return { data: x.dataSync(), rows, cols };
  }
  if (x === null || typeof x !== 'object' || !('data' in x) || !Number.isInteger(x.rows) || !Number.isInteger(x.cols)) {
    throw new ArgumentError(`${arg}: expected a Tensor or {data, rows, cols}, received ${x === null ? 'null' : typeof x}`);
  }
  if (x.data.length !== x.rows * x.cols) {
    throw new ShapeError(`${arg}: expected rows·cols = ${x.rows}·${x.cols} = ${x.rows * x.cols} values, received ${x.data.length}`);
  }
  return x;
}
