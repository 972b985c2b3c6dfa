import { ArgumentError, broadcastTo, ShapeError, Tensor } from '@rheo/tensor';

/**
 * The context a sampler with `contextDim` > 0 reads, as [n, contextDim]: a
 * tensor of n rows as given, or one row [1, contextDim] broadcast to all n
 * (many draws from q(· | c) for one observation c). An unconditional
 * sampler (contextDim 0) refuses a context rather than ignore it: a sampler
 * is not part of a flow that passes one set of options to every layer.
 */
export function generatorContext(context: Tensor | undefined, contextDim: number, n: number, who: string): Tensor | undefined {
  if (contextDim === 0) {
    if (context !== undefined) throw new ArgumentError(`${who}(context): received a tensor; expected none, the generator was built with contextDim 0`);
    return undefined;
  }
  if (!(context instanceof Tensor)) throw new ArgumentError(`${who}(context): received ${String(context)}; expected a tensor [${n}, ${contextDim}] or [1, ${contextDim}]`);
  if (context.rank !== 2 || context.shape[1] !== contextDim || (context.shape[0] !== n && context.shape[0] !== 1)) {
    throw new ShapeError(`${who}(context): received shape [${context.shape.join(', ')}]; expected [${n}, ${contextDim}] or [1, ${contextDim}]`);
  }
  return context.shape[0] === n ? context : broadcastTo(context, [n, contextDim]);
}
