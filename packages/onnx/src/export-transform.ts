import type { AnyTransform, Buffers } from '@rheo/flows';
import { RHEO_VERSION } from '@rheo/models';
import type { TensorTree } from '@rheo/tensor';
import { ExportError } from './errors.js';
import { exportPass, fromHost, namedLayer, toHost } from './export-pass.js';
import { ONNX_OPSET } from './encode-graph.js';

/** Options of `exportTransformOnnx`. */
export interface TransformExportOptions {
  /** 'forward' (data → noise, inputs x) or 'inverse' (noise → data, input z); default 'forward'. */
  readonly direction?: 'forward' | 'inverse';
  /** Event size d: inputs are [batch, d]. */
  readonly features: number;
  /** Width c of the context input [batch, c]; 0 (default) for unconditional layers. */
  readonly contextFeatures?: number;
  /** Buffers of the transform; default the fresh transform's own. */
  readonly buffers?: Buffers;
  /** Fixed-point steps of residual blocks' inverses; default each block's own (100). */
  readonly fixedPointSteps?: number;
  /** Extra metadata entries written into the file. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/**
 * One transform as an ONNX graph: inputs `x` (or `z` for the inverse) [batch, d] and, for a
 * conditional layer, `context` [batch, c]; outputs `out` [batch, d] and `logDet` [batch],
 * log |det ∂out/∂in| per row. `make` builds the layer; it is called while every tensor is recorded
 * (so tensors the layer makes itself land in the graph), and must build the same layer each time.
 * `params` are its trained parameters, on any backend.
 */
export async function exportTransformOnnx(make: () => AnyTransform, params: TensorTree, options: TransformExportOptions): Promise<Uint8Array> {
  if (typeof make !== 'function') throw new ExportError(`exportTransformOnnx(make): expected a function building the transform, received ${typeof make}`);
  const { direction = 'forward', features, contextFeatures = 0 } = options;
  if (!Number.isInteger(features) || features < 1) throw new ExportError(`exportTransformOnnx(options.features): received ${String(features)}; expected a positive integer`);
  if (direction !== 'forward' && direction !== 'inverse') throw new ExportError(`exportTransformOnnx(options.direction): received ${String(direction)}; expected 'forward' or 'inverse'`);
  const hostParams = await toHost(params, 'params');
  const hostBuffers = options.buffers === undefined ? undefined : await toHost(options.buffers, 'buffers');
  return exportPass((s) => {
    const raw = make();
    const t = namedLayer(raw, `layer (${raw.kind})`);
    const p = fromHost<TensorTree>(hostParams);
    const b = hostBuffers === undefined ? t.buffers : fromHost<Buffers>(hostBuffers);
    s.beginPass();
    const input = s.input(direction === 'forward' ? 'x' : 'z', [features]);
    const context = contextFeatures > 0 ? s.input('context', [contextFeatures]) : undefined;
    const o = { training: false, ...(context ? { context } : {}), ...(options.fixedPointSteps === undefined ? {} : { fixedPointSteps: options.fixedPointSteps }) };
    const r = direction === 'forward' ? t.forwardAndLogDet(p, b, input, o) : t.inverseAndLogDet(p, b, input, o);
    return { out: r.out, logDet: r.logDet };
  }, {
    graphName: `rheo_transform_${direction}`,
    producerVersion: RHEO_VERSION,
    docString: `rheo transform, ${direction}: out = f(in) and log|det ∂out/∂in| per row`,
    metadata: { 'rheo.version': RHEO_VERSION, 'rheo.graph': direction, 'rheo.opset': String(ONNX_OPSET), ...(options.metadata ?? {}) },
  });
}
