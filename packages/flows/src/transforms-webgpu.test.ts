import { setBackend } from '@rheo/tensor';
import { webgpuAdapterForTests } from '@rheo/tensor/webgpu';
import { afterAll, beforeAll, describe } from 'vitest';
import { describeTransformProperties } from './testing/describe-transform-properties.js';

// The same property table as on the CPU, every tensor on the WebGPU backend.
const gpu = await webgpuAdapterForTests();

describe.skipIf(!gpu.available)(`WebGPU (${gpu.reason})`, () => {
  beforeAll(async () => {
    await setBackend('webgpu', { quiet: true });
  });
  afterAll(async () => {
    await setBackend('cpu', { quiet: true });
  });
  describeTransformProperties('WebGPU');
});
