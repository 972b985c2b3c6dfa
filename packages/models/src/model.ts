import { checkKey } from './check-key.js';
import {
  actNormInit, flow as makeFlow, forward, logProb as flowLogProb, sample as flowSample, sampleAndLogProb as flowSampleAndLogProb,
  updateBuffers as flowUpdateBuffers, type ActNormParams, type AnyTransform, type Buffers, type Distribution, type Flow,
} from '@rheo/flows';
import type { StateTree } from '@rheo/nn';
import { energyLoss, nllLoss } from '@rheo/objectives';
import {
  ArgumentError, broadcastTo, fold, keep, reshape, ShapeError, Tensor, tidy, type Key, type TensorTree,
} from '@rheo/tensor';

// The stream of `sharedKey`, the key every layer sees unchanged; layers get fold(key, i) for small i.
const SHARED_STREAM = 0xfffffff0;
import type { ResolvedOptions } from './options.js';
import { RHEO_VERSION } from './version.js';

/** A minibatch for a model's loss: rows of data, or rows with their conditioning context. */
export type ModelBatch = Tensor | { readonly x: Tensor; readonly context: Tensor };

/** The loss context `fit` passes (its key, its current buffers, training or validation). */
export interface LossContext {
  readonly key: Key;
  readonly buffers: StateTree;
  readonly training?: boolean;
}

/** What to spread into `fit` from `@rheo/train`: parameters, buffers and their update, the loss, the model's metadata. */
export interface FitSpec {
  readonly params: TensorTree;
  readonly buffers: StateTree;
  readonly updateBuffers?: (params: TensorTree, buffers: StateTree) => StateTree;
  readonly loss: (params: TensorTree, batch: ModelBatch, context: LossContext) => Tensor;
  /** Checkpoint metadata naming the preset, so `loadModel` rebuilds the model from fit's checkpoints. */
  readonly metadata: Readonly<Record<string, string>>;
}

/** Where a model was built from: enough to build it again, with no code or key from the user. */
export interface ModelSource {
  readonly preset: string;
  readonly features: number;
  readonly options: ResolvedOptions;
  /** The key the preset was built with; random structure (permutations, orders) comes from it. */
  readonly key: Key;
  /** The package that registers the preset on import, when it is not @rheo/models (see `FlowPreset.package`). */
  readonly package?: string;
}

interface CallOptions {
  /** Conditioning context, [n, c] or one row [1, c] shared by every row. */
  readonly context?: Tensor;
  /** Parameters to use instead of the model's own (for gradients). */
  readonly params?: TensorTree;
  readonly buffers?: StateTree;
}

/** Options of `logProb`: a key and `training` select stochastic log-det estimators (residual flows). */
export interface LogProbOptions extends CallOptions {
  readonly key?: Key;
  readonly training?: boolean;
}

/** Options of `sample`: the key is required, randomness is explicit. */
export interface SampleOptions extends CallOptions {
  readonly key: Key;
}

interface ModelBase extends ModelSource {
  /** Width of the conditioning context (0: unconditional). */
  readonly contextFeatures: number;
  readonly params: TensorTree;
  readonly buffers: StateTree;
  /** Metadata written into every file of this model (`saveModel`, fit's checkpoints via `fitSpec`). */
  readonly metadata: Readonly<Record<string, string>>;
  /** n samples, [n, features]. */
  sample(n: number, options: SampleOptions): Tensor;
  /** For `fit`: `fit({ ...model.fitSpec, batch, steps, key })`. */
  readonly fitSpec: FitSpec;
}

/** A normalizing flow: exact density and sampling. */
export interface FlowModel extends ModelBase {
  readonly kind: 'flow';
  /** The functional core (`logProb(f, params, buffers, x)` of @rheo/flows), for `grad` and custom losses. */
  readonly flow: Flow;
  /** log p(x | context) per row, [n]. */
  logProb(x: Tensor, options?: LogProbOptions): Tensor;
  /** n samples and their log-densities in one pass. */
  sampleAndLogProb(n: number, options: SampleOptions): { x: Tensor; logProb: Tensor };
  /** The same model with other parameters (after `fit`). */
  withParams(params: TensorTree, buffers?: StateTree): FlowModel;
  /**
   * Data-dependent initialisation (Glow, Kingma & Dhariwal 2018, §3.1): each
   * top-level ActNorm layer is set so that its output has zero mean and unit
   * variance on `x`, so training starts at the data's scale whatever its units.
   */
  initialize(x: Tensor, options?: { readonly context?: Tensor }): FlowModel;
}

