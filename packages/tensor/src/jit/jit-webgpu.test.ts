import '../webgpu/index.js';
import { afterAll, describe, expect, it } from 'vitest';
import * as T from '../index.js';
import { webgpuAdapterForTests } from '../backends/webgpu/test-adapter.js';

// The same recording mechanism on the GPU: a replayed gradient step with keyed noise against an
// eager call on the GPU and against the CPU backend.
const gpu = await webgpuAdapterForTests();

type Args = { w: T.Tensor; x: T.Tensor };
const step = ({ w, x }: Args, k?: T.Key) => {
  const noisy = T.add(x, T.mul(T.normal(T.fold(k!, 1), x.shape), 0.1));
  const [l, g] = T.valueAndGrad((v: T.Tensor) => T.sum(T.mul(T.tanh(T.matmul(noisy, v)), T.tanh(T.matmul(noisy, v)))))(w);
  return { l, g };
};

async function read(backend: string, s: number, f: typeof step): Promise<number[][]> {
  await T.setBackend(backend);
  const args = { w: T.normal(T.key(100 + s), [8, 4]), x: T.normal(T.key(200 + s), [16, 8]) };
  const out = f(args, T.key(s));
  return [Array.from(await out.l.data()), Array.from(await out.g.data())];
}

describe.skipIf(!gpu.available)(`jit on WebGPU (${gpu.reason})`, () => {
  afterAll(async () => { await T.setBackend('cpu'); });

  it('replays a keyed gradient step as the eager GPU call and the CPU compute it', async () => {
    const f = T.jit(step);
    for (let s = 0; s < 3; s++) {
      const [replayed, eager, cpu] = [await read('webgpu', s, f), await read('webgpu', s, step), await read('cpu', s, step)];
      for (let j = 0; j < 2; j++) {
        replayed[j]!.forEach((v, i) => {
          expect(v).toBeCloseTo(eager[j]![i]!, 6);
          expect(Math.abs(v - cpu[j]![i]!)).toBeLessThan(1e-4 * Math.max(1, Math.abs(cpu[j]![i]!)));
        });
      }
    }
    expect(f.stats()).toMatchObject({ recordings: 1, replays: 2 });
  });

  it('runs elementwiseChain op by op off the CPU, as the CPU loop computes it', async () => {
    const chain = async (backend: string) => {
      await T.setBackend(backend);
      const x = T.normal(T.key(3), [40, 9]), y = T.normal(T.key(4), [40, 9]);
      return Array.from(await T.elementwiseChain([x, y, T.scalar(2)], [
        { op: 'mul', args: [0, 1] }, { op: 'sub', args: [3, 2] }, { op: 'abs', args: [4] }, { op: 'sqrt', args: [5] },
      ]).data());
    };
    const [gpuValues, cpuValues] = [await chain('webgpu'), await chain('cpu')];
    gpuValues.forEach((v, i) => expect(Math.abs(v - cpuValues[i]!)).toBeLessThan(1e-6 * Math.max(1, Math.abs(cpuValues[i]!))));
  });
});
