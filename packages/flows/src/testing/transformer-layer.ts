import { ShapeError, reshape, sliceAxis, stack, sum, type Tensor } from '@rheo/tensor';
import type { Transform } from '../transform.js';
import { applyTransformer, checkTransformer, type Transformer } from '../transformer.js';

/**
 * A transformer on its own as a layer, for checking it at chosen points
 * (bin edges, tail bounds) without a conditioner: the parameter tree is θ
 * [n, d, P] itself, one row per input row, so `checkLayer` checks the round
 * trip and log τ' against the brute-force (diagonal) Jacobian at exactly
 * those inputs, and that every one of the P parameters gets a gradient:
 * the tree holds θ as P leaves [n, d] (parameter c is leaf c), so a
 * parameter the transformer never reads is named.
 */
export function transformerLayer(transformer: Transformer, params: Tensor): Transform<Tensor[], null> {
  const tau = checkTransformer(transformer, 'transformerLayer');
  const P = tau.paramsPerDim;
  if (params.rank !== 3 || params.shape[2] !== P) {
    throw new ShapeError(`transformerLayer(params): received shape [${params.shape.join(', ')}]; expected [n, d, ${P}]`);
  }
  const [n, d] = params.shape as [number, number, number];
  const leaves = Array.from({ length: P }, (_, c) => reshape(sliceAxis(params, 2, c, c + 1), [n, d]));
  const run = (p: Tensor[], x: Tensor, inverse: boolean) => {
    if (x.rank !== 2 || x.shape[0] !== n || x.shape[1] !== d) {
      throw new ShapeError(`transformerLayer: input has shape [${x.shape.join(', ')}]; expected [${n}, ${d}], the shape of its parameters`);
    }
    const r = applyTransformer(tau, stack(p, 2), x, inverse, 'transformerLayer');
    return { out: r.out, logDet: sum(r.logDet, 1) };
  };
  return {
    kind: `${tau.kind}-transformer`,
    params: leaves,
    buffers: null,
    forwardAndLogDet: (p, _b, x) => run(p, x, false),
    inverseAndLogDet: (p, _b, z) => run(p, z, true),
  };
}
