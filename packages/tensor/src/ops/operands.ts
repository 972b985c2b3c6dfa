import { type TensorLike, asTensor } from '../creation.js';
import { ArgumentError, show } from '../errors.js';
import { Tensor } from '../tensor.js';

/** Turns numbers into scalars of the other operand's dtype. */
export function binaryOperands(a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  if (a instanceof Tensor) return [a, asTensor(b, a)];
  if (b instanceof Tensor) return [asTensor(a, b), b];
  throw new ArgumentError(`expected at least one Tensor operand, received ${show(a)} and ${show(b)}`);
}
