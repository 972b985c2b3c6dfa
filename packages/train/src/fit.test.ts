import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  add, fold, key, log, matmul, mean, memory, mul, normal, scalar, square, sub, sum, tensor, uniform, zeros,
  type Key, type Tensor,
} from '@rheo/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { fit, type FitOptions } from './fit.js';
import { learningRate } from './schedule.js';

const dir = mkdtempSync(join(tmpdir(), 'rheo-fit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// y = x·[3, −2] + 1 + small noise: the least-squares optimum is known by construction.
type Params = { w: Tensor; b: Tensor };
function regression(steps: number, extra: Partial<FitOptions<Params, null, { x: Tensor; y: Tensor }>> = {}) {
  const truth = tensor([[3], [-2]]);
  return fit<Params, null, { x: Tensor; y: Tensor }>({
    params: { w: zeros([2, 1]), b: zeros([1]) },
    loss: (p, { x, y }) => mean(square(sub(add(matmul(x, p.w), p.b), y))),
    batch: (_step, k: Key) => {
      const x = normal(fold(k, 0), [32, 2]);
      return { x, y: add(add(matmul(x, truth), 1), mul(normal(fold(k, 1), [32, 1]), 0.01)) };
    },
    steps,
    key: key(5),
    optimizer: { lr: 0.05 },
    ...extra,
  });
}

describe('fit', () => {
  it('trains a linear regression to the known coefficients', async () => {
    const r = await regression(400);
    expect(r.losses[0]! / r.losses.at(-1)!).toBeGreaterThan(1000);
    const w = Array.from(await r.params.w.data());
    expect(w[0]).toBeCloseTo(3, 2);
    expect(w[1]).toBeCloseTo(-2, 2);
    expect((await r.params.b.data())[0]).toBeCloseTo(1, 2);
  });

  it('keeps the number of live tensors flat over the loop', async () => {
    const seen: number[] = [];
    await regression(60, { onStep: ({ step }) => { if (step === 10 || step === 60) seen.push(memory().buffers); } });
    expect(seen[1]).toBe(seen[0]);
  });

  it('stops at a NaN, naming the step and the op that made it', async () => {
    const path = join(dir, 'nan.safetensors');
    const run = fit<{ a: Tensor }, null, Tensor>({
      params: { a: scalar(1) },
      // log of a batch that turns negative at step 4
      loss: (p, x) => mean(log(mul(x, p.a))),
      batch: (step) => tensor(step === 4 ? [1, -2, 3] : [1, 2, 3]),
      steps: 10,
      key: key(0),
      checkpoint: { path, every: 1 },
    });
    await expect(run).rejects.toThrow(/step 4: the loss \(NaN\) is not finite; first non-finite value from op log/);
    // The last good checkpoint (step 3) is intact and resumable.
    const resumed = await fit<{ a: Tensor }, null, Tensor>({
      params: { a: scalar(1) }, loss: (p, x) => mean(log(mul(x, p.a))), batch: () => tensor([1, 2, 3]),
      steps: 3, key: key(0), checkpoint: { path, every: 1 },
    });
    expect(resumed.resumedFrom).toBe(3);
    expect(resumed.losses).toEqual([]);
  });

  it('resumes after a kill and ends where an uninterrupted run ends, bit for bit', async () => {
    const path = join(dir, 'resume.safetensors');
    const counter = { n: zeros([]) };
    const common = {
      buffers: counter,
      updateBuffers: (_p: Params, b: { n: Tensor }) => ({ n: add(b.n, 1) }),
      ema: { decay: 0.9 },
      optimizer: { lr: 0.05, weightDecay: 0.01, clipNorm: 5 },
    };
    const killed = regression(12, {
      ...common, checkpoint: { path, every: 4 }, onStep: ({ step }: { step: number }) => { if (step === 10) throw new Error('killed'); },
    } as never);
    await expect(killed).rejects.toThrow('killed');
    const resumed = await regression(12, { ...common, checkpoint: { path, every: 4 } } as never);
    expect(resumed.resumedFrom).toBe(8);
    expect(resumed.losses).toHaveLength(4);
    const straight = await regression(12, common as never);
    expect(Array.from(await resumed.params.w.data())).toEqual(Array.from(await straight.params.w.data()));
    expect(Array.from(await resumed.ema!.average.w.data())).toEqual(Array.from(await straight.ema!.average.w.data()));
    expect(Array.from(await resumed.adam.m.w.data())).toEqual(Array.from(await straight.adam.m.w.data()));
    expect(resumed.adam.step).toBe(12);
    expect((await (resumed.buffers as unknown as { n: Tensor }).n.data())[0]).toBe(12);
  });

  it('keeps an exponential moving average equal to a hand-computed one', async () => {
    const trajectory: number[][] = [];
    const r = await regression(15, {
      ema: { decay: 0.8 },
      loss: (p, { x, y }) => {
        trajectory.push(Array.from(p.w.dataSync()));
        return mean(square(sub(add(matmul(x, p.w), p.b), y)));
      },
    });
    trajectory.push(Array.from(await r.params.w.data()));
    // ema_0 = θ_0, ema_t = 0.8·ema_{t−1} + 0.2·θ_t, θ_t the parameters after step t.
    let ema = trajectory[0]!.slice();
    for (let t = 1; t < trajectory.length; t++) ema = ema.map((e, i) => 0.8 * e + 0.2 * trajectory[t]![i]!);
    const got = Array.from(await r.ema!.average.w.data());
    got.forEach((g, i) => expect(g).toBeCloseTo(ema[i]!, 5));
  });

  it('rejects a checkpoint of another model with a clear error', async () => {
    const path = join(dir, 'other.safetensors');
    await fit<{ v: Tensor }, null, null>({
      params: { v: uniform(key(1), [3]) }, loss: (p) => sum(square(p.v)), batch: () => null, steps: 1, key: key(0),
      checkpoint: { path, every: 1 },
    });
    await expect(regression(2, { checkpoint: { path, every: 1 } })).rejects.toThrow(/other\.safetensors does not match this model/);
  });

  it('rejects bad options, naming them', async () => {
    await expect(regression(-1)).rejects.toThrow(/fit\(steps\): expected a non-negative integer, received -1/);
    await expect(regression(3, { checkpoint: { path: join(dir, 'x'), every: 0 } })).rejects.toThrow(/fit\(checkpoint\.every\)/);
  });
});

describe('learningRate', () => {
  it('warms up linearly, then decays along a cosine to the final fraction', () => {
    const s = { lr: 1e-2, warmupSteps: 10, decay: 'cosine' as const, finalFraction: 0.1 };
    expect(learningRate(s, 1, 110)).toBeCloseTo(1e-3, 12);
    expect(learningRate(s, 10, 110)).toBeCloseTo(1e-2, 12);
    // halfway through the decay: f + (1 − f)/2
    expect(learningRate(s, 60, 110)).toBeCloseTo(1e-2 * 0.55, 12);
    expect(learningRate(s, 110, 110)).toBeCloseTo(1e-3, 12);
    expect(learningRate({ lr: 0.5 }, 7, 10)).toBe(0.5);
  });

  it('rejects a non-positive rate', () => {
    expect(() => learningRate({ lr: 0 }, 1, 1)).toThrow(/learning-rate schedule \(lr\): expected a positive number, received 0/);
  });
});
