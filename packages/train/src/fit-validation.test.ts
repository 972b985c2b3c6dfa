import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { matrix } from '@rheo/data';
import { loadCheckpoint } from '@rheo/nn/node';
import { add, key, matmul, mean, memory, scalar, square, sub, sum, tensor, zeros, type Tensor } from '@rheo/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { fit } from './fit.js';
import type { FitOptions, StepInfo } from './fit-options.js';

const dir = mkdtempSync(join(tmpdir(), 'rheo-fit-val-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// One parameter θ: training loss (θ − 3)², validation loss (θ − 1)². From θ = 0, Adam
// walks θ towards 3, so the validation loss falls until θ passes 1 and rises after.
type Theta = { theta: Tensor };
const TRAIN_MIN = 3;
const VAL_MIN = 1;
const LR = 0.1;

function quadratic(extra: Partial<FitOptions<Theta, null, null>> = {}) {
  return fit<Theta, null, null>({
    params: { theta: scalar(0) },
    loss: (p, _batch, { training }) => square(sub(p.theta, training ? TRAIN_MIN : VAL_MIN)),
    batch: () => null,
    steps: 60,
    key: key(1),
    optimizer: { lr: LR },
    validation: { data: null, every: 2, patience: 3 },
    ...extra,
  });
}

/** Adam (β1 0.9, β2 0.999, ε 1e-8, bias-corrected) on (θ − 3)² replayed in float64: θ after each step, index 0 the start. */
function adamReplay(steps: number): number[] {
  let [theta, m, v] = [0, 0, 0];
  const out = [theta];
  for (let t = 1; t <= steps; t++) {
    const g = 2 * (theta - TRAIN_MIN);
    m = 0.9 * m + 0.1 * g;
    v = 0.999 * v + 0.001 * g * g;
    theta -= (LR * (m / (1 - 0.9 ** t))) / (Math.sqrt(v / (1 - 0.999 ** t)) + 1e-8);
    out.push(theta);
  }
  return out;
}

describe('fit with validation', () => {
  it('stops early once the validation loss has risen for `patience` evaluations, returning the best parameters', async () => {
    const thetas = adamReplay(60);
    // The replay's evaluations (every 2 steps) and where early stopping with patience 3 must end.
    const evals = thetas.map((th, s) => ({ s, v: (th - VAL_MIN) ** 2 })).filter(({ s }) => s > 0 && s % 2 === 0);
    let [bestStep, bestV, since, stopAt] = [0, Infinity, 0, 0];
    for (const { s, v } of evals) {
      if (v < bestV) [bestStep, bestV, since] = [s, v, 0];
      else since++;
      if (since === 3) { stopAt = s; break; }
    }
    expect(bestStep).toBeGreaterThan(0);
    expect(stopAt).toBe(bestStep + 6);

    const seen: number[] = [];
    const r = await quadratic({ onStep: ({ step }) => { seen.push(step); } });
    expect(r.stopReason).toBe('early-stopping');
    expect(r.stoppedAt).toBe(stopAt);
    expect(r.stepsRun).toBe(stopAt);
    expect(seen.at(-1)).toBe(stopAt);
    expect(r.best!.step).toBe(bestStep);
    expect(r.best!.loss).toBeCloseTo(bestV, 5);
    expect((await r.params.theta.data())[0]).toBeCloseTo(thetas[bestStep]!, 5);
    expect(r.history.map((h) => h.step)).toEqual(evals.filter(({ s }) => s <= stopAt).map(({ s }) => s));
    r.history.forEach((h) => {
      expect(h.validationLoss).toBeCloseTo((thetas[h.step]! - VAL_MIN) ** 2, 5);
      // mean of the two training losses since the previous evaluation, each at the parameters before its step
      expect(h.trainLoss).toBeCloseTo(((thetas[h.step - 2]! - TRAIN_MIN) ** 2 + (thetas[h.step - 1]! - TRAIN_MIN) ** 2) / 2, 4);
    });
  });

  it('keeps the number of live tensors flat with validation, epoch batches and best copies', async () => {
    const seen: number[] = [];
    const data = matrix(Float32Array.from({ length: 40 }, (_, i) => i / 40), 20, 2);
    await fit<{ w: Tensor }, null, Tensor>({
      params: { w: zeros([2, 1]) },
      loss: (p, x) => mean(square(sub(matmul(x, p.w), 1))),
      batch: { data, size: 3 },
      steps: 60,
      key: key(2),
      validation: { data, every: 5, batchSize: 7 },
      onStep: ({ step }) => { if (step === 10 || step === 60) seen.push(memory().buffers); },
    });
    expect(seen[1]).toBe(seen[0]);
  });

  it('returns the last parameters with restoreBest: false', async () => {
    const r = await quadratic({ validation: { data: null, every: 2, patience: 3, restoreBest: false } });
    const thetas = adamReplay(r.stoppedAt);
    expect((await r.params.theta.data())[0]).toBeCloseTo(thetas[r.stoppedAt]!, 5);
    expect(r.best!.step).toBeLessThan(r.stoppedAt);
  });

  it('averages chunked validation rows weighted by rows, with training false and a separate validation loss', async () => {
    // 7 rows of x; validation loss mean(x·w) with w = 1 is the plain mean of the 7 values, whatever the chunking.
    const values = [1, 2, 3, 4, 5, 6, 100];
    const contexts: boolean[] = [];
    const run = (data: ReturnType<typeof matrix> | Tensor) => fit<{ w: Tensor }, null, Tensor>({
      params: { w: tensor([[1]]) },
      loss: (p) => sum(square(p.w)),
      batch: () => tensor([[0]]),
      steps: 1,
      key: key(0),
      optimizer: { lr: 1e-9 },
      validation: {
        data, every: 1, batchSize: 3,
        loss: (p, x, { training }) => { contexts.push(training); return mean(matmul(x, p.w)); },
      },
    });
    const fromMatrix = await run(matrix(Float32Array.from(values), 7, 1));
    const fromTensor = await run(tensor(values.map((v) => [v])));
    // chunks of 3, 3 and 1 rows, for each of the two runs
    expect(contexts).toEqual([false, false, false, false, false, false]);
    for (const r of [fromMatrix, fromTensor]) expect(r.history[0]!.validationLoss).toBeCloseTo(values.reduce((a, b) => a + b) / 7, 4);
  });

  it('rejects a Dataset without a val split and plateau decay without validation', async () => {
    const ds = { name: 'toy', train: matrix(new Float32Array(2), 2, 1), test: matrix(new Float32Array(2), 2, 1), dim: 1, transforms: [] };
    const base = { params: { w: tensor([[1]]) }, loss: (p: { w: Tensor }, x: Tensor) => mean(matmul(x, p.w)), batch: () => tensor([[1]]), steps: 2, key: key(0) };
    await expect(fit({ ...base, validation: { data: ds, every: 1 } })).rejects.toThrow(/fit\(validation\.data\): dataset "toy" has no val split/);
    await expect(fit({ ...base, optimizer: { lr: { lr: 0.1, decay: 'plateau' } } })).rejects.toThrow(/fit\(optimizer\.lr\.decay\): 'plateau' .* needs fit\(validation\)/);
  });

  it('halves the learning rate after `patience` evaluations without improvement', async () => {
    const lrs: number[] = [];
    // a validation loss that never improves after the first evaluation
    await fit<Theta, null, null>({
      params: { theta: scalar(0) },
      loss: (p, _b, { training }) => (training ? square(p.theta) : add(mul0(p.theta), 1)),
      batch: () => null,
      steps: 8,
      key: key(0),
      optimizer: { lr: { lr: 0.1, decay: 'plateau', patience: 2 } },
      validation: { data: null, every: 1 },
      onStep: ({ lr }) => { lrs.push(lr); },
    });
    // evaluations after steps 2, 3 bring no improvement → halved from step 4; after 4, 5 → from step 6; after 6, 7 → step 8
    expect(lrs).toEqual([0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.0125]);
  });

  it('resumes a validated run interrupted mid-way, ending bit for bit where an uninterrupted run ends', async () => {
    const path = join(dir, 'validated.safetensors');
    const x = Float32Array.from({ length: 40 }, (_, i) => Math.sin(i * 1.7));
    const data = matrix(x, 20, 2);
    const held = matrix(Float32Array.from({ length: 12 }, (_, i) => Math.cos(i * 0.9)), 6, 2);
    type P = { w: Tensor };
    const run = (extra: Partial<FitOptions<P, null, Tensor>>, infos: StepInfo[]) => fit<P, null, Tensor>({
      params: { w: zeros([2, 2]) },
      // a regression of the second column on the first, through a 2×2 map
      loss: (p, b) => mean(square(sub(matmul(b, p.w), matmul(b, tensor([[0, 1], [0, 0]]))))),
      batch: { data, size: 6 },
      epochs: 6,
      key: key(9),
      optimizer: { lr: { lr: 0.05, decay: 'plateau', patience: 1, factor: 0.5 }, clipNorm: 1 },
      ema: { decay: 0.9 },
      // held-out rows scored against the opposite map, so the validation loss stalls and the plateau schedule acts
      validation: {
        data: held, every: 3, batchSize: 4, restoreBest: true,
        loss: (p, b) => mean(square(sub(matmul(b, p.w), matmul(b, tensor([[0, -1], [0, 0]]))))),
      },
      onStep: (i) => { infos.push(i); },
      ...extra,
    });
    const straightInfos: StepInfo[] = [];
    const straight = await run({}, straightInfos);
    const killedInfos: StepInfo[] = [];
    await expect(run({
      checkpoint: { path, every: 4 },
      onStep: (i) => { killedInfos.push(i); if (i.step === 10) throw new Error('killed'); },
    }, killedInfos)).rejects.toThrow('killed');
    const resumedInfos: StepInfo[] = [];
    const resumed = await run({ checkpoint: { path, every: 4 } }, resumedInfos);
    expect(resumed.resumedFrom).toBe(8);
    expect(straight.stepsRun).toBe(24);
    expect(resumed.stepsRun).toBe(24);
    expect(Array.from(await resumed.params.w.data())).toEqual(Array.from(await straight.params.w.data()));
    expect(Array.from(await resumed.ema!.average.w.data())).toEqual(Array.from(await straight.ema!.average.w.data()));
    expect(Array.from(await resumed.adam.v.w.data())).toEqual(Array.from(await straight.adam.v.w.data()));
    expect(resumed.history).toEqual(straight.history);
    expect(resumed.best).toEqual(straight.best);
    expect(resumedInfos.map((i) => [i.step, i.loss, i.lr])).toEqual(straightInfos.slice(8).map((i) => [i.step, i.loss, i.lr]));
    // the plateau schedule reduced the rate at least once before the interruption, so its state had to travel
    expect(straightInfos.slice(0, 8).some((i) => i.lr < 0.05)).toBe(true);
  });

  it('returns the saved result without training when called again after an early stop', async () => {
    const path = join(dir, 'stopped.safetensors');
    const first = await quadratic({ checkpoint: { path, every: 5 } });
    expect(first.stopReason).toBe('early-stopping');
    let trained = 0;
    const again = await quadratic({
      checkpoint: { path, every: 5 },
      loss: (p, _b, { training }) => { if (training) trained++; return square(sub(p.theta, training ? TRAIN_MIN : VAL_MIN)); },
    });
    expect(trained).toBe(0);
    expect(again.stopReason).toBe('early-stopping');
    expect(again.stoppedAt).toBe(first.stoppedAt);
    expect(again.resumedFrom).toBe(first.stoppedAt);
    expect(again.losses).toEqual([]);
    expect(again.history).toEqual(first.history);
    expect(again.best).toEqual(first.best);
    expect(Array.from(await again.params.theta.data())).toEqual(Array.from(await first.params.theta.data()));
  });

  it('writes the best parameters and caller metadata, and rejects metadata keys fit writes itself', async () => {
    const path = join(dir, 'meta.safetensors');
    const metadata = { model: '{"kind":"quadratic","dim":1}', author: 'test' };
    const r = await quadratic({ checkpoint: { path, every: 4 }, metadata });
    const main = await loadCheckpoint(path);
    const best = await loadCheckpoint(join(dir, 'meta.best.safetensors'));
    for (const c of [main, best]) {
      expect(c.metadata['model']).toBe(metadata.model);
      expect(c.metadata['author']).toBe('test');
    }
    expect(main.metadata['format']).toBe('rheo-fit/1');
    expect(main.metadata['step']).toBe(String(r.stoppedAt));
    expect(best.metadata['step']).toBe(String(r.best!.step));
    expect(Object.keys(best.tensors)).toEqual(['params.theta']);
    expect(Array.from(await best.tensors['params.theta']!.data())).toEqual(Array.from(await r.params.theta.data()));
    expect(main.tensors['best.params.theta']).toBeDefined();
    await expect(quadratic({ metadata: { step: '3', format: 'mine', note: 'ok' } })).rejects.toThrow(/fit\(metadata\): keys "step", "format" are written by fit itself/);
  });

  it('writes the best checkpoint to bestPath when given', async () => {
    const path = join(dir, 'custom');
    const bestPath = join(dir, 'custom-best.safetensors');
    const r = await quadratic({ checkpoint: { path, every: 4, bestPath } });
    const best = await loadCheckpoint(bestPath);
    expect(Array.from(await best.tensors['params.theta']!.data())).toEqual(Array.from(await r.params.theta.data()));
    expect(readFileSync(path).length).toBeGreaterThan(0);
  });
});

// 0·θ keeps the validation loss a function of the parameters while holding it constant.
function mul0(t: Tensor): Tensor {
  return sub(t, t);
}
