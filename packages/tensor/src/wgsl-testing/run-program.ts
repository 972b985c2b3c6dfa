// Test-only: runs one WgslProgram on a Dawn device (the `webgpu` package), with
// the binding layout the WebGPU backend uses, so kernels can be checked
// without the backend. Not exported from the package.
import { BackendError } from '../errors.js';
import type { TensorInfo, WgslProgram } from '../primitive.js';
import { sizeOf } from '../shape.js';

export type HostArray = Float32Array | Int32Array;

export interface TestGpu {
  readonly device: GPUDevice;
  readonly description: string;
}

export type OpenResult = { readonly gpu: TestGpu } | { readonly gpu: null; readonly reason: string };

// Dawn's GPU object must outlive every device made from it, else the process
// crashes inside Dawn when it is collected: hold it for the process lifetime.
let dawn: GPU | null = null;
let opening: Promise<OpenResult> | null = null;

async function open(): Promise<OpenResult> {
  let mod: typeof import('webgpu');
  try {
    mod = await import('webgpu');
  } catch (e) {
    return { gpu: null, reason: `the webgpu package did not load (${(e as Error).message})` };
  }
  try {
    dawn = mod.create(['backend=opengles']);
    const adapter = await dawn.requestAdapter({ featureLevel: 'compatibility' } as GPURequestAdapterOptions);
    if (!adapter) return { gpu: null, reason: 'Dawn found no WebGPU adapter (OpenGL ES backend, compatibility level)' };
    const device = await adapter.requestDevice();
    const info = adapter.info;
    const description = [info?.vendor, info?.architecture, info?.device, info?.description].filter(Boolean).join(' ') || 'unnamed adapter';
    return { gpu: { device, description } };
  } catch (e) {
    return { gpu: null, reason: `Dawn failed to open a device (${(e as Error).message})` };
  }
}

/** The shared test device, or why there is none. */
export function openTestGpu(): Promise<OpenResult> {
  opening ??= open();
  return opening;
}

/** True when the environment demands WebGPU tests run instead of skipping. */
export function webgpuRequired(): boolean {
  return process.env['RHEO_REQUIRE_WEBGPU'] === '1';
}

// Flag values from the WebGPU specification (Node has no GPUBufferUsage global).
const MAP_READ = 0x1, COPY_SRC = 0x4, COPY_DST = 0x8, UNIFORM = 0x40, STORAGE = 0x80;
const COMPUTE_STAGE = 0x4, MAP_MODE_READ = 0x1;

function storage(device: GPUDevice, bytes: number, usage: number): GPUBuffer {
  return device.createBuffer({ size: Math.max(4, Math.ceil(bytes / 4) * 4), usage });
}

/**
 * Runs `program` under the binding contract: in{i} at binding i (read-only
 * storage), out at binding n, uniforms (u32 words, zero-padded to 16 bytes)
 * at binding n + 1 when present. Returns the output values.
 */
export async function runProgram(gpu: TestGpu, program: WgslProgram, inputs: readonly HostArray[], out: TensorInfo): Promise<HostArray> {
  const size = sizeOf(out.shape);
  const result = out.dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
  if (size === 0) return result;
  const { device } = gpu;
  const S = STORAGE, CD = COPY_DST, CS = COPY_SRC;
  const buffers: GPUBuffer[] = [];
  const entries: GPUBindGroupLayoutEntry[] = [];
  const binds: GPUBindGroupEntry[] = [];
  const bind = (buffer: GPUBuffer, type: GPUBufferBindingType) => {
    const binding = entries.length;
    entries.push({ binding, visibility: COMPUTE_STAGE, buffer: { type } });
    binds.push({ binding, resource: { buffer } });
    buffers.push(buffer);
  };
  for (const x of inputs) {
    const b = storage(device, x.byteLength, S | CD);
    if (x.byteLength > 0) device.queue.writeBuffer(b, 0, x.buffer, x.byteOffset, x.byteLength);
    bind(b, 'read-only-storage');
  }
  const outBuf = storage(device, result.byteLength, S | CS);
  bind(outBuf, 'storage');
  if (program.uniforms) {
    const words = new Uint32Array(Math.max(4, Math.ceil(program.uniforms.length / 4) * 4));
    program.uniforms.forEach((w, i) => { words[i] = w >>> 0; });
    const ub = device.createBuffer({ size: words.byteLength, usage: UNIFORM | CD });
    device.queue.writeBuffer(ub, 0, words);
    bind(ub, 'uniform');
  }
  const read = device.createBuffer({ size: outBuf.size, usage: MAP_READ | CD });
  buffers.push(read);
  try {
    device.pushErrorScope('validation');
    device.pushErrorScope('internal');
    device.pushErrorScope('out-of-memory');
    const module = device.createShaderModule({ code: program.source });
    const layout = device.createBindGroupLayout({ entries });
    const pipeline = device.createComputePipeline({
      layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
      compute: { module, entryPoint: 'main' },
    });
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, device.createBindGroup({ layout, entries: binds }));
    pass.dispatchWorkgroups(...program.dispatch);
    pass.end();
    enc.copyBufferToBuffer(outBuf, 0, read, 0, outBuf.size);
    device.queue.submit([enc.finish()]);
    const errors = [await device.popErrorScope(), await device.popErrorScope(), await device.popErrorScope()].filter((e) => e !== null);
    if (errors.length > 0) {
      const info = await module.getCompilationInfo();
      const log = info.messages.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join('\n');
      throw new BackendError(`runProgram(${program.key}): WebGPU reported ${errors.map((e) => e!.message).join('; ')}${log ? `\n${log}` : ''}`);
    }
    await read.mapAsync(MAP_MODE_READ);
    const bytes = read.getMappedRange(0, result.byteLength);
    new Uint8Array(result.buffer).set(new Uint8Array(bytes));
    read.unmap();
    return result;
  } finally {
    for (const b of buffers) b.destroy();
  }
}
