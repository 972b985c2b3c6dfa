import { outputArray } from '../backends/cpu/buffer-pool.js';
import { checkDType, type DType } from '../dtype.js';
import { run } from '../engine.js';
import type { Primitive } from '../primitive.js';
import type { Tensor } from '../tensor.js';
import { elementwiseProgram } from '../wgsl/elementwise.js';

export interface CastAttrs {
  readonly dtype: DType;
}

/**
 * Converts the element type; float to int truncates toward zero and
 * saturates at the int32 range (NaN becomes 0), as WGSL's i32(f32) does,
 * instead of wrapping modulo 2³² as a plain Int32Array store would.
 */
export const castPrimitive: Primitive<CastAttrs> = {
  name: 'cast',
  infer: ([x], { dtype }) => ({ shape: x!.shape, dtype }),
  cpu([x], _attrs, out) {
    const o = outputArray(out.dtype, x!.values.length, x!.values);
    if (out.dtype === 'int32' && x!.dtype === 'float32') {
      const v = x!.values;
      for (let i = 0; i < v.length; i++) o[i] = v[i]! >= 2147483647 ? 2147483647 : v[i]! <= -2147483648 ? -2147483648 : v[i]!;
    } else o.set(x!.values);
    return o;
  },
  // The saturation and NaN cases are explicit, not left to the platform's conversion.
  wgsl: (inputs, _attrs, out) =>
    elementwiseProgram(
      'cast',
      out.dtype === 'int32'
        ? 'select(select(select(i32(a), 2147483647, a >= 2147483648.0), -2147483647 - 1, a <= -2147483648.0), 0, rheo_isnan(a))'
        : 'f32(a)',
      inputs,
      out,
    ),
  // Only float-to-float casts are traced, and those are the identity.
  grad: (g) => [g],
};

/** x converted to `dtype`: float32 → int32 truncates toward zero and saturates (NaN → 0); the gradient passes through unchanged. */
export function cast(x: Tensor, dtype: DType): Tensor {
  const d = checkDType(dtype, 'cast(dtype)');
  if (d === x.dtype) return x;
  return run(castPrimitive, [x], { dtype: d });
}
