import '../webgpu/index.js';
import { describe } from 'vitest';
import { webgpuAdapterForTests } from '../backends/webgpu/test-adapter.js';
import { describeConformance } from './describe-conformance.js';

const gpu = await webgpuAdapterForTests();

describe.skipIf(!gpu.available)(`WebGPU (${gpu.reason})`, () => {
  describeConformance('webgpu');
});
