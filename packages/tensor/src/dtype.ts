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

export function dtypeOfArray(values: TypedArray): DType {
  return values instanceof Int32Array ? 'int32' : 'float32';
}
