import { key, normal, setBackend, tensor } from '@rheo/tensor';
import { webgpuAdapterForTests } from '@rheo/tensor/webgpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { residualBlock } from './residual/residual-block.js';
import { semiAutoregressiveGenerator } from './saef/semi-autoregressive-generator.js';
import { describeBackendAgreement, describeLayerProperties } from './testing/index.js';
import { TRANSFORM_CASES } from './testing/transform-cases.js';

// The same property table as on the CPU, every tensor on the WebGPU backend.
const gpu = await webgpuAdapterForTests();

describe.skipIf(!gpu.available)(`WebGPU (${gpu.reason})`, () => {
  beforeAll(async () => {
    await setBackend('webgpu', { quiet: true });
  });
  afterAll(async () => {
    await setBackend('cpu', { quiet: true });
  });
  describeLayerProperties({ describe, it }, 'WebGPU', TRANSFORM_CASES);
});

// Each case built on the CPU and on WebGPU from the same values: the outputs agree.
if (gpu.available) describeBackendAgreement({ describe, it }, 'webgpu', TRANSFORM_CASES);

describe.skipIf(!gpu.available)(`residual inverse on WebGPU (${gpu.reason})`, () => {
  beforeAll(async () => {
    await setBackend('webgpu', { quiet: true });
  });
  afterAll(async () => {
    await setBackend('cpu', { quiet: true });
  });

  it('returns NaN rows, not an unconverged point, when the fixed number of steps falls short', async () => {
    const short = residualBlock(key(1), 3, { hidden: [8], coeff: 0.9, inverse: { unverifiedIterations: 1, atol: 1e-7, rtol: 0 } });
    const z = normal(key(2), [4, 3]);
    const x = await short.inverseAndLogDet(short.params, short.buffers, z).out.data();
    expect(Array.from(x).every((v) => Number.isNaN(v))).toBe(true);
    const enough = residualBlock(key(1), 3, { hidden: [8], coeff: 0.9 });
    const y = await enough.inverseAndLogDet(enough.params, enough.buffers, z).out.data();
    expect(Array.from(y).every((v) => Number.isFinite(v))).toBe(true);
    // The caller's step count overrides the block's: one step is too few for the default tolerance.
    const cut = await enough.inverseAndLogDet(enough.params, enough.buffers, z, { fixedPointSteps: 1 }).out.data();
    expect(Array.from(cut).every((v) => Number.isNaN(v))).toBe(true);
  });
});

describe.skipIf(!gpu.available)(`SAEF sampling on WebGPU (${gpu.reason})`, () => {
  afterAll(async () => {
    await setBackend('cpu', { quiet: true });
  });

  it('block-by-block sampling on WebGPU matches the CPU (gathers, slices, concats and products of one block per pass)', async () => {
    // The same generator and noise on each backend (parameters come from the key, the noise is uploaded).
    const run = async (backend: 'cpu' | 'webgpu') => {
      await setBackend(backend, { quiet: true });
      const gen = semiAutoregressiveGenerator(key(7), 11, { blockSize: 4, hidden: [16, 16] });
      return Float32Array.from(await gen.generate(gen.params, tensor(noise, [6, 11])).data());
    };
    const noise = Float32Array.from({ length: 66 }, (_, i) => Math.sin(i * 1.7));
    const cpu = await run('cpu');
    const webgpu = await run('webgpu');
    cpu.forEach((v, i) => expect(Math.abs(webgpu[i]! - v), `x[${i}]`).toBeLessThan(1e-5 * Math.max(1, Math.abs(v))));
  });
});