/** A sampler without a density (the semi-autoregressive energy flow's generator), trained by the energy score. */
export interface SamplerModel extends ModelBase {
  readonly kind: 'sampler';
  /** Network passes one sample costs. */
  readonly passes: number;
  /** Differentiable in `params` (and the context): x = G(ε; params, context), context [n, c] or [1, c]. */
  sampleWith(params: TensorTree, key: Key, n: number, context?: Tensor): Tensor;
  /** x = G(ε; params, context) from given standard normal noise ε [n, d], where the preset supports it (saef does). */
  readonly generateWith?: (params: TensorTree, noise: Tensor, context?: Tensor) => Tensor;
  withParams(params: TensorTree, buffers?: StateTree): SamplerModel;
  /** Returns the same model: a sampler has no data-dependent layers. */
  initialize(x: Tensor): SamplerModel;
}

/** A model built from a preset. */
export type Model = FlowModel | SamplerModel;

/** The metadata keys of a model file; prefixed so they never clash with a training loop's own keys. */
export const MODEL_FORMAT = 'rheo-model/1';

export function sourceMetadata(s: ModelSource): Record<string, string> {
  return {
    'rheo.model': MODEL_FORMAT,
    'rheo.version': RHEO_VERSION,
    'rheo.preset': s.preset,
    'rheo.features': String(s.features),
    'rheo.options': JSON.stringify(s.options),
    'rheo.key': `${s.key.k0},${s.key.k1}`,
    ...(s.package === undefined ? {} : { 'rheo.package': s.package }),
  };
}

/** Throws unless n is a positive integer (a sample count). */
export function checkCount(n: number, who: string): void {
  if (!Number.isInteger(n) || n < 1) throw new ArgumentError(`${who}(n): received ${String(n)}; expected a positive integer`);
}

/** The context for n rows: [n, c] as given, or one row [1, c] broadcast to n rows. */
export function contextFor(context: Tensor | undefined, width: number, n: number, who: string): Tensor | undefined {
  if (width === 0) {
    if (context !== undefined) throw new ArgumentError(`${who}(options.context): received a tensor, but this model is unconditional (built with context 0)`);
    return undefined;
  }
  if (!(context instanceof Tensor)) throw new ArgumentError(`${who}(options.context): received ${String(context)}; expected a tensor [${n}, ${width}] or [1, ${width}]`);
  if (context.rank !== 2 || context.shape[1] !== width || (context.shape[0] !== n && context.shape[0] !== 1)) {
    throw new ShapeError(`${who}(options.context): received shape [${context.shape.join(', ')}]; expected [${n}, ${width}] or [1, ${width}]`);
  }
  return context.shape[0] === n ? context : broadcastTo(context, [n, width]);
}

function checkRows(x: unknown, features: number, who: string): Tensor {
  if (!(x instanceof Tensor)) throw new ArgumentError(`${who}(x): received ${String(x)}; expected a tensor [n, ${features}]`);
  if (x.rank !== 2 || x.shape[1] !== features) throw new ShapeError(`${who}(x): received shape [${x.shape.join(', ')}]; expected [n, ${features}]`);
  return x;
}

/** A batch as rows and their context (undefined for a plain tensor). */
export function splitBatch(batch: ModelBatch, who: string): { x: Tensor; context: Tensor | undefined } {
  if (batch instanceof Tensor) return { x: batch, context: undefined };
  if (batch !== null && typeof batch === 'object' && batch.x instanceof Tensor) return { x: batch.x, context: batch.context };
  throw new ArgumentError(`${who}(batch): received ${String(batch)}; expected a tensor [n, d] or { x, context }`);
}

