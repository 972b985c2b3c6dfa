import { allocArray, allocForShape, checkDType, checkValueFits, type DType, type TypedArray } from './dtype.js';
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
    if (dt === 'int32' && !(values instanceof Int32Array)) for (const v of values) checkValueFits(v, dt, 'tensor(values)');
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
    if (dt === 'int32') for (const v of list) checkValueFits(v, dt, 'tensor(values)');
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
  checkValueFits(value, checkDType(dtype, 'scalar(dtype)'), 'scalar(value)');
  const a = allocArray(dtype, 1);
  a[0] = value;
  return fromValues(a, [], dtype);
}

/** A tensor of `shape` with every entry `value`. */
export function full(shape: readonly number[], value: number, dtype: DType = 'float32'): Tensor {
  const s = checkShape([...shape], 'full(shape)');
  checkValueFits(value, checkDType(dtype, 'full(dtype)'), 'full(value)');
  const a = allocForShape(dtype, s, sizeOf(s), 'full(shape)');
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
  if (n > 0) {
    checkValueFits(start, checkDType(dtype, 'arange(dtype)'), 'arange(start)');
    checkValueFits(start + (n - 1) * step, dtype, 'arange(stop)');
    checkValueFits(step, dtype, 'arange(step)');
  }
  const a = allocForShape(dtype, [n], n, 'arange');
  for (let i = 0; i < n; i++) a[i] = start + i * step;
  return fromValues(a, [n], dtype);
}

/** The n × n identity matrix, float32. */
export function eye(n: number): Tensor {
  const a = new Float32Array(n * n);
  for (let i = 0; i < n; i++) a[i * n + i] = 1;
  return fromValues(a, [n, n], 'float32');
}

/**
 * A tensor for a number, of the dtype of `like` when given. A number that an
 * int32 `like` cannot hold (0.5, 2^31) is refused rather than truncated or
 * wrapped: `mul(int32, 0.5)` would otherwise be int32 zeros. `arg` names the
 * operand in the error, e.g. "mul(b)".
 */
export function asTensor(v: TensorLike, like?: Tensor, arg = 'operand'): Tensor {
  if (v instanceof Tensor) return v;
  if (typeof v !== 'number') throw new ArgumentError(`${arg}: expected a Tensor or a number, received ${show(v)}`);
  const dtype = like?.dtype ?? 'float32';
  if (dtype === 'int32' && !(Number.isInteger(v) && v >= -0x80000000 && v <= 0x7fffffff)) {
    throw new ArgumentError(
      `${arg}: the number ${show(v)} cannot combine with an int32 tensor; expected an integer in [-2^31, 2^31 - 1] (cast the tensor to float32 first for fractional arithmetic)`,
    );
  }
  return scalar(v, dtype);
}
