// WebGPU kernel timings against a peer: TensorFlow.js's WebGPU backend on the
// same Dawn adapter, and rheo's WGSL matmul run directly (buffers resident,
// one dispatch plus the read-back per call, as `await t.data()` does for tfjs).
import * as tf from '@tensorflow/tfjs';
import { PRIMITIVES, type WgslProgram } from '@rheo/tensor';
import { tfjsMlpStep } from './mlp-step.js';
import { medianMs, values } from './timing.js';

process.env['EGL_PLATFORM'] ??= 'surfaceless';

// Flag values from the WebGPU specification.
const MAP_READ = 0x1, COPY_SRC = 0x4, COPY_DST = 0x8, UNIFORM = 0x40, STORAGE = 0x80, COMPUTE = 0x4;

export interface Dawn {
  /** Kept referenced for as long as devices made from it live (Dawn crashes otherwise). */
  readonly gpu: GPU;
  readonly adapter: GPUAdapter;
  readonly description: string;
}

let dawn: Promise<Dawn> | null = null;

/**
 * Opens Dawn (OpenGL ES backend by default, `backend` to override; a machine
 * with a real GPU and Vulkan driver may pass `[]`) at the compatibility feature
 * level, and exposes it as `navigator.gpu` so TensorFlow.js's backend sees it.
 */
export function openDawn(flags: readonly string[] = ['backend=opengles']): Promise<Dawn> {
  dawn ??= (async () => {
    const { create, globals } = await import('webgpu');
    Object.assign(globalThis, globals); // GPUBufferUsage & co., which tfjs reads as globals
    const gpu = create([...flags]);
    const compat = { featureLevel: 'compatibility' } as GPURequestAdapterOptions;
    const adapter = await gpu.requestAdapter(compat);
    if (!adapter) throw new Error(`webgpu-peer: Dawn found no adapter with flags ${JSON.stringify(flags)}`);
    const shim = {
      requestAdapter: (o?: GPURequestAdapterOptions) => gpu.requestAdapter({ ...o, ...compat }),
      getPreferredCanvasFormat: () => 'rgba8unorm',
      wgslLanguageFeatures: gpu.wgslLanguageFeatures,
    };
    Object.defineProperty(globalThis, 'navigator', { value: { gpu: shim }, configurable: true, writable: true });
    const i = adapter.info;
    return { gpu, adapter, description: [i?.vendor, i?.architecture, i?.device, i?.description].filter(Boolean).join(' ') };
  })();
  return dawn;
}

let tfReady: Promise<void> | null = null;

/** Switches TensorFlow.js to its WebGPU backend on the Dawn adapter. */
export function useTfjsWebgpu(): Promise<void> {
  tfReady ??= (async () => {
    await openDawn();
    await import('@tensorflow/tfjs-backend-webgpu'); // registers 'webgpu' when navigator.gpu exists
    if (!(await tf.setBackend('webgpu'))) throw new Error('webgpu-peer: TensorFlow.js could not initialise its webgpu backend');
    await tf.ready();
  })();
  return tfReady;
}

/** Median ms of an n×n×n tfjs WebGPU matmul with `await data()`. */
export async function tfjsWebgpuMatmulMs(n: number, warmup = 2, repeats = 5): Promise<number> {
  await useTfjsWebgpu();
  const a = tf.tensor2d(values(n * n, 1), [n, n]), b = tf.tensor2d(values(n * n, 2), [n, n]);
  const ms = await medianMs(async () => { const c = tf.matMul(a, b); await c.data(); c.dispose(); }, warmup, repeats);
  a.dispose(); b.dispose();
  return ms;
}

/** Median ms of the shared MLP step (mlp-step.ts) on TensorFlow.js's WebGPU backend. */
export async function tfjsWebgpuMlpStepMs(warmup = 5, repeats = 20): Promise<number> {
  await useTfjsWebgpu();
  const s = tfjsMlpStep();
  const ms = await medianMs(s.step, warmup, repeats);
  s.dispose();
  return ms;
}

/** The matmul result of TensorFlow.js's WebGPU backend, for cross-checking. */
export async function tfjsWebgpuMatmul(n: number): Promise<Float32Array> {
  await useTfjsWebgpu();
  const c = tf.matMul(tf.tensor2d(values(n * n, 1), [n, n]), tf.tensor2d(values(n * n, 2), [n, n]));
  const out = (await c.data()) as Float32Array;
  c.dispose();
  return out;
}

/**
 * rheo's WGSL matmul program run directly on its own device: inputs uploaded
 * once, each timed call is one dispatch plus copying C back to the host.
 */
export async function rheoWgslMatmul(n: number, warmup = 2, repeats = 5): Promise<{ ms: number; result: Float32Array }> {
  const { gpu } = await openDawn();
  // An adapter hands out one device: take a fresh one per run.
  const adapter = await gpu.requestAdapter({ featureLevel: 'compatibility' } as GPURequestAdapterOptions);
  if (!adapter) throw new Error('webgpu-peer: Dawn found no adapter for the rheo device');
  const device = await adapter.requestDevice();
  const matmul = PRIMITIVES.find((p) => p.name === 'matmul')!;
  const info = { shape: [n, n], dtype: 'float32' as const };
  const program: WgslProgram = matmul.wgsl!([info, info], { transposeA: false, transposeB: false }, info);
  const bytes = n * n * 4;
  const upload = (data: Float32Array) => {
    const b = device.createBuffer({ size: bytes, usage: STORAGE | COPY_DST });
    device.queue.writeBuffer(b, 0, data as Float32Array<ArrayBuffer>);
    return b;
  };
  const a = upload(values(n * n, 1)), b = upload(values(n * n, 2));
  const c = device.createBuffer({ size: bytes, usage: STORAGE | COPY_SRC });
  const words = new Uint32Array(Math.ceil(program.uniforms!.length / 4) * 4);
  program.uniforms!.forEach((w, i) => { words[i] = w >>> 0; });
  const u = device.createBuffer({ size: words.byteLength, usage: UNIFORM | COPY_DST });
  device.queue.writeBuffer(u, 0, words);
  const read = device.createBuffer({ size: bytes, usage: MAP_READ | COPY_DST });
  const entries: GPUBindGroupLayoutEntry[] = (['read-only-storage', 'read-only-storage', 'storage', 'uniform'] as const)
    .map((type, binding) => ({ binding, visibility: COMPUTE, buffer: { type } }));
  device.pushErrorScope('validation');
  const layout = device.createBindGroupLayout({ entries });
  const pipeline = device.createComputePipeline({
    layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
    compute: { module: device.createShaderModule({ code: program.source }), entryPoint: 'main' },
  });
  const group = device.createBindGroup({ layout, entries: [a, b, c, u].map((buffer, binding) => ({ binding, resource: { buffer } })) });
  const error = await device.popErrorScope();
  if (error) throw new Error(`webgpu-peer: rheo matmul pipeline invalid: ${error.message}`);
  const result = new Float32Array(n * n);
  const once = async () => {
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(...program.dispatch);
    pass.end();
    enc.copyBufferToBuffer(c, 0, read, 0, bytes);
    device.queue.submit([enc.finish()]);
    await read.mapAsync(MAP_READ);
    result.set(new Float32Array(read.getMappedRange()));
    read.unmap();
  };
  const ms = await medianMs(once, warmup, repeats);
  for (const x of [a, b, c, u, read]) x.destroy();
  device.destroy();
  return { ms, result };
}
