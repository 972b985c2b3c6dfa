// @rheo/onnx: ONNX export of rheo models and transforms. Every layer exports
// through the tensor primitives it is made of; `@rheo/onnx/node` writes files.
export { exportOnnx, type ExportOptions, type GraphKind } from './export-onnx.js';
export { exportTransformOnnx, type TransformExportOptions } from './export-transform.js';
export { exportFunctionOnnx, type FunctionExportOptions } from './export-function.js';
export { ExportError } from './errors.js';
export { ONNX_IR_VERSION, ONNX_OPSET } from './encode-graph.js';
export { EXPORTED_PRIMITIVES } from './emit-ops.js';
export { TRACE_BATCHES } from './export-pass.js';
