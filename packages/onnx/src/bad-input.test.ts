import { describeBadInput, type BadInputRow } from '@rheo/vitest-config/bad-input';
import { maf, saef, type Model } from '@rheo/models';
import { key } from '@rheo/tensor';
import { ExportError } from './errors.js';
import { exportOnnx } from './export-onnx.js';
import { exportTransformOnnx } from './export-transform.js';
import { writeOnnx } from './node.js';

// Bad input at the package's entry points → one clear error naming the argument and the cause.
const ROWS: readonly BadInputRow[] = [
  { label: 'exportOnnx of something not a model', call: () => exportOnnx(null as unknown as Model), error: ExportError, patterns: [/exportOnnx\(model\)/, /received null/] },
  { label: 'exportOnnx with an unknown graph', call: () => exportOnnx(maf(key(1), 2), undefined, { graph: 'density' as never }), error: ExportError, patterns: [/exportOnnx\(options\.graph\)/, /"density"/, /logProb, sample, forward, inverse/] },
  { label: 'a density graph of a sampler', call: () => exportOnnx(saef(key(1), 3), undefined, { graph: 'logProb' }), error: ExportError, patterns: [/sampler saef/, /expected "sample"/] },
  { label: 'exportTransformOnnx without a builder', call: () => exportTransformOnnx(null as never, {}, { features: 2 }), error: ExportError, patterns: [/exportTransformOnnx\(make\)/, /received object/] },
  { label: 'exportTransformOnnx with 0 features', call: () => exportTransformOnnx(() => maf(key(1), 2).flow.transform, [], { features: 0 }), error: ExportError, patterns: [/options\.features/, /received 0/, /positive integer/] },
  { label: 'writeOnnx without a path', call: () => writeOnnx('', Uint8Array.of(1)), error: ExportError, patterns: [/writeOnnx\(path\)/, /received ""/] },
];

describeBadInput('bad input to @rheo/onnx', ROWS);
