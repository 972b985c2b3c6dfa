import { allocArray, checkDType, type DType, type TypedArray } from './dtype.js';
import { fromValues } from './engine.js';
import { ArgumentError, ShapeError, show } from './errors.js';
import { checkShape, sizeOf } from './shape.js';
import { Tensor, type NestedArray } from './tensor.js';

/** A tensor or a plain number (broadcast as a scalar), accepted by elementwise ops. */
export type TensorLike = Tensor | number;

/**
 * Creates a tensor on the active backend from nested arrays, a flat array or
 * a typed array (copied). The shape is inferred from nesting unless given.
 */
export function tensor(values: NestedArray | readonly number[] | TypedArray, shape?: readonly number[], dtype?: DType): Tensor {
  const dt = dtype === undefined ? (values instanceof Int32Array ? 'int32' : 'float32') : checkDType(dtype, 'tensor(dtype)');
  let flat: TypedArray;
  let inferred: number[];
  if (ArrayBuffer.isView(values)) {
    flat = values instanceof (dt === 'int32' ? Int32Array : Float32Array) ? values : (allocArray(dt, values.length).map((_, i) => values[i]!) as TypedArray);
    inferred = [values.length];
  } else {
    inferred = [];
    let probe: NestedArray = values as NestedArray;
    while (Array.isArray(probe)) {
      inferred.push(probe.length);
      probe = probe[0] as NestedArray;
      if (probe === undefined) break;
    }
    const list: number[] = [];
    flattenInto(values as NestedArray, inferred, 0, list);
    flat = allocArray(dt, list.length);
    flat.set(list);
  }
  const finalShape = shape === undefined ? inferred : checkShape([...shape], 'tensor(shape)');
  if (sizeOf(finalShape) !== flat.length) {
    throw new ShapeError(`tensor(values, shape): ${flat.length} values do not fill shape ${show(finalShape)} (${sizeOf(finalShape)} elements)`);
  }
  return fromValues(flat, finalShape, dt);
}

function flattenInto(v: NestedArray, shape: number[], axis: number, out: number[]): void {
  if (!Array.isArray(v)) {
    if (axis !== shape.length) throw new ShapeError(`tensor(values): ragged nesting at depth ${axis}; expected arrays of shape ${show(shape)}`);
    if (typeof v !== 'number') throw new ArgumentError(`tensor(values): expected numbers, received ${show(v)}`);
    out.push(v);
    return;
  }
  if (v.length !== shape[axis]) {
    throw new ShapeError(`tensor(values): ragged nesting at depth ${axis} (length ${v.length}, expected ${shape[axis]})`);
  }
  for (const x of v) flattenInto(x, shape, axis + 1, out);
}

/** A rank-0 tensor holding `value`. */
export function scalar(value: number, dtype: DType = 'float32'): Tensor {
  const a = allocArray(dtype, 1);
  a[0] = value;
  return fromValues(a, [], dtype);
}

/** A tensor of `shape` with every entry `value`. */
export function full(shape: readonly number[], value: number, dtype: DType = 'float32'): Tensor {
  const s = checkShape([...shape], 'full(shape)');
  const a = allocArray(checkDType(dtype, 'full(dtype)'), sizeOf(s));
  if (value !== 0) a.fill(value);
  return fromValues(a, s, dtype);
}

/** A tensor of `shape` filled with 0. */
export function zeros(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return full(shape, 0, dtype);
}

/** A tensor of `shape` filled with 1. */
export function ones(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return full(shape, 1, dtype);
}

/** A tensor of zeros with the shape and dtype of `t`. */
export function zerosLike(t: Tensor): Tensor {
  return full(t.shape, 0, t.dtype);
}

/** A tensor of ones with the shape and dtype of `t`. */
export function onesLike(t: Tensor): Tensor {
  return full(t.shape, 1, t.dtype);
}

/** [start, start + step, ...) below `stop`. */
export function arange(start: number, stop?: number, step = 1, dtype: DType = 'float32'): Tensor {
  if (stop === undefined) [start, stop] = [0, start];
  if (step === 0 || !Number.isFinite(step)) throw new ArgumentError(`arange(step): expected a finite non-zero number, received ${step}`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const a = allocArray(dtype, n);
  for (let i = 0; i < n; i++) a[i] = start + i * step;
  return fromValues(a, [n], dtype);
}

/** The n × n identity matrix, float32. */
export function eye(n: number): Tensor {
  const a = new Float32Array(n * n);
  for (let i = 0; i < n; i++) a[i * n + i] = 1;
  return fromValues(a, [n, n], 'float32');
}

/** A tensor for a number, on the backend of `like` when given. */
export function asTensor(v: TensorLike, like?: Tensor): Tensor {
  if (v instanceof Tensor) return v;
  if (typeof v !== 'number') throw new ArgumentError(`expected a Tensor or a number, received ${show(v)}`);
  return scalar(v, like?.dtype ?? 'float32');
}
