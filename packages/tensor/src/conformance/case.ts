import type { Tensor } from '../tensor.js';
import type { Ref } from './reference.js';

/**
 * How a test input is drawn: `float` uniform in [-2, 2], `positive` in
 * [0.5, 2] (domains of log, sqrt, div), `small` integers in {-1, 0, 1} stored
 * as float32 (ties for less/equal/max), `mask` 0/1, `index` int32 in
 * [0, max), or explicit `values` (int32 when the kind is `index`).
 */
export interface InputSpec {
  readonly shape: readonly number[];
  readonly kind?: 'float' | 'positive' | 'small' | 'mask' | 'index';
  readonly max?: number;
  readonly values?: readonly number[];
}

/** One forward (and, when `wrt` lists inputs, gradient) check of a primitive. */
export interface PrimitiveCase {
  /** The `name` of the primitive in PRIMITIVES this case exercises. */
  readonly primitive: string;
  readonly label: string;
  readonly inputs: readonly InputSpec[];
  readonly op: (xs: Tensor[]) => Tensor;
  readonly reference: (xs: Ref[]) => Ref;
  /** Inputs to differentiate; omitted for non-differentiable primitives. */
  readonly wrt?: readonly number[];
  readonly atol?: number;
  readonly rtol?: number;
  /** Output dtype when not float32. */
  readonly dtype?: 'int32';
}
