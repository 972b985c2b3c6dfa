import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { exportFunctionOnnx } from '@rheo/onnx';
import { BackendError, matmul, matmulBias, tanh, tensor, tidy, type Tensor } from '@rheo/tensor';
import type { RunContext } from '../context.js';
import { MLP_STEP_NAME, rheoMlpStep, tfjsMlpStep } from '../kernels/mlp-step.js';
import { medianMs, values } from '../kernels/timing.js';
import { opRows, torchComparison } from '../kernels/torch-rows.js';
import { progress } from '../progress.js';

interface KernelRow { readonly name: string; readonly rheo: number; readonly peer: number; readonly peerName: string; readonly unit: string; readonly ratio: number }

/**
 * Engine kernels against TensorFlow.js's pure-JS CPU backend and
 * onnxruntime-node, median of repeats after warm-up: matmul n³ (GFLOP/s), an
 * MLP training step (ms) and an MLP forward pass checked against onnxruntime
 * before timing (ms); then elementwise ops, matmuls and a gradient chain against
 * PyTorch where it is installed (µs). Ratios are rheo speed / peer speed: above 1, rheo is faster.
 */
export async function kernelsSuite(ctx: RunContext): Promise<void> {
  const quick = ctx.options.size === 'quick';
  const rows: KernelRow[] = [];
  await tf.setBackend('cpu');
  const bar = progress('kernels', 3);

  // --- matmul n^3: GFLOP/s = 2 n^3 / time -------------------------------------
  for (const n of quick ? [64, 128] : [64, 256, 512]) {
    const A = values(n * n, 1), B = values(n * n, 2);
    const ra = tensor(A, [n, n]), rb = tensor(B, [n, n]);
    const ta = tf.tensor2d(A, [n, n]), tb = tf.tensor2d(B, [n, n]);
    const reps = quick ? 3 : n <= 64 ? 50 : n <= 256 ? 15 : 5;
    const rheoMs = await medianMs(() => { const c = matmul(ra, rb); c.dataSync(); c.dispose(); }, 3, reps);
    const tfMs = await medianMs(() => { const c = tf.matMul(ta, tb); c.dataSync(); c.dispose(); }, 2, Math.max(3, Math.floor(reps / 2)));
    const gf = (ms: number) => (2 * n ** 3) / (ms * 1e6);
    rows.push({ name: `matmul ${n}^3`, rheo: gf(rheoMs), peer: gf(tfMs), peerName: 'tfjs-cpu', unit: 'GFLOP/s', ratio: gf(rheoMs) / gf(tfMs) });
    ra.dispose(); rb.dispose(); ta.dispose(); tb.dispose();
  }

  bar.update(1, 'matmul done');
  // --- MLP training step: 8 -> 128 -> 128 -> 8, tanh, MSE, SGD, batch 256 ------
  {
    const rheo = rheoMlpStep();
    const peer = tfjsMlpStep();
    const rheoMs = await medianMs(rheo.step, quick ? 1 : 5, quick ? 3 : 30);
    const tfMs = await medianMs(peer.step, quick ? 1 : 5, quick ? 3 : 30);
    rheo.dispose();
    peer.dispose();
    rows.push({ name: MLP_STEP_NAME, rheo: rheoMs, peer: tfMs, peerName: 'tfjs-cpu', unit: 'ms', ratio: tfMs / rheoMs });
  }

  bar.update(2, 'train step done');
  // --- MLP forward 8-256-256-8 at batch 1024: rheo vs onnxruntime ----------------
  {
    const batch = 1024, dims = [8, 256, 256, 8];
    const X = values(batch * 8, 5);
    const ws = dims.slice(1).map((o, i) => [tensor(values(dims[i]! * o, 20 + i, 1 / Math.sqrt(dims[i]!)), [dims[i]!, o]), tensor(values(o, 30 + i, 0.1), [o])] as [Tensor, Tensor]);
    const mlp = (p: [Tensor, Tensor][], h: Tensor): Tensor => {
      p.forEach(([w, b], i) => { h = matmulBias(h, w, b); if (i < p.length - 1) h = tanh(h); });
      return h;
    };
    const x = tensor(X, [batch, 8]);
    const forward = () => tidy(() => mlp(ws, x).dataSync());
    // onnxruntime runs the same function, exported by @rheo/onnx (matmulBias as MatMul + Add, Tanh).
    const bytes = await exportFunctionOnnx((p: [Tensor, Tensor][], { x: input }) => ({ y: mlp(p, input!) }), ws, { inputs: { x: [8] }, name: 'mlp' });
    const flops = 2 * batch * (8 * 256 + 256 * 256 + 256 * 8);
    const rheoMs = await medianMs(forward, 1, quick ? 3 : 20);
    const mine = forward();
    for (const threads of [1, 2]) {
      const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: threads, interOpNumThreads: 1 });
      const feeds = { x: new ort.Tensor('float32', X, [batch, 8]) };
      const theirs = (await session.run(feeds)).y!.data as Float32Array;
      let worst = 0;
      for (let i = 0; i < theirs.length; i++) worst = Math.max(worst, Math.abs(theirs[i]! - mine[i]!));
      if (!(worst < 1e-5)) throw new BackendError(`MLP forward: rheo and onnxruntime differ by ${worst} (expected < 1e-5)`);
      const ortMs = await medianMs(() => session.run(feeds), quick ? 1 : 5, quick ? 3 : 30);
      rows.push({ name: `MLP fwd b=1024 8-256-256-8 vs ort ${threads}t (max|diff| ${worst.toExponential(1)})`, rheo: rheoMs, peer: ortMs, peerName: `onnxruntime ${threads}t`, unit: 'ms', ratio: ortMs / rheoMs });
      await session.release();
    }
    rows.push({ name: 'MLP fwd b=1024 8-256-256-8', rheo: flops / (rheoMs * 1e6), peer: Number.NaN, peerName: 'none', unit: 'GFLOP/s', ratio: Number.NaN });
  }
  bar.finish();
  for (const r of rows) {
    const base = { dataset: 'synthetic', model: r.name, objective: '-' };
    ctx.add('kernels', { ...base, metric: r.unit === 'ms' ? 'time_ms' : 'gflops', value: r.rheo, unit: r.unit });
    if (Number.isFinite(r.peer)) {
      ctx.add('kernels', { ...base, metric: `peer_${r.unit === 'ms' ? 'time_ms' : 'gflops'}`, value: r.peer, unit: `${r.unit} (${r.peerName})` });
      ctx.add('kernels', { ...base, metric: 'speed_ratio_vs_peer', value: r.ratio, unit: 'x (rheo speed / peer speed)' });
    }
  }
  // --- the op rows against PyTorch (one thread), when it is installed ---------------
  await torchComparison(ctx, 'kernels', 'synthetic', opRows(), (warmup, repeats) => ({ part: 'ops', warmup, repeats }));
  ctx.note('kernels', 'Medians after warm-up on the CPU backend; ratios are rheo speed / peer speed (above 1: rheo is faster). Compare runs made on the same machine only.');
}
