import { ArgumentError, show } from './errors.js';

/**
 * Element types. Floats are 32-bit everywhere (WebGPU has no f64 in storage);
 * int32 serves indices. Comparisons return float32 masks of 0 and 1, so they
 * multiply straight into expressions; there is no separate boolean type.
 */
export type DType = 'float32' | 'int32';
/** The storage of a dtype on the CPU: `Float32Array` for float32, `Int32Array` for int32. */
export type TypedArray = Float32Array | Int32Array;

export const DTYPES: readonly DType[] = ['float32', 'int32'];

export function allocArray(dtype: DType, size: number): TypedArray {
  return dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
}

export function checkDType(dtype: unknown, arg: string): DType {
  if (dtype !== 'float32' && dtype !== 'int32') {
    throw new ArgumentError(`${arg}: expected "float32" or "int32", received ${show(dtype)}`);
  }
  return dtype;
}

/** The int32 range, [−2^31, 2^31 − 1]. */
export const INT32_MIN = -0x80000000;
export const INT32_MAX = 0x7fffffff;

/**
 * A number stored as `dtype` must keep its value: an int32 element must be an
 * integer in [−2^31, 2^31 − 1] (a typed array would truncate 0.5 to 0 and wrap
 * 2^31 to −2^31 without a word). Float32 accepts any number.
 */
export function checkValueFits(value: number, dtype: DType, arg: string): void {
  if (dtype !== 'int32') return;
  if (!Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX) {
    throw new ArgumentError(`${arg}: ${show(value)} does not fit int32; expected an integer in [-2^31, 2^31 - 1] (cast to float32 for fractional values)`);
  }
}

/**
 * The most elements one tensor may hold: V8's typed arrays stop at 2^32
 * elements, and `Float32Array` allocation raises a bare RangeError beyond it.
 */
export const MAX_TENSOR_SIZE = 2 ** 32 - 1;

/** Allocates storage for `shape`, or says which shape cannot be held and why. */
export function allocForShape(dtype: DType, shape: readonly number[], size: number, arg: string): TypedArray {
  if (size > MAX_TENSOR_SIZE) {
    throw new ArgumentError(`${arg}: shape ${show(shape)} has ${size} elements; expected at most ${MAX_TENSOR_SIZE} (2^32 - 1) in one tensor`);
  }
  try {
    return allocArray(dtype, size);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw new ArgumentError(`${arg}: shape ${show(shape)} (${size} ${dtype} elements, ${size * 4} bytes) could not be allocated: ${e.message}`);
  }
}

export function dtypeOfArray(values: TypedArray): DType {
  return values instanceof Int32Array ? 'int32' : 'float32';
}
