import { RHEO_VERSION } from '@rheo/models';
import type { Tensor, TensorTree } from '@rheo/tensor';
import { ONNX_OPSET } from './encode-graph.js';
import { ExportError } from './errors.js';
import { exportPass, fromHost, layerError, toHost } from './export-pass.js';

/** Options of `exportFunctionOnnx`. */
export interface FunctionExportOptions {
  /** The graph's inputs by name, each an event shape: `{ x: [8] }` is an input `x` of shape [batch, 8]. */
  readonly inputs: Readonly<Record<string, readonly number[]>>;
  /** The graph's name; default 'rheo_function'. */
  readonly name?: string;
  /** Extra metadata entries written into the file. */
  readonly metadata?: Readonly<Record<string, string>>;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Any batched tensor function as an ONNX graph (opset 17, IR version 8): an `nn` network, a
 * context encoder, a preprocessing step. `fn(params, inputs)` receives each input as a tensor
 * [batch, ...event] and returns the outputs by name, each with the batch as its first axis. It is
 * traced like `exportOnnx`'s passes: called at two batch sizes on a recording backend, so it must
 * do the same tensor work each time, make every tensor it needs from `params` or the inputs (not
 * from tensors captured from outside, which live on another backend) and not read values back
 * into JS. Parameters become constants of the graph; the batch axis stays symbolic.
 */
export async function exportFunctionOnnx<P extends TensorTree>(
  fn: (params: P, inputs: Readonly<Record<string, Tensor>>) => Readonly<Record<string, Tensor>>,
  params: P,
  options: FunctionExportOptions,
): Promise<Uint8Array> {
  if (typeof fn !== 'function') throw new ExportError(`exportFunctionOnnx(fn): expected a function (params, inputs) => outputs, received ${typeof fn}`);
  const inputs = Object.entries(options?.inputs ?? {});
  if (inputs.length === 0) throw new ExportError('exportFunctionOnnx(options.inputs): expected at least one input, as { name: eventShape }, received none');
  for (const [name, event] of inputs) {
    if (!NAME.test(name)) throw new ExportError(`exportFunctionOnnx(options.inputs): received the input name ${JSON.stringify(name)}; expected letters, digits and underscores, not starting with a digit`);
    if (!Array.isArray(event) || !event.every((s) => Number.isInteger(s) && s >= 1)) {
      throw new ExportError(`exportFunctionOnnx(options.inputs.${name}): received ${JSON.stringify(event)}; expected an event shape of positive integers (the batch axis is added)`);
    }
  }
  const name = options.name ?? 'rheo_function';
  if (!NAME.test(name)) throw new ExportError(`exportFunctionOnnx(options.name): received ${JSON.stringify(name)}; expected letters, digits and underscores, not starting with a digit`);
  const hostParams = await toHost(params, 'exportFunctionOnnx(params)');
  return exportPass((s) => {
    const p = fromHost<P>(hostParams);
    s.beginPass();
    const feeds = Object.fromEntries(inputs.map(([n, event]) => [n, s.input(n, event)]));
    let out: Readonly<Record<string, Tensor>>;
    try {
      out = fn(p, feeds);
    } catch (err) {
      throw layerError('function', err);
    }
    const names = out === null || typeof out !== 'object' ? [] : Object.keys(out);
    if (names.length === 0) throw new ExportError('exportFunctionOnnx(fn): expected the function to return its outputs by name, as { name: tensor }, received none');
    for (const n of names) {
      if (!NAME.test(n) || n in feeds) throw new ExportError(`exportFunctionOnnx(fn): received the output name ${JSON.stringify(n)}; expected letters, digits and underscores, distinct from the inputs' names`);
    }
    return out;
  }, {
    graphName: name,
    producerVersion: RHEO_VERSION,
    docString: `rheo function ${name}: ${inputs.map(([n]) => n).join(', ')} → outputs`,
    metadata: { 'rheo.version': RHEO_VERSION, 'rheo.graph': 'function', 'rheo.opset': String(ONNX_OPSET), ...(options.metadata ?? {}) },
  });
}
