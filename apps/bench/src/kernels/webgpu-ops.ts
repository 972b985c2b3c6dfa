// Per-op and MLP-training-step timings in one run: rheo's WebGPU backend,
// rheo's CPU backend and TensorFlow.js's WebGPU backend on the same Dawn
// adapter. Every timed call ends with a read-back of its result, so queued GPU
// work is counted. On a software adapter (llvmpipe) these are overhead and
// correctness figures, not GPU speed.
import * as tf from '@tensorflow/tfjs';
import { add, exp, getBackend, matmul, setBackend, sum, tanh, tensor, tidy, transpose, type Tensor } from '@rheo/tensor';
import '@rheo/tensor/webgpu';
import { medianMs, values } from './timing.js';
import { MLP_STEP_NAME, rheoMlpStep } from './mlp-step.js';
import { tfjsWebgpuMlpStepMs, useTfjsWebgpu } from './webgpu-peer.js';

export interface WebGpuRow {
  readonly name: string;
  readonly webgpuMs: number;
  readonly cpuMs: number;
  readonly tfjsWebgpuMs: number;
  /** Largest |rheo WebGPU − rheo CPU| over the result. */
  readonly maxDiff: number;
  /** Floating-point operations of one call, where the op has a standard count (2·m·n·k for matmul). */
  readonly flop?: number;
}

interface OpCase {
  readonly name: string;
  readonly inputs: readonly (readonly number[])[];
  readonly rheo: (xs: Tensor[]) => Tensor;
  readonly tfjs: (xs: tf.Tensor[]) => tf.Tensor;
  readonly flop?: number;
}

function opCases(n: number, m: number): OpCase[] {
  return [
    { name: `add [${n}x${n}]`, inputs: [[n, n], [n, n]], rheo: ([a, b]) => add(a!, b!), tfjs: ([a, b]) => tf.add(a!, b!) },
    { name: `add broadcast [${n}x${n}]+[${n}]`, inputs: [[n, n], [n]], rheo: ([a, b]) => add(a!, b!), tfjs: ([a, b]) => tf.add(a!, b!) },
    { name: `exp [${n}x${n}]`, inputs: [[n, n]], rheo: ([a]) => exp(a!), tfjs: ([a]) => tf.exp(a!) },
    { name: `tanh [${n}x${n}]`, inputs: [[n, n]], rheo: ([a]) => tanh(a!), tfjs: ([a]) => tf.tanh(a!) },
    { name: `sum rows [${n}x${n}]`, inputs: [[n, n]], rheo: ([a]) => sum(a!, 1), tfjs: ([a]) => tf.sum(a!, 1) },
    { name: `sum all [${n}x${n}]`, inputs: [[n, n]], rheo: ([a]) => sum(a!), tfjs: ([a]) => tf.sum(a!) },
    { name: `transpose [${n}x${n}]`, inputs: [[n, n]], rheo: ([a]) => transpose(a!), tfjs: ([a]) => tf.transpose(a!) },
    ...[m, 2 * m].map((s) => ({
      name: `matmul ${s}^3`, inputs: [[s, s], [s, s]], flop: 2 * s ** 3,
      rheo: ([a, b]: Tensor[]) => matmul(a!, b!), tfjs: ([a, b]: tf.Tensor[]) => tf.matMul(a!, b!),
    })),
  ];
}

async function timeRheo(backend: string, c: OpCase, reps: number): Promise<{ ms: number; out: Float32Array }> {
  await setBackend(backend, { quiet: true });
  const xs = c.inputs.map((s, i) => tensor(values(s.reduce((a, b) => a * b, 1), 31 + i), s));
  let out: Float32Array = new Float32Array(0);
  const ms = await medianMs(async () => {
    const y = tidy(() => c.rheo(xs));
    out = (await y.data()) as Float32Array;
    y.dispose();
  }, 2, reps);
  xs.forEach((x) => x.dispose());
  return { ms, out };
}

async function timeTfjs(c: OpCase, reps: number): Promise<number> {
  await useTfjsWebgpu();
  const xs = c.inputs.map((s, i) => tf.tensor(values(s.reduce((a, b) => a * b, 1), 31 + i), [...s]));
  const ms = await medianMs(async () => {
    const y = tf.tidy(() => c.tfjs(xs));
    await y.data();
    y.dispose();
  }, 2, reps);
  xs.forEach((x) => x.dispose());
  return ms;
}

/** Median ms and last loss of the shared MLP step on a rheo backend. */
async function rheoStepOn(backend: string, reps: number): Promise<{ ms: number; loss: number }> {
  await setBackend(backend, { quiet: true });
  const s = rheoMlpStep();
  let loss = 0;
  const ms = await medianMs(async () => { loss = await s.step(); }, 5, reps);
  s.dispose();
  return { ms, loss };
}

export async function webgpuRows(options: { n?: number; m?: number; reps?: number } = {}): Promise<{ adapter: string; rows: WebGpuRow[] }> {
  const { n = 512, m = 256, reps = 7 } = options;
  const rows: WebGpuRow[] = [];
  await setBackend('webgpu', { quiet: true });
  const adapter = getBackend().description;
  for (const c of opCases(n, m)) {
    const gpu = await timeRheo('webgpu', c, reps);
    const cpu = await timeRheo('cpu', c, reps);
    const tfMs = await timeTfjs(c, reps);
    let maxDiff = 0;
    for (let i = 0; i < cpu.out.length; i++) maxDiff = Math.max(maxDiff, Math.abs(cpu.out[i]! - gpu.out[i]!));
    rows.push({ name: c.name, webgpuMs: gpu.ms, cpuMs: cpu.ms, tfjsWebgpuMs: tfMs, maxDiff, ...(c.flop ? { flop: c.flop } : {}) });
  }
  const gpuStep = await rheoStepOn('webgpu', 20);
  const cpuStep = await rheoStepOn('cpu', 20);
  rows.push({
    name: MLP_STEP_NAME, webgpuMs: gpuStep.ms, cpuMs: cpuStep.ms,
    tfjsWebgpuMs: await tfjsWebgpuMlpStepMs(5, 20), maxDiff: Math.abs(gpuStep.loss - cpuStep.loss),
  });
  await setBackend('cpu', { quiet: true });
  return { adapter, rows };
}
