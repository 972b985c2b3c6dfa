// @rheo/eval/node: PNG compression through node:zlib and file output (Node
// only, so browser bundles of @rheo/eval never import node: modules).
export { encodePngCompressed } from './encode-png-compressed.js';
export { writePlot } from './write-plot.js';
export { makeDirs } from './make-dirs.js';
