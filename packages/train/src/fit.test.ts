import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  add, fold, key, log, matmul, mean, memory, mul, normal, scalar, square, sub, sum, tensor, uniform, zeros,
  type Key, type Tensor,
} from '@rheo/tensor';
import { loadCheckpoint } from '@rheo/nn/node';
import { matrix } from '@rheo/data';
import { afterAll, describe, expect, it } from 'vitest';
import { fit } from './fit.js';
import type { FitOptions, StepInfo } from './fit-options.js';

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

  it('runs a cosine decay to zero through its last step, at a positive rate', async () => {
    const infos: StepInfo[] = [];
    const r = await regression(5, { optimizer: { lr: { lr: 0.1, decay: 'cosine' } }, onStep: (i) => { infos.push(i); } });
    expect(r.stoppedAt).toBe(5);
    expect(r.stopReason).toBe('steps');
    // step t runs at ½·lr·(1 + cos(π(t − 1)/5))
    infos.forEach((info, i) => expect(info.lr).toBeCloseTo(0.05 * (1 + Math.cos((Math.PI * i) / 5)), 12));
    expect(infos.at(-1)!.lr).toBeGreaterThan(0);
  });

  it('passes training: true to the loss of training steps', async () => {
    const flags: boolean[] = [];
    await regression(3, { loss: (p, { x, y }, { training }) => { flags.push(training); return mean(square(sub(add(matmul(x, p.w), p.b), y))); } });
    expect(flags).toEqual([true, true, true]);
  });

  it('stops past its time budget after finishing the step, with a checkpoint to resume from', async () => {
    const path = join(dir, 'budget.safetensors');
    // a budget any step exceeds: exactly one step runs
    const cut = await regression(8, { budgetMs: 1e-9, checkpoint: { path, every: 100 } });
    expect(cut.stopReason).toBe('budget');
    expect(cut.stoppedAt).toBe(1);
    expect(cut.losses).toHaveLength(1);
    expect((await loadCheckpoint(path)).metadata['step']).toBe('1');
    const rest = await regression(8, { checkpoint: { path, every: 100 } });
    expect(rest.resumedFrom).toBe(1);
    expect(rest.stopReason).toBe('steps');
    const straight = await regression(8);
    expect(Array.from(await rest.params.w.data())).toEqual(Array.from(await straight.params.w.data()));
    // steps of at least 4 ms against a 30 ms budget: it stops well before the 1000th step
    const slow = await regression(1000, { budgetMs: 30, onStep: () => { const t = performance.now(); while (performance.now() - t < 4); } });
    expect(slow.stopReason).toBe('budget');
    expect(slow.stoppedAt).toBeGreaterThanOrEqual(1);
    expect(slow.stoppedAt).toBeLessThan(1000);
  });

  it('decays a cosine rate by the spent budget, so a run cut by time ends near the final rate', async () => {
    const lrs: number[] = [];
    // steps of at least 4 ms against a 60 ms budget and 1000 steps: time runs out first
    const cut = await regression(1000, {
      budgetMs: 60,
      optimizer: { lr: { lr: 0.05, decay: 'cosine', finalFraction: 0.1 } },
      onStep: (info) => { lrs.push(info.lr); const t = performance.now(); while (performance.now() - t < 4); },
    });
    expect(cut.stopReason).toBe('budget');
    expect(lrs.length).toBeLessThan(100);
    // by steps alone the last rate would be above 0.99·lr; by time it is within the last fifth of the curve
    expect(lrs.at(-1)!).toBeLessThan(0.05 * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * 0.8))));
    expect(lrs.at(-1)!).toBeGreaterThan(0);
    for (let i = 1; i < lrs.length; i++) expect(lrs[i]!).toBeLessThanOrEqual(lrs[i - 1]!);
  });

  it('refuses to resume with fewer steps than the checkpoint holds, leaving the file untouched', async () => {
    const path = join(dir, 'ahead.safetensors');
    await regression(6, { checkpoint: { path, every: 3 } });
    const before = readFileSync(path);
    await expect(regression(4, { checkpoint: { path, every: 3 } })).rejects.toThrow(
      /fit\(steps\): received 4, but the checkpoint .*ahead\.safetensors is at step 6; expected steps >= 6/,
    );
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('types epoch batches only for tensor batches', () => {
    const options = (): FitOptions<Params, null, { x: Tensor }> => ({
      params: { w: zeros([2, 1]), b: zeros([1]) },
      loss: (p, { x }) => mean(matmul(x, p.w)),
      // @ts-expect-error epoch batches hand the loss a Tensor, which { x } is not
      batch: { data: matrix(new Float32Array(4), 2, 2), size: 1 },
      key: key(0),
    });
    expect(typeof options).toBe('function');
  });
});
