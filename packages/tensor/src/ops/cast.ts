import { allocArray, checkDType, type DType } from '../dtype.js';
import { run } from '../engine.js';
import type { Primitive } from '../primitive.js';
import type { Tensor } from '../tensor.js';

export interface CastAttrs {
  readonly dtype: DType;
}

/** Converts the element type; float to int truncates toward zero (NaN becomes 0). */
export const castPrimitive: Primitive<CastAttrs> = {
  name: 'cast',
  infer: ([x], { dtype }) => ({ shape: x!.shape, dtype }),
  cpu([x], _attrs, out) {
    const o = allocArray(out.dtype, x!.values.length);
    o.set(x!.values);
    return o;
  },
  // Only float-to-float casts are traced, and those are the identity.
  grad: (g) => [g],
};

export function cast(x: Tensor, dtype: DType): Tensor {
  const d = checkDType(dtype, 'cast(dtype)');
  if (d === x.dtype) return x;
  return run(castPrimitive, [x], { dtype: d });
}