/** The parts a flow preset builds. */
export interface FlowParts {
  readonly base: Distribution;
  readonly layers: readonly AnyTransform[];
  readonly contextFeatures: number;
}

/** Wraps a flow's functional core as a model object. */
export function flowModel(source: ModelSource, parts: FlowParts, params?: TensorTree, buffers?: StateTree): FlowModel {
  const f = makeFlow(parts.base, parts.layers);
  const p0 = (params ?? f.params) as TensorTree[];
  const b0 = (buffers ?? f.buffers) as Buffers[];
  const { features, contextFeatures } = { features: source.features, contextFeatures: parts.contextFeatures };
  const metadata = sourceMetadata(source);
  const ps = (o?: CallOptions) => (o?.params ?? p0) as TensorTree[];
  const bs = (o?: CallOptions) => (o?.buffers ?? b0) as Buffers[];
  const hasBuffers = f.transform.updateBuffers !== undefined;
  const logProb = (x: Tensor, o?: LogProbOptions): Tensor => {
    checkRows(x, features, 'logProb');
    const context = contextFor(o?.context, contextFeatures, x.shape[0]!, 'logProb');
    const keys = o?.key ? { key: o.key, sharedKey: fold(o.key, SHARED_STREAM) } : {};
    return flowLogProb(f, ps(o), bs(o), x, { ...(context ? { context } : {}), ...keys, training: o?.training ?? false });
  };
  const model: FlowModel = {
    kind: 'flow',
    ...source,
    contextFeatures,
    params: p0,
    buffers: b0 as StateTree,
    metadata,
    flow: f,
    logProb,
    sample: (n, o) => {
      checkCount(n, 'sample');
      const context = contextFor(o?.context, contextFeatures, n, 'sample');
      return flowSample(f, ps(o), bs(o), checkKey(o?.key, 'sample(options.key)'), n, context ? { context } : undefined);
    },
    sampleAndLogProb: (n, o) => {
      checkCount(n, 'sampleAndLogProb');
      const context = contextFor(o?.context, contextFeatures, n, 'sampleAndLogProb');
      return flowSampleAndLogProb(f, ps(o), bs(o), checkKey(o?.key, 'sampleAndLogProb(options.key)'), n, context ? { context } : undefined);
    },
    withParams: (p, b) => flowModel(source, parts, p, b ?? (b0 as StateTree)),
    initialize: (x, o) => flowModel(source, parts, initializeActNorms(parts.layers, p0, b0, checkRows(x, features, 'initialize'),
      contextFor(o?.context, contextFeatures, x.shape[0]!, 'initialize')), b0 as StateTree),
    fitSpec: {
      params: p0,
      buffers: b0 as StateTree,
      ...(hasBuffers ? { updateBuffers: (p: TensorTree, b: StateTree) => flowUpdateBuffers(f, p as TensorTree[], b as Buffers[]) as StateTree } : {}),
      loss: (p, batch, c) => {
        const { x, context } = splitBatch(batch, 'loss');
        return nllLoss(logProb(x, { params: p, buffers: c.buffers, key: c.key, training: c.training ?? true, ...(context ? { context } : {}) }));
      },
      metadata,
    },
  };
  return model;
}

/** Runs x through the layers, setting every top-level ActNorm from what reaches it. */
function initializeActNorms(layers: readonly AnyTransform[], params: TensorTree[], buffers: Buffers[], x: Tensor, context: Tensor | undefined): TensorTree[] {
  return tidy(() => {
    let h = x;
    const out: TensorTree[] = [];
    for (const [i, layer] of layers.entries()) {
      const p = layer.kind === 'act-norm' ? actNormInit(params[i] as ActNormParams, h) : params[i]!;
      out.push(p);
      if (i < layers.length - 1) h = forward(layer, p, buffers[i], h, context ? { context } : undefined);
    }
    for (const p of out) if (p !== undefined) keepTree(p);
    return out;
  });
}

function keepTree(t: TensorTree): void {
  if (t instanceof Tensor) keep(t);
  else if (Array.isArray(t)) t.forEach(keepTree);
  else if (t !== null && typeof t === 'object') Object.values(t).forEach((v) => keepTree(v as TensorTree));
}
