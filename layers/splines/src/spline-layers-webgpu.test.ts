import { setBackend } from '@rheo/tensor';
import { webgpuAdapterForTests } from '@rheo/tensor/webgpu';
import { afterAll, describe } from 'vitest';
import { describeSplineLayerAgreement, describeSplineLayerSuite } from './spline-layer-suite.js';

// The same layer checks as on the CPU, every tensor on the WebGPU backend, and each layer against the CPU.
const gpu = await webgpuAdapterForTests();

describe.skipIf(!gpu.available)(`WebGPU (${gpu.reason})`, () => {
  afterAll(async () => {
    await setBackend('cpu', { quiet: true });
  });
  describeSplineLayerSuite('webgpu', (line) => console.info(line));
});

describeSplineLayerAgreement('webgpu', gpu.available);
