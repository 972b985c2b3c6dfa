import { flow as makeFlow, logProb as flowLogProb, type AnyTransform, type Buffers } from '@rheo/flows';
import { getPreset, type FlowParts, type Model, type SamplerParts } from '@rheo/models';
import type { Tensor, TensorTree } from '@rheo/tensor';
import { ONNX_OPSET } from './encode-graph.js';
import { ExportError } from './errors.js';
import { exportPass, fromHost, layerError, namedLayer, toHost } from './export-pass.js';
import { FIXED_POINT_STEPS, graphNotes, lipschitzBound } from './graph-notes.js';

/**
 * Which pass a file holds. `logProb`: x [, context] → logProb [batch]. `sample`: z [, context] → x,
 * the base noise z ~ N(0, I) an input so runs are deterministic. `forward`: x → z, logDet
 * (data → noise, log |det ∂z/∂x|). `inverse`: z → x, logDet (log |det ∂x/∂z|).
 */
export type GraphKind = 'logProb' | 'sample' | 'forward' | 'inverse';

/** Options of `exportOnnx`. */
export interface ExportOptions {
  /** The pass to export; default 'logProb'. Samplers (saef) export 'sample' only. */
  readonly graph?: GraphKind;
  /** Buffers to use instead of the model's (spectral-norm vectors of a trained residual flow). */
  readonly buffers?: unknown;
  /**
   * Fixed-point steps per residual block in `sample` and `inverse` graphs (a graph cannot stop on a
   * tolerance). Default: from `fixedPointTolerance` when given, else the block's own 100.
   */
  readonly fixedPointSteps?: number;
  /**
   * Relative error ε of each block's inverse: N = ⌈ln(ε(1 − L)) / ln L⌉ steps, so that
   * L^N/(1 − L)·‖g(y)‖ ≤ ε‖g(y)‖, with L the preset's Lipschitz bound coeff^(layers of g).
   */
  readonly fixedPointTolerance?: number;
}

const KINDS: readonly GraphKind[] = ['logProb', 'sample', 'forward', 'inverse'];

/**
 * A trained model as the bytes of an ONNX file (opset 17, IR version 8), for onnxruntime on
 * servers and in browsers. The model's preset is rebuilt while every tensor primitive is recorded;
 * the pass (see `GraphKind`) is traced at two batch sizes so that the batch axis stays symbolic;
 * what depends only on the parameters is folded to constants; each primitive becomes one or a few
 * ONNX operators. Inputs and outputs are [batch, ...]: `x`, `z`, `context` (conditional models),
 * `logProb`, `logDet`. The file's metadata holds the rheo version, the preset, its options and
 * key, the graph kind and how log-determinants and inverses are computed. A layer that cannot be
 * written as a static graph raises an `ExportError` naming it and why. `params` default to the
 * model's own. While it traces, the export makes its recording backend the active one: await it
 * before other tensor work rather than running both at once.
 */
export async function exportOnnx(model: Model, params?: TensorTree, options: ExportOptions = {}): Promise<Uint8Array> {
  if (model === null || typeof model !== 'object' || typeof model.preset !== 'string' || (model.kind !== 'flow' && model.kind !== 'sampler')) {
    throw new ExportError(`exportOnnx(model): expected a model from @rheo/models (a preset's model or loadModel's), received ${model === null ? 'null' : typeof model}`);
  }
  const graph = options.graph ?? 'logProb';
  if (!KINDS.includes(graph)) throw new ExportError(`exportOnnx(options.graph): received ${JSON.stringify(graph)}; expected one of ${KINDS.join(', ')}`);
  if (model.kind === 'sampler' && graph !== 'sample') {
    throw new ExportError(`exportOnnx(options.graph): received "${graph}" for the sampler ${model.preset}, which has no density or inverse; expected "sample"`);
  }
  const steps = fixedPointSteps(model, options);
  const preset = getPreset(model.preset);
  if (preset === undefined) throw new ExportError(`exportOnnx(model): preset "${model.preset}" is not registered${model.package ? ` (import '${model.package}')` : ''}`);
  const hostParams = await toHost(params ?? model.params, 'exportOnnx(params)');
  const hostBuffers = await toHost(options.buffers ?? model.buffers, 'exportOnnx(options.buffers)');
  const d = model.features;
  const c = model.contextFeatures;
  const bytes = await exportPass((s) => {
    const parts = preset.build(model.key, d, model.options);
    const p = fromHost<TensorTree>(hostParams);
    if (preset.kind === 'sampler') {
      const gen = (parts as SamplerParts).generate;
      if (gen === undefined) throw new ExportError(`exportOnnx(model): the sampler preset ${model.preset} draws its own noise; expected a preset with generate(params, noise)`);
      s.beginPass();
      const z = s.input('z', [d]);
      const context = c > 0 ? s.input('context', [c]) : undefined;
      try {
        return { x: gen(p, z, context) };
      } catch (err) {
        throw layerError(`layer 0 (${model.preset} generator) sample`, err);
      }
    }
    const fp = parts as FlowParts;
    const f = makeFlow(fp.base, fp.layers.map((l: AnyTransform, i) => namedLayer(l, `layer ${i} (${l.kind})`)));
    const b = fromHost<Buffers[]>(hostBuffers);
    s.beginPass();
    const input = s.input(graph === 'logProb' || graph === 'forward' ? 'x' : 'z', [d]);
    const context = c > 0 ? s.input('context', [c]) : undefined;
    const o = { training: false, ...(context ? { context } : {}), ...(steps === undefined ? {} : { fixedPointSteps: steps }) };
    const ps = p as TensorTree[];
    const out: Record<string, Tensor> = {};
    if (graph === 'logProb') out['logProb'] = flowLogProb(f, ps, b, input, o);
    else if (graph === 'sample') out['x'] = f.transform.inverse!(ps, b, input, o);
    else {
      const r = graph === 'forward' ? f.transform.forwardAndLogDet(ps, b, input, o) : f.transform.inverseAndLogDet(ps, b, input, o);
      out[graph === 'forward' ? 'z' : 'x'] = r.out;
      out['logDet'] = r.logDet;
    }
    return out;
  }, {
    graphName: `rheo_${model.preset.replace(/-/g, '_')}_${graph}`,
    producerVersion: model.metadata['rheo.version'] ?? '',
    docString: `rheo ${model.preset} (${d} features${c > 0 ? `, context ${c}` : ''}): ${graph}`,
    metadata: { ...model.metadata, 'rheo.graph': graph, 'rheo.opset': String(ONNX_OPSET), ...graphNotes(model, graph, steps ?? FIXED_POINT_STEPS) },
  });
  return bytes;
}

/** The fixed-point step count the options ask for, checked; undefined for the layers' default. */
function fixedPointSteps(model: Model, o: ExportOptions): number | undefined {
  if (o.fixedPointSteps !== undefined) {
    if (!Number.isInteger(o.fixedPointSteps) || o.fixedPointSteps < 1) {
      throw new ExportError(`exportOnnx(options.fixedPointSteps): received ${String(o.fixedPointSteps)}; expected a positive integer`);
    }
    return o.fixedPointSteps;
  }
  const tol = o.fixedPointTolerance;
  if (tol === undefined) return undefined;
  if (!(tol > 0 && tol < 1)) throw new ExportError(`exportOnnx(options.fixedPointTolerance): received ${String(tol)}; expected a number in (0, 1)`);
  const lip = lipschitzBound(model);
  if (lip === undefined) return undefined;
  return Math.max(1, Math.ceil(Math.log(tol * (1 - lip)) / Math.log(lip)));
}
