import protobuf from 'protobufjs';
import { emitPrimitive } from './emit-ops.js';
import { ExportError } from './errors.js';
import { isBatchDim, type Dim, type Graph, type GraphNode } from './merge.js';
import { OnnxBuilder, ONNX_TYPE } from './onnx-builder.js';
import { ONNX_PROTO } from './onnx-proto.js';

/** The ONNX operator set the exported graphs use (all of its ops run in onnxruntime 1.30, web and node). */
export const ONNX_OPSET = 17;
/** The ONNX IR version of the files (that of ONNX 1.12, which introduced opset 17). */
export const ONNX_IR_VERSION = 8;

let root: protobuf.Root | null = null;
const modelType = (): protobuf.Type => (root ??= protobuf.parse(ONNX_PROTO).root).lookupType('onnx.ModelProto');

const dimProto = (d: Dim) => (isBatchDim(d) ? { dimParam: d.a === 1 && d.b === 0 ? 'batch' : `${d.a}*batch+${d.b}` } : { dimValue: d });
const valueInfo = (name: string, shape: readonly Dim[], dtype: number) => ({
  name, type: { tensorType: { elemType: dtype, shape: { dim: shape.map(dimProto) } } },
});

/** What `encodeGraph` writes besides the nodes. */
export interface EncodeOptions {
  readonly graphName: string;
  readonly producerVersion: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly docString: string;
}

/**
 * The ONNX ModelProto bytes of a batch-generic graph: graph inputs in declaration order, constants
 * as raw-data initializers, each primitive as its ONNX nodes (see `emitPrimitive`), named outputs
 * through Identity nodes. Encoded by protobufjs from the official onnx.proto.
 */
export function encodeGraph(g: Graph, o: EncodeOptions): Uint8Array {
  const inputs = g.nodes.filter((n): n is GraphNode & { kind: 'input' } => n.kind === 'input');
  if (inputs.length === 0) throw new ExportError('the graph has no inputs');
  const b = new OnnxBuilder(inputs[0]!.name);
  const names: string[] = [];
  g.nodes.forEach((n, i) => {
    if (n.kind === 'input') names.push(n.name);
    else if (n.kind === 'const') names.push(b.tensor(n.values, n.shape, ONNX_TYPE[n.dtype], `c_${i}`));
    else if (n.kind === 'fill') names.push(b.op('Expand', [b.scalar(n.value, n.dtype), b.shape(n.shape)]));
    else {
      const ins = n.inputs.map((j) => names[j]!);
      const from = n.inputs.map((j) => g.nodes[j]!);
      const attrs = (n.attrs ?? {}) as Record<string, unknown>;
      names.push(emitPrimitive(n.prim.name, { b, ins, inShapes: from.map((x) => x.shape), inTypes: from.map((x) => x.dtype), attrs, shape: n.shape, dtype: n.dtype }));
    }
  });
  for (const out of g.outputs) b.op('Identity', [names[out.node]!], {}, out.name);
  const Model = modelType();
  const message = Model.fromObject({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'rheo',
    producerVersion: o.producerVersion,
    docString: o.docString,
    graph: {
      name: o.graphName,
      node: b.nodes,
      initializer: b.initializers,
      input: inputs.map((n) => valueInfo(n.name, n.shape, ONNX_TYPE[n.dtype])),
      output: g.outputs.map((out) => {
        const n = g.nodes[out.node]!;
        return valueInfo(out.name, n.shape, ONNX_TYPE[n.dtype]);
      }),
    },
    metadataProps: Object.entries(o.metadata).map(([key, value]) => ({ key, value })),
  });
  // A plain Uint8Array (protobufjs gives a Node Buffer, a view into a shared pool, under Node).
  return new Uint8Array(Model.encode(message).finish());
}
