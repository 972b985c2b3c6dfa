import { maf, realNVP, residualFlow, saef, type Model } from '@rheo/models';
import { adamInit, adamStep, disposeTree, type StateTree } from '@rheo/nn';
import {
  add, exp, fold, jit, key, log, log1p, matmul, mul, sigmoid, sum, tanh, tensor, tidy, valueAndGrad, type Key, type Tensor, type TensorTree,
} from '@rheo/tensor';
import { cpus, loadavg } from 'node:os';
import type { RunContext } from '../context.js';
import { runTorchPeer, type TorchRequest } from '../peer/torch-peer.js';
import { callTime, type CallTime, values } from './timing.js';

/**
 * rheo's side of the PyTorch comparison: each row is the workload of the row
 * of the same name in ../peer/torch_peer.py, on the same shapes and inputs.
 * Op rows time the op alone (the output is disposed, not read back; PyTorch's
 * CPU ops are synchronous too), each sample the mean of a batch of back-to-back calls; training steps are loss, gradient, Adam
 * update and buffer update, as `fit` runs them.
 */
export interface TorchRow {
  readonly name: string;
  /** The PyTorch row it is compared with, where its name differs (a jit variant of an eager row). */
  readonly peer?: string;
  /** Median wall and mean CPU microseconds of one call, given warm-up and repeat counts. */
  readonly time: (warmup: number, repeats: number) => Promise<CallTime>;
}

const us = async (fn: () => unknown, warmup: number, repeats: number, batch = 1): Promise<CallTime> => {
  const t = await callTime(fn, warmup, repeats, batch);
  return { wallMs: 1000 * t.wallMs, cpuMs: 1000 * t.cpuMs };
};

export function opRows(): TorchRow[] {
  const x = tensor(values(256 * 64, 1), [256, 64]), y = tensor(values(256 * 64, 2), [256, 64]);
  // log's input: x + 1.5, in [0.5, 2.5) (float32 addition, the same values in PyTorch).
  const xp = tensor(values(256 * 64, 1).map((v) => v + 1.5), [256, 64]);
  const w = tensor(values(64 * 64, 3, 0.125), [64, 64]);
  const a = tensor(values(1024 * 256, 4), [1024, 256]), b = tensor(values(256 * 256, 5, 0.0625), [256, 256]);
  const chain = valueAndGrad((p: Tensor) => { const h = tanh(matmul(x, p)); return sum(mul(h, h)); });
  // Each sample is the mean of `batch` back-to-back calls (PyTorch's rows are sampled the same way).
  const op = (name: string, f: () => Tensor, batch: number): TorchRow => ({
    name, time: (wu, r) => us(() => f().dispose(), batch * wu, r, batch),
  });
  return [
    op('add [256,64]', () => add(x, y), 20),
    op('tanh [256,64]', () => tanh(x), 20),
    op('exp [256,64]', () => exp(x), 20),
    op('sigmoid [256,64]', () => sigmoid(x), 20),
    op('log [256,64]', () => log(xp), 20),
    op('log1p [256,64]', () => log1p(x), 20),
    op('matmul 256x64·64x64', () => matmul(x, w), 10),
    op('matmul 1024x256·256x256', () => matmul(a, b), 1),
    { name: 'grad Σ tanh(xW)², x [256,64], W [64,64]', time: (wu, r) => us(() => tidy(() => { chain(w); }), 5 * wu, r, 5) },
  ];
}

/** Suffix of the rows whose loss, gradient and buffer update are replayed by `jit`, as `fit({ jit: true })` runs them. */
export const JIT = ', jit';

