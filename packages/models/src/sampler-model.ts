import { energyLoss } from '@rheo/objectives';
import { ArgumentError, broadcastTo, reshape, type Key, type Tensor, type TensorTree } from '@rheo/tensor';
import { checkKey } from './check-key.js';
import { checkCount, contextFor, sourceMetadata, splitBatch, type ModelSource, type SamplerModel } from './model.js';

/** The parts a sampler preset builds. */
export interface SamplerParts {
  readonly params: TensorTree;
  readonly passes: number;
  /** Width of the context the sampler reads; 0 or absent for none. */
  readonly contextFeatures?: number;
  /** n samples, given a context [n, c] when the sampler has one. */
  readonly sample: (params: TensorTree, key: Key, n: number, context?: Tensor) => Tensor;
  /** x = G(ε; params, context) from given noise ε [n, d] ~ N(0, I), where the sampler can take it (deterministic, e.g. for export). */
  readonly generate?: (params: TensorTree, noise: Tensor, context?: Tensor) => Tensor;
}

/**
 * Row i of [n, c] repeated m times in a row, [n·m, c]: the context of the
 * m samples that `energyLoss` groups with data row i.
 */
function repeatRows(context: Tensor, m: number): Tensor {
  const [n, c] = context.shape as [number, number];
  return reshape(broadcastTo(reshape(context, [n, 1, c]), [n, m, c]), [n * m, c]);
}

/**
 * Wraps a sampler as a model object trained by the energy score (Si et al.
 * 2023, arXiv:2206.06672). A conditional sampler's loss is the energy score
 * of its m samples given each row's context against that row, averaged over
 * the batch: E_(x,c) ES(q(· | c), x), minimised by q(· | c) = p(x | c) since
 * the score is strictly proper for every c (Gneiting & Raftery 2007).
 */
export function samplerModel(source: ModelSource, parts: SamplerParts, params?: TensorTree): SamplerModel {
  const p0 = params ?? parts.params;
  const metadata = sourceMetadata(source);
  const contextFeatures = parts.contextFeatures ?? 0;
  const draw = (p: TensorTree, k: Key, n: number, context: Tensor | undefined, who: string) => {
    const c = contextFor(context, contextFeatures, n, who);
    return c === undefined ? parts.sample(p, k, n) : parts.sample(p, k, n, c);
  };
  const model: SamplerModel = {
    kind: 'sampler',
    ...source,
    contextFeatures,
    params: p0,
    buffers: null,
    metadata,
    passes: parts.passes,
    sample: (n, o) => {
      checkCount(n, 'sample');
      return draw(o?.params ?? p0, checkKey(o?.key, 'sample(options.key)'), n, o?.context, 'sample');
    },
    sampleWith: (p, k, n, context) => draw(p, k, n, context, 'sampleWith'),
    ...(parts.generate ? { generateWith: parts.generate } : {}),
    withParams: (p) => samplerModel(source, parts, p),
    initialize: () => model,
    fitSpec: {
      params: p0,
      buffers: null,
      loss: (p, batch, c) => {
        const { x, context } = splitBatch(batch, 'loss');
        if (contextFeatures === 0) {
          if (context !== undefined) throw new ArgumentError('loss(batch.context): received a context, but this sampler is unconditional');
          return energyLoss((kk, n) => parts.sample(p, kk, n), c.key, x);
        }
        const rows = contextFor(context, contextFeatures, x.shape[0]!, 'loss');
        // energyLoss draws m samples per data row, rows i·m … i·m + m − 1 for row i.
        return energyLoss((kk, n) => parts.sample(p, kk, n, repeatRows(rows!, n / x.shape[0]!)), c.key, x);
      },
      metadata,
    },
  };
  return model;
}
