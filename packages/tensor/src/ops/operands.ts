import { type TensorLike, asTensor } from '../creation.js';
import { ArgumentError, show } from '../errors.js';
import { Tensor } from '../tensor.js';

/**
 * Turns numbers into scalars of the other operand's dtype; a number an int32
 * tensor cannot hold is refused (see `asTensor`). `op` names the op in errors.
 */
export function binaryOperands(a: TensorLike, b: TensorLike, op = 'binary op'): [Tensor, Tensor] {
  if (a instanceof Tensor) return [a, asTensor(b, a, `${op}(b)`)];
  if (b instanceof Tensor) return [asTensor(a, b, `${op}(a)`), b];
  throw new ArgumentError(`${op}: expected at least one Tensor operand, received ${show(a)} and ${show(b)}`);
}