function stepRow(name: string, model: Model, x: Tensor, replayed: boolean): TorchRow {
  const spec = model.fitSpec;
  const lossAndGrad = (a: { p: TensorTree; x: Tensor; b: TensorTree }, k?: Key) => {
    const [l, g] = valueAndGrad((p: TensorTree) => spec.loss(p, a.x, { key: k!, buffers: a.b as never, training: true }))(a.p);
    return { l, g };
  };
  const run = replayed ? (jit(lossAndGrad as never) as unknown as typeof lossAndGrad) : lossAndGrad;
  // As fit({ jit: true }) runs it: the buffer update (a residual flow's power iterations) replayed too.
  const update = (a: { p: TensorTree; b: TensorTree }) => spec.updateBuffers!(a.p as never, a.b as never) as TensorTree;
  const updateRun = replayed && spec.updateBuffers ? (jit(update as never) as unknown as typeof update) : update;
  return {
    name: replayed ? `${name}${JIT}` : name,
    ...(replayed ? { peer: name } : {}),
    time: async (warmup, repeats) => {
      let params = spec.params, buffers = spec.buffers, adam = adamInit(params), step = 0;
      const t = await us(() => {
        step++;
        const k = fold(key(11), step);
        const { l: loss, g: grads } = tidy(() => run({ p: params, x, b: (buffers ?? null) as TensorTree }, k));
        loss.dataSync();
        const [next, nextAdam] = adamStep(params, grads, adam, { lr: 1e-3 });
        if (spec.updateBuffers) {
          const nb = tidy(() => updateRun({ p: next as TensorTree, b: buffers as TensorTree })) as typeof buffers;
          if (step > 1 && nb !== buffers) disposeTree(buffers);
          buffers = nb;
        }
        disposeTree([grads, loss, adam] as StateTree);
        if (step > 1) disposeTree(params as StateTree);
        params = next;
        adam = nextAdam;
      }, warmup, repeats);
      // The model's own parameters and buffers stay; what the steps made goes.
      disposeTree(adam as StateTree);
      if (step > 0) disposeTree(params as StateTree);
      if (buffers !== spec.buffers) disposeTree(buffers);
      return t;
    },
  };
}

/** The name of the coupling row a residual-flow step is divided by (same width and depth, same rows). */
export const couplingOfResidual = (n: number) => `RealNVP step (d=2, 8×32-32, b=${n}, Adam)`;
/** The name of the residual-flow step row. */
export const residualStep = (n: number) => `residual-flow step (d=2, 8×32-32, roulette, b=${n}, Adam)`;

/**
 * Training steps against PyTorch's: RealNVP (4 couplings 64-64, no ActNorm)
 * and MAF (5 MADE layers 64-64, no ActNorm) on `batch` (rows × d); a residual
 * flow (8 blocks 32-32, ActNorm, Russian-roulette log-det) and a RealNVP of
 * the same width and depth (8 couplings 32-32) on its first two columns; the
 * SAEF sampler (d = 43, k = 10, m = 2 samples per row, energy score) on 43
 * columns of generated values (`values(n·43, 6)`, drawn the same way on both
 * sides). Returns the request that has PyTorch run the same steps on the same rows.
 */
export function stepRows(batch: Float32Array, d: number): { rows: TorchRow[]; request: (warmup: number, repeats: number) => TorchRequest } {
  const n = batch.length / d;
  const two = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) { two[2 * i] = batch[i * d]!; two[2 * i + 1] = batch[i * d + (d > 1 ? 1 : 0)]!; }
  const x = tensor(batch, [n, d]), x2 = tensor(two, [n, 2]);
  return {
    rows: [false, true].flatMap((replayed) => [
      stepRow(`RealNVP step (d=${d}, 4×64-64, b=${n}, Adam)`, realNVP(key(2), d, { transforms: 4, hidden: [64, 64], actNorm: false }), x, replayed),
      stepRow(`MAF step (d=${d}, 5×64-64, b=${n}, Adam)`, maf(key(3), d, { transforms: 5, hidden: [64, 64], actNorm: false }), x, replayed),
      stepRow(residualStep(n), residualFlow(key(1), 2, { blocks: 8, hidden: [32, 32], logDet: 'russian-roulette' }), x2, replayed),
      stepRow(couplingOfResidual(n), realNVP(key(5), 2, { transforms: 8, hidden: [32, 32], actNorm: false }), x2, replayed),
      stepRow(`SAEF step (d=43, k=10, m=2, energy score, b=${n}, Adam)`, saef(key(4), 43, { blockSize: 10, hidden: [64, 64] }), tensor(values(n * 43, 6), [n, 43]), replayed),
    ]),
    request: (warmup, repeats) => ({ part: 'steps', warmup, repeats, d, batch: Array.from(batch) }),
  };
}

