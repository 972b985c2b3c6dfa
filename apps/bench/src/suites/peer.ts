import * as tf from '@tensorflow/tfjs';
import { sliceRows, takeRows, uniforms, type Matrix } from '@rheo/data';
import type { LinearParams } from '@rheo/nn';
import { ArgumentError, fold, key, type Key } from '@rheo/tensor';
import type { RunContext } from '../context.js';
import { datasetKind, loadDataset } from '../datasets.js';
import { meanNll } from '../evaluate.js';
import { couplingFlow } from '../models.js';
import { tfjsCouplingFlow } from '../peer/tfjs-coupling-flow.js';
import { progress } from '../progress.js';
import { trainModel } from '../train-model.js';
import { datasetIdentity } from '../dataset-identity.js';
import { couplingOfResidual, JIT, residualStep, stepRows, torchComparison } from '../kernels/torch-rows.js';

function batchRows(data: Matrix, k: Key, size: number): Matrix {
  const u = uniforms(k, size);
  return takeRows(data, Int32Array.from(u, (v) => Math.min(data.rows - 1, Math.floor(v * data.rows))));
}

function median(v: readonly number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * The same RealNVP trained by maximum likelihood in rheo and in
 * TensorFlow.js (CPU backend), on the same minibatches, for the same number
 * of steps with Adam at the same learning rate: median step time, their ratio
 * and the final test NLL; then RealNVP, MAF, residual-flow and SAEF steps
 * against PyTorch where it is installed, and a residual-flow step over a
 * coupling step of the same width and depth.
 */
export async function peerSuite(ctx: RunContext): Promise<void> {
  const o = ctx.options;
  const name = o.dataset ?? 'power';
  const kind = datasetKind(name);
  if (kind !== 'toy' && kind !== 'tabular') throw new ArgumentError(`--dataset ${name}: the peer suite takes a toy or tabular data set`);
  const base = key(o.seed);
  const data = await loadDataset(name, o.dataDir, fold(base, 400), { train: 20000, test: 2000 });
  const d = data.dim;
  const steps = ctx.steps({ quick: 20, default: 300, full: 2000 });
  const batch = 256;
  const lr = 1e-3;
  const layers = 4;
  const hidden = [64, 64];
  const test = sliceRows(data.test, 0, Math.min(data.test.rows, 2000));
  const dataKey = fold(base, 401);

  // Without ActNorm and at a constant learning rate: the peer is the same plain RealNVP.
  const model = couplingFlow(fold(base, 402), d, { layers, hidden, actNorm: false });
  // The peer starts from the same weights, so the two runs differ only in the library.
  const init = await Promise.all((model.params as LinearParams[][]).map((net) =>
    Promise.all(net.map(async (l) => ({ w: Float32Array.from(await l.w.data()), b: Float32Array.from(await l.b.data()) })))));
  const trained = await trainModel(model, data.train, 'mle', dataKey, {
    // No clipping, like the TensorFlow.js loop below.
    steps, batch, lr, checkpoint: ctx.checkpoint(`peer-${datasetIdentity(data)}-realnvp-rheo-noclip`, steps), label: `peer ${data.name} rheo`, clipNorm: null, cosine: false,
  });
  const rheoNll = await meanNll(model, trained, test, fold(base, 403));

  await tf.setBackend('cpu');
  const peer = tfjsCouplingFlow(d, layers, hidden, o.seed, init);
  const optimizer = tf.train.adam(lr);
  const times: number[] = [];
  const bar = progress(`peer ${data.name} tfjs`, steps);
  // Same minibatch stream as rheo's fit: batch of step s is drawn from fold(dataKey, s).
  for (let step = 1; step <= steps; step++) {
    const rows = batchRows(data.train, fold(dataKey, step), batch);
    const t0 = performance.now();
    const x = tf.tensor2d(rows.data, [rows.rows, d]);
    const loss = optimizer.minimize(() => tf.neg(tf.mean(peer.logProb(x))) as tf.Scalar, true, peer.variables);
    const v = (await loss!.data())[0]!;
    times.push(performance.now() - t0);
    x.dispose();
    loss!.dispose();
    bar.update(step, `loss ${v.toFixed(3)}`);
  }
  bar.finish();
  const xt = tf.tensor2d(test.data, [test.rows, d]);
  const lp = peer.logProb(xt);
  const peerNll = -Array.from(await lp.data()).reduce((a, b) => a + b, 0) / test.rows;
  xt.dispose();
  lp.dispose();
  optimizer.dispose();
  peer.dispose();

  const row = (modelName: string, metric: string, value: number, unit: string) =>
    ctx.add('peer', { dataset: data.name, model: modelName, objective: 'mle', metric, value, unit });
  row('realnvp (rheo)', 'steps', steps, 'steps (configured)');
  row('realnvp (rheo)', 'train_step_ms', trained.stepMs, 'ms');
  row('realnvp (rheo)', 'nll_nats', rheoNll, 'nats');
  row('realnvp (rheo)', 'speed_ratio_vs_peer', median(times) / trained.stepMs, 'x (tfjs step ms / rheo step ms)');
  row('realnvp (tfjs-cpu)', 'train_step_ms', median(times), 'ms');
  row('realnvp (tfjs-cpu)', 'nll_nats', peerNll, 'nats');
  // Training steps of RealNVP and a residual flow against PyTorch, on the first training batch.
  const first = batchRows(data.train, fold(dataKey, 1), batch);
  const torchSteps = stepRows(first.data, d);
  const torchTimes = await torchComparison(ctx, 'peer', data.name, torchSteps.rows, torchSteps.request);
  // The price of a free-form Jacobian: a residual-flow step over a coupling step of the same width and depth.
  for (const suffix of ['', JIT]) {
    const res = torchTimes.get(residualStep(batch) + suffix), cpl = torchTimes.get(couplingOfResidual(batch) + suffix);
    if (res === undefined || cpl === undefined) continue;
    const ratioRow = (who: string, v: number) => ctx.add('peer', {
      dataset: data.name, model: `residual-flow step ÷ RealNVP step (d=2, 8×32-32${suffix})`, objective: '-', metric: `step_ratio (${who})`, value: v, unit: 'x',
    });
    ratioRow('rheo, wall', res.rheoUs / cpl.rheoUs);
    ratioRow('rheo, CPU', res.rheoCpuUs / cpl.rheoCpuUs);
    if (suffix !== '') continue;
    if (res.peerUs !== undefined && cpl.peerUs !== undefined) ratioRow('PyTorch, wall', res.peerUs / cpl.peerUs);
    if (res.peerCpuUs !== undefined && cpl.peerCpuUs !== undefined) ratioRow('PyTorch, CPU', res.peerCpuUs / cpl.peerCpuUs);
  }
  ctx.note('peer', `RealNVP (${layers} couplings, hidden ${hidden.join('-')}, batch ${batch}, Adam lr ${lr}, ${steps} steps) on ${data.name}. Both start from the same weights and neither clips gradients. speed_ratio_vs_peer above 1: rheo's step is faster.`);
}
