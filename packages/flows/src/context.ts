import { ArgumentError, ShapeError, type Tensor } from '@rheo/tensor';
import type { TransformOptions } from './transform.js';

/**
 * The conditioning context a layer built with `contextDim` > 0 needs, checked
 * to be [n, contextDim]. An unconditional layer ignores any context, because
 * a flow passes the same options to every layer, conditional or not.
 */
export function contextOf(options: TransformOptions | undefined, contextDim: number, n: number, who: string): Tensor | undefined {
  const c = options?.context;
  if (contextDim === 0) return undefined;
  if (c === undefined) throw new ArgumentError(`${who}(options.context): received undefined; expected a tensor of shape [${n}, ${contextDim}]`);
  if (c.rank !== 2 || c.shape[0] !== n || c.shape[1] !== contextDim) {
    throw new ShapeError(`${who}(options.context): received shape [${c.shape.join(', ')}]; expected [${n}, ${contextDim}]`);
  }
  return c;
}
