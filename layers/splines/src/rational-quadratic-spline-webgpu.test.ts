import { setBackend } from '@rheo/tensor';
import { webgpuAdapterForTests } from '@rheo/tensor/webgpu';
import { afterAll, describe } from 'vitest';
import { describeSplineSuite } from './spline-suite.js';

// The same checks as on the CPU, every tensor on the WebGPU backend.
const gpu = await webgpuAdapterForTests();

describe.skipIf(!gpu.available)(`WebGPU (${gpu.reason})`, () => {
  afterAll(async () => {
    await setBackend('cpu', { quiet: true });
  });
  describeSplineSuite('webgpu', (line) => console.info(line));
});
