import { add, div, fold, key, keyedValue, matmul, mean, memory, mul, normal, sqrt, square, sub, sum, tanh, tensor, transpose, zeros, type Key, type Tensor } from '@rheo/tensor';
import { describe, expect, it, vi } from 'vitest';
import { fit } from './fit.js';
import type { FitOptions } from './fit-options.js';

// A small tanh network on noisy targets; the loss draws from its key (noise, and a
// host-drawn number of smoothing passes, as a Russian-roulette series does).
type Params = { w1: Tensor; w2: Tensor };
type Batch = { x: Tensor; y: Tensor };
const loss: FitOptions<Params, null, Batch>['loss'] = (p, { x, y }, { key: k }) => {
  let h = tanh(matmul(add(x, mul(normal(fold(k, 0), x.shape), 0.01)), p.w1));
  const passes = keyedValue(fold(k, 1), (kk) => 1 + (kk.k0 % 3));
  for (let i = 0; i < passes; i++) h = tanh(add(h, mul(h, 0.5)));
  return mean(square(sub(matmul(h, p.w2), y)));
};
const run = (jit: boolean, extra: Partial<FitOptions<Params, null, Batch>> = {}) => fit<Params, null, Batch>({
  params: { w1: mul(normal(key(1), [3, 8]), 0.5), w2: mul(normal(key(2), [8, 1]), 0.5) },
  loss,
  batch: (_step, k: Key) => {
    const x = normal(fold(k, 7), [16, 3]);
    return { x, y: tanh(matmul(x, tensor([[1], [-1], [0.5]]))) };
  },
  steps: 30,
  key: key(3),
  optimizer: { lr: 0.01 },
  jit,
  ...extra,
});

const bits = (t: Tensor) => Array.from(new Uint32Array(t.dataSync().buffer.slice(0)));

describe('fit({ jit: true })', () => {
  it('trains to the same bits as the eager loop, keyed draws included', async () => {
    const eager = await run(false);
    const replayed = await run(true);
    expect(replayed.losses).toEqual(eager.losses);
    // Three outcomes of the keyed pass count: three recordings, every other step a replay.
    expect(replayed.jit).toMatchObject({ recordings: 3, replays: 27, eager: 0 });
    expect(eager.jit).toBeUndefined();
    expect(bits(replayed.params.w1)).toEqual(bits(eager.params.w1));
    expect(bits(replayed.params.w2)).toEqual(bits(eager.params.w2));
  });

  it('replays updateBuffers too (a power iteration), to the eager loop\'s losses, parameters and buffers, bit for bit', async () => {
    type Buffers = { u: Tensor };
    // The loss scales its output by ‖W1ᵀu‖ of the buffer's u; the update is one power-method step on W1 W1ᵀ.
    const unit = (v: Tensor) => div(v, sqrt(sum(mul(v, v))));
    const withBuffers = (jit: boolean) => fit<Params, Buffers, Batch>({
      params: { w1: mul(normal(key(1), [3, 8]), 0.5), w2: mul(normal(key(2), [8, 1]), 0.5) },
      buffers: { u: unit(normal(key(4), [1, 3])) },
      updateBuffers: (p, b) => ({ u: unit(transpose(matmul(p.w1, transpose(matmul(b.u, p.w1))))) }),
      loss: (p, bt, ctx) => mul(loss(p, bt, ctx as never), sqrt(sum(square(matmul(ctx.buffers.u, p.w1))))),
      batch: (_step, k: Key) => {
        const x = normal(fold(k, 7), [16, 3]);
        return { x, y: tanh(matmul(x, tensor([[1], [-1], [0.5]]))) };
      },
      steps: 20, key: key(3), optimizer: { lr: 0.01 }, jit,
    });
    const eager = await withBuffers(false);
    const replayed = await withBuffers(true);
    expect(replayed.losses).toEqual(eager.losses);
    expect(bits(replayed.params.w1)).toEqual(bits(eager.params.w1));
    expect(bits(replayed.buffers.u)).toEqual(bits(eager.buffers.u));
  });

  it('keeps memory flat over replayed steps, and gives the recordings\' storage back when it returns', async () => {
    const seen: number[] = [];
    const left = async (jit: boolean) => {
      const before = memory().buffers;
      const r = await run(jit, { onStep: ({ step }) => { if (jit && (step === 10 || step === 30)) seen.push(memory().buffers); } });
      for (const t of [r.params.w1, r.params.w2, ...Object.values(r.adam.m), ...Object.values(r.adam.v)]) (t as Tensor).dispose();
      return memory().buffers - before;
    };
    // The replayed loop leaves behind what the eager one does (the caller's initial tensors): no recording's constants.
    expect(await left(true)).toBe(await left(false));
    expect(seen[1]).toBe(seen[0]);
  });

  it('runs eagerly, with a notice, a loss that reads context.step, and still trains the same', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const stepped: FitOptions<Params, null, Batch>['loss'] = (p, b, c) => mul(loss(p, b, c), 1 + 1 / (1 + c.step));
    const eager = await run(false, { loss: stepped });
    const viaJit = await run(true, { loss: stepped });
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/jit\(fit\(loss\)\): cannot replay this function: the loss reads context\.step/));
    warn.mockRestore();
    expect(viaJit.losses).toEqual(eager.losses);
    expect(viaJit.jit).toMatchObject({ recordings: 1, replays: 0, eager: 29 });
  });

  it('checks the batch is made of tensors', async () => {
    await expect(fit({ params: { a: zeros([1]) }, loss: (p) => mean(p.a), batch: () => new Map() as never, steps: 1, key: key(0), jit: true }))
      .rejects.toThrow(/fit\(loss\)\(args\): expected tensors in arrays and plain objects.*found .*Map/);
  });
});
