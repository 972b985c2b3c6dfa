import protobuf from 'protobufjs';

/**
 * The subset of onnx.proto (github.com/onnx/onnx, onnx/onnx.proto, IR version 8)
 * needed to describe a float32 MLP: field numbers follow the public schema.
 */
const schema = `
syntax = "proto3";
package onnx;
message OperatorSetIdProto { string domain = 1; int64 version = 2; }
message TensorShapeProto {
  message Dimension { int64 dim_value = 1; string dim_param = 2; }
  repeated Dimension dim = 1;
}
message TypeProto {
  message Tensor { int32 elem_type = 1; TensorShapeProto shape = 2; }
  Tensor tensor_type = 1;
}
message ValueInfoProto { string name = 1; TypeProto type = 2; }
message TensorProto {
  repeated int64 dims = 1;
  int32 data_type = 2;
  string name = 8;
  bytes raw_data = 9;
}
message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  string name = 3;
  string op_type = 4;
}
message GraphProto {
  repeated NodeProto node = 1;
  string name = 2;
  repeated TensorProto initializer = 5;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
}
message ModelProto {
  int64 ir_version = 1;
  string producer_name = 2;
  GraphProto graph = 7;
  repeated OperatorSetIdProto opset_import = 8;
}
`;

const FLOAT = 1;

export interface Layer {
  readonly w: Float32Array; // [in, out], row-major
  readonly b: Float32Array; // [out]
  readonly inDim: number;
  readonly outDim: number;
}

/** ONNX bytes of y = L_n(tanh(... tanh(L_1(x)))) with L_i(x) = x W_i + b_i, opset 17. */
export function mlpOnnx(layers: readonly Layer[]): Uint8Array {
  const root = protobuf.parse(schema).root;
  const Model = root.lookupType('onnx.ModelProto');
  const nodes: object[] = [];
  const inits: object[] = [];
  let cur = 'x';
  layers.forEach((l, i) => {
    inits.push({ name: `w${i}`, dims: [l.inDim, l.outDim], dataType: FLOAT, rawData: new Uint8Array(l.w.buffer, l.w.byteOffset, l.w.byteLength) });
    inits.push({ name: `b${i}`, dims: [l.outDim], dataType: FLOAT, rawData: new Uint8Array(l.b.buffer, l.b.byteOffset, l.b.byteLength) });
    nodes.push({ opType: 'MatMul', input: [cur, `w${i}`], output: [`m${i}`], name: `matmul${i}` });
    const last = i === layers.length - 1;
    nodes.push({ opType: 'Add', input: [`m${i}`, `b${i}`], output: [last ? 'y' : `a${i}`], name: `add${i}` });
    if (!last) nodes.push({ opType: 'Tanh', input: [`a${i}`], output: [`h${i}`], name: `tanh${i}` });
    cur = `h${i}`;
  });
  const io = (name: string, dim: number) => ({
    name,
    type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimParam: 'batch' }, { dimValue: dim }] } } },
  });
  const model = Model.fromObject({
    irVersion: 8,
    producerName: 'rheo-bench',
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'mlp',
      node: nodes,
      initializer: inits,
      input: [io('x', layers[0]!.inDim)],
      output: [io('y', layers[layers.length - 1]!.outDim)],
    },
  });
  return Model.encode(model).finish();
}