/** Times of one row in µs: rheo's wall and CPU time, and PyTorch's where it ran. */
export interface RowTimes { readonly rheoUs: number; readonly rheoCpuUs: number; readonly peerUs?: number; readonly peerCpuUs?: number }

/**
 * Times `rows` in rheo and adds, per row, rheo's wall (median) and CPU (mean)
 * time and, where PyTorch is installed, PyTorch's, `speed_ratio_vs_peer`
 * (PyTorch µs / rheo µs of wall time: above 1, rheo is faster) and
 * `speed_ratio_vs_peer_cpu` (the same of CPU time, which time spent waiting
 * for a core on a loaded machine does not inflate). Without PyTorch, one line
 * (printed and noted) says why and only rheo's times are reported. Returns
 * the times by row name.
 */
export async function torchComparison(
  ctx: RunContext, suite: string, dataset: string, rows: readonly TorchRow[], request: (warmup: number, repeats: number) => TorchRequest,
): Promise<Map<string, RowTimes>> {
  const quick = ctx.options.size === 'quick';
  // Ten warm-up calls: the first steps of a model still run code the JIT has not optimised.
  const [warmup, repeats] = quick ? [1, 5] : [10, 30];
  const peer = runTorchPeer(request(warmup, repeats));
  if ('missing' in peer) {
    console.log(peer.missing);
    ctx.note(suite, peer.missing);
  }
  const times = new Map<string, RowTimes>();
  for (const row of rows) {
    const t = await row.time(warmup, repeats);
    const base = { dataset, model: row.name, objective: '-' };
    ctx.add(suite, { ...base, metric: 'time_us', value: t.wallMs, unit: 'µs (rheo, median wall)' });
    ctx.add(suite, { ...base, metric: 'cpu_time_us', value: t.cpuMs, unit: 'µs (rheo, mean CPU)' });
    const theirs = 'missing' in peer ? undefined : peer.rows[row.peer ?? row.name];
    const theirsCpu = 'missing' in peer ? undefined : peer.cpu_rows?.[row.peer ?? row.name];
    times.set(row.name, { rheoUs: t.wallMs, rheoCpuUs: t.cpuMs, ...(theirs === undefined ? {} : { peerUs: theirs }), ...(theirsCpu === undefined ? {} : { peerCpuUs: theirsCpu }) });
    if (theirs === undefined || 'missing' in peer) continue;
    const who = `PyTorch ${peer.torch}, ${peer.threads} thread`;
    ctx.add(suite, { ...base, metric: 'peer_time_us', value: theirs, unit: `µs (${who}, median wall)` });
    ctx.add(suite, { ...base, metric: 'speed_ratio_vs_peer', value: theirs / t.wallMs, unit: 'x (PyTorch µs / rheo µs, wall)' });
    if (theirsCpu === undefined) continue;
    ctx.add(suite, { ...base, metric: 'peer_cpu_time_us', value: theirsCpu, unit: `µs (${who}, mean CPU)` });
    ctx.add(suite, { ...base, metric: 'speed_ratio_vs_peer_cpu', value: theirsCpu / t.cpuMs, unit: 'x (PyTorch µs / rheo µs, CPU)' });
  }
  if (!('missing' in peer)) {
    ctx.note(suite, `PyTorch ${peer.torch} on ${peer.threads} thread, same shapes and inputs; speed_ratio_vs_peer above 1: rheo is faster (wall time; speed_ratio_vs_peer_cpu: of CPU time, steadier when the machine is shared). Compare runs made on the same machine only, and read them with the machine's load (${loadNote()}).`);
  }
  return times;
}

/** The 1-minute load average and the core count, for the notes. */
export function loadNote(): string {
  return `load average ${loadavg()[0]!.toFixed(2)} on ${cpus().length} cores`;
}
