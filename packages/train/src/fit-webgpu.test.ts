import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { add, fold, key, log, matmul, mean, mul, normal, setBackend, square, sub, tensor, zeros, type Tensor } from '@rheo/tensor';
import { webgpuAdapterForTests } from '@rheo/tensor/webgpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fit } from './fit.js';

const gpu = await webgpuAdapterForTests();
const dir = mkdtempSync(join(tmpdir(), 'rheo-fit-gpu-'));

type Params = { w: Tensor };
const run = (steps: number, path: string, stopAt?: number) => fit<Params, null, { x: Tensor; y: Tensor }>({
  params: { w: zeros([2, 1]) },
  loss: (p, { x, y }) => mean(square(sub(matmul(x, p.w), y))),
  batch: (_s, k) => { const x = normal(fold(k, 0), [16, 2]); return { x, y: matmul(x, tensor([[2], [-1]])) }; },
  steps, key: key(3), optimizer: { lr: 0.05 }, ema: { decay: 0.9 },
  checkpoint: { path, every: 3 },
  onStep: ({ step }) => { if (step === stopAt) throw new Error('killed'); },
});

describe.skipIf(!gpu.available)(`fit on WebGPU (${gpu.reason})`, () => {
  beforeAll(async () => { await setBackend('webgpu', { quiet: true }); });
  afterAll(async () => { await setBackend('cpu', { quiet: true }); rmSync(dir, { recursive: true, force: true }); });

  it('resumes from a checkpoint after a kill, on the GPU', async () => {
    const path = join(dir, 'resume.safetensors');
    await expect(run(9, path, 7)).rejects.toThrow('killed');
    const r = await run(9, path);
    expect(r.resumedFrom).toBe(6);
    expect(r.losses).toHaveLength(3);
    expect(r.adam.step).toBe(9);
    expect(r.params.w.backend.name).toBe('webgpu');
    const straight = await run(9, join(dir, 'straight.safetensors'));
    const [a, b] = [await r.params.w.data(), await straight.params.w.data()];
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 5));
  });

  it('replays the recorded step on the GPU (fit({ jit: true })) to the eager loop\'s numbers', async () => {
    const train = (jit: boolean) => fit<Params, null, { x: Tensor; y: Tensor }>({
      params: { w: zeros([2, 1]) },
      loss: (p, { x, y }, { key: k }) => mean(square(sub(matmul(add(x, mul(normal(k, x.shape), 0.01)), p.w), y))),
      batch: (_s, k) => { const x = normal(fold(k, 0), [16, 2]); return { x, y: matmul(x, tensor([[2], [-1]])) }; },
      steps: 6, key: key(4), optimizer: { lr: 0.05 }, jit,
    });
    const [replayed, eager] = [await train(true), await train(false)];
    expect(replayed.jit).toMatchObject({ recordings: 1, replays: 5, eager: 0 });
    replayed.losses.forEach((l, i) => expect(l).toBeCloseTo(eager.losses[i]!, 6));
    const [a, b] = [await replayed.params.w.data(), await eager.params.w.data()];
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 6));
  });

  it('names the op of a NaN by replaying the step', async () => {
    const bad = fit<{ a: Tensor }, null, Tensor>({
      params: { a: add(zeros([]), 1) },
      loss: (p, x) => mean(log(mul(x, p.a))),
      batch: (step) => tensor(step === 2 ? [1, -2] : [1, 2]),
      steps: 4, key: key(0),
    });
    await expect(bad).rejects.toThrow(/step 2: the loss \(NaN\) is not finite; first non-finite value from op log/);
  });

  it('names the op of a NaN when the loss uses a tensor made on the GPU (a mask)', async () => {
    const mask = tensor([1, 0.5]);
    expect(mask.backend.name).toBe('webgpu');
    const bad = fit<{ a: Tensor }, null, Tensor>({
      params: { a: add(zeros([]), 1) },
      loss: (p, x) => mean(log(mul(mul(x, mask), p.a))),
      batch: (step) => tensor(step === 3 ? [1, -2] : [1, 2]),
      steps: 4, key: key(0),
    });
    await expect(bad).rejects.toThrow(/step 3: the loss \(NaN\) is not finite; first non-finite value from op log: produced NaN at flat index 1/);
  });
});
