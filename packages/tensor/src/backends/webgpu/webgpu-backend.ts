import type { Backend, BackendMemory, KernelInput, Storage } from '../../backend.js';
import { allocArray, type TypedArray } from '../../dtype.js';
import { BackendError, RheoError } from '../../errors.js';
import type { AnyPrimitive, TensorInfo, WgslProgram } from '../../primitive.js';
import { sizeOf } from '../../shape.js';
import { elementwiseProgram } from '../../wgsl/elementwise.js';
import { BufferPool } from './buffer-pool.js';
import { MAP_READ, USAGE_COPY_DST, USAGE_COPY_SRC, USAGE_MAP_READ, USAGE_STORAGE, USAGE_UNIFORM } from './gpu-constants.js';
import { checkCopiedIndices, checkIndices, copyDeviceIndices, HOST_COPY_MAX, type CopiedIndices } from './index-checks.js';
import { PipelineCache } from './pipeline-cache.js';

/** One tensor's storage: a pooled GPU buffer, and for small uploaded int32 data a host copy. */
export interface GpuStorage {
  readonly buffer: GPUBuffer;
  readonly bytes: number;
  readonly host: Int32Array | null;
  released: boolean;
}

/** Dispatches recorded into one command buffer before it is submitted. */
const MAX_BATCH = 64;
/** Uniforms of one batch live in one buffer, a 256-byte-aligned slot per dispatch. */
const UNIFORM_SLOT = 256;
const ARENA_BYTES = MAX_BATCH * UNIFORM_SLOT * 2;

const SCOPES: readonly GPUErrorFilter[] = ['validation', 'out-of-memory', 'internal'];

/**
 * The WebGPU backend. Kernels are recorded into one open command encoder and
 * submitted together, when a read needs the results, at flush(), or every
 * MAX_BATCH dispatches; nothing is read back unless asked. Each batch runs
 * inside error scopes, so a WebGPU error becomes a BackendError naming the
 * ops of the batch, thrown by the next read, flush or op.
 */
/**
 * Read-back buffers are reused instead of created per `data()` call (a
 * mappable buffer costs an allocation and, in Dawn, a zero fill). Sizes round
 * up to the storage pool's size classes (powers of two, at least 256 bytes); at most STAGING_PER_SIZE buffers
 * per size up to 16 MiB are kept, and flush() and dispose() free them.
 */
const STAGING_MAX_BYTES = 16 << 20;
const STAGING_PER_SIZE = 2;

/**
 * The WebGPU backend: every primitive as a WGSL compute shader on a `GPUDevice`, buffers pooled by
 * size class, asynchronous reads through staging buffers. Made by `createWebGpuBackend`;
 * registered as `webgpu` by importing `@rheo/tensor/webgpu`.
 */
export class WebGpuBackend implements Backend {
  readonly name = 'webgpu';
  private readonly pool: BufferPool;
  private readonly pipelines: PipelineCache;
  private readonly arena: GPUBuffer;
  private readonly arenaWords = new Uint32Array(ARENA_BYTES / 4);
  private arenaUsed = 0;
  private encoder: GPUCommandEncoder | null = null;
  private batchOps: string[] = [];
  private checks: Promise<void>[] = [];
  /** Index tensors computed on the device, copied back in this batch, to check once it is submitted. */
  private deviceIndexChecks: CopiedIndices[] = [];
  private failure: RheoError | null = null;
  private lost: string | null = null;
  private liveBuffers = 0;
  private liveBytes = 0;
  /** Mappable read-back buffers kept between reads, by size class. */
  private readonly staging = new Map<number, GPUBuffer[]>();

  constructor(
    readonly device: GPUDevice,
    readonly description: string,
    private readonly ownsDevice = false,
  ) {
    this.pool = new BufferPool(device, USAGE_STORAGE | USAGE_COPY_SRC | USAGE_COPY_DST);
    this.pipelines = new PipelineCache(device);
    this.arena = device.createBuffer({ size: ARENA_BYTES, usage: USAGE_UNIFORM | USAGE_COPY_DST });
    void device.lost.then((info) => {
      this.lost ??= `the WebGPU device was lost (${info.reason}: ${info.message || 'no message'}); create a new backend with setBackend`;
    });
  }

  upload(values: TypedArray, info: TensorInfo): Storage {
    this.usable('upload');
    const bytes = values.length * 4;
    const buffer = this.pool.acquire(Math.max(bytes, 4));
    if (bytes > 0) this.device.queue.writeBuffer(buffer, 0, values.buffer, values.byteOffset, bytes);
    const host = info.dtype === 'int32' && values.length <= HOST_COPY_MAX ? Int32Array.from(values) : null;
    return this.track({ buffer, bytes, host, released: false });
  }

  async read(storage: Storage, info: TensorInfo): Promise<TypedArray> {
    this.usable('read');
    const s = storage as GpuStorage;
    const out = allocArray(info.dtype, sizeOf(info.shape));
    if (out.length === 0) return out;
    const size = BufferPool.sizeClass(out.byteLength);
    const staging = this.staging.get(size)?.pop() ?? this.device.createBuffer({ size, usage: USAGE_MAP_READ | USAGE_COPY_DST });
    this.open().copyBufferToBuffer(s.buffer, 0, staging, 0, out.byteLength);
    this.submit('read');
    let keep = false;
    try {
      await staging.mapAsync(MAP_READ, 0, out.byteLength);
      await this.settle();
      out.set(new (out.constructor as Float32ArrayConstructor)(staging.getMappedRange(0, out.byteLength)));
      staging.unmap();
      keep = this.lost === null && this.keepStaging(size, staging);
    } catch (err) {
      throw err instanceof RheoError ? err : new BackendError(`read: mapping the result buffer failed (${(err as Error).message})${this.lost ? `; ${this.lost}` : ''}`);
    } finally {
      if (!keep) staging.destroy();
    }
    return out;
  }

  release(storage: Storage): void {
    const s = storage as GpuStorage;
    if (s.released) return;
    s.released = true;
    this.liveBuffers--;
    this.liveBytes -= s.bytes;
    // Called from finalizers too: after loss or dispose there is nothing to give back.
    if (this.lost === null) this.pool.release(s.buffer, this.encoder !== null);
  }

  execute(prim: AnyPrimitive, inputs: readonly KernelInput[], attrs: unknown, out: TensorInfo): Storage {
    this.usable(prim.name);
    if (inputs.length >= this.device.limits.maxStorageBuffersPerShaderStage) return this.executeInGroups(prim, inputs, attrs, out);
    const storages = inputs.map((x) => x.storage as GpuStorage);
    checkIndices(prim, inputs, attrs, (k) => storages[k]?.host ?? null);
    const program = this.program(prim, inputs, attrs, out);
    const bytes = sizeOf(out.shape) * 4;
    const result = this.track({ buffer: this.pool.acquire(Math.max(bytes, 4)), bytes, host: null, released: false });
    if (program.dispatch.some((d) => d === 0)) return result;
    const hasUniforms = program.uniforms !== undefined;
    const pipeline = this.pipelines.get(program.key) ?? this.compile(prim.name, program, inputs.length, hasUniforms);
    const words = program.uniforms?.length ?? 0;
    const slotBytes = Math.ceil(Math.max(words, 4) / 4) * 16;
    const slots = Math.ceil(slotBytes / UNIFORM_SLOT);
    if (this.batchOps.length >= MAX_BATCH || (hasUniforms && this.arenaUsed + slots * UNIFORM_SLOT > ARENA_BYTES)) this.submit('batch full');
    const encoder = this.open();
    const entries: GPUBindGroupEntry[] = storages.map((s, i) => ({ binding: i, resource: { buffer: s.buffer } }));
    entries.push({ binding: inputs.length, resource: { buffer: result.buffer } });
    if (hasUniforms) {
      const base = this.arenaUsed / 4;
      program.uniforms!.forEach((v, i) => (this.arenaWords[base + i] = v >>> 0));
      this.arenaWords.fill(0, base + words, base + slotBytes / 4);
      entries.push({ binding: inputs.length + 1, resource: { buffer: this.arena, offset: this.arenaUsed, size: slotBytes } });
      this.arenaUsed += slots * UNIFORM_SLOT;
    }
    const bindGroup = this.device.createBindGroup({ layout: this.pipelines.layout(inputs.length, hasUniforms), entries });
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(program.dispatch[0], program.dispatch[1], program.dispatch[2]);
    pass.end();
    this.batchOps.push(prim.name);
    const copied = copyDeviceIndices(this.device, encoder, prim, inputs, attrs, storages[1] ?? null);
    if (copied) this.deviceIndexChecks.push(copied);
    return result;
  }

  memory(): BackendMemory {
    return { buffers: this.liveBuffers, bytes: this.liveBytes, ...this.pool.stats(), pipelines: this.pipelines.size };
  }

  /** Submits queued work, waits for it, reports its errors and frees the pooled buffers. */
  async flush(): Promise<void> {
    this.usable('flush');
    this.submit('flush');
    await this.device.queue.onSubmittedWorkDone();
    await this.settle();
    this.pool.trim();
    this.dropStaging();
  }

  /** Keeps an unmapped read-back buffer for the next read of its size class; false when it is not kept. */
  private keepStaging(size: number, buffer: GPUBuffer): boolean {
    if (size > STAGING_MAX_BYTES) return false;
    const list = this.staging.get(size) ?? [];
    if (list.length >= STAGING_PER_SIZE) return false;
    list.push(buffer);
    this.staging.set(size, list);
    return true;
  }

  private dropStaging(): void {
    for (const list of this.staging.values()) for (const b of list) b.destroy();
    this.staging.clear();
  }

  dispose(): void {
    if (this.lost !== null) return;
    if (this.encoder) this.submit('dispose');
    this.pool.trim();
    this.dropStaging();
    this.arena.destroy();
    this.lost = 'this WebGPU backend was disposed; select another backend with setBackend';
    if (this.ownsDevice) this.device.destroy();
  }

  /**
   * A shader binds at most maxStorageBuffersPerShaderStage buffers, inputs
   * and output together. Only concat takes an unbounded number of inputs,
   * and concatenation is associative: join groups, then join the groups.
   */
  private executeInGroups(prim: AnyPrimitive, inputs: readonly KernelInput[], attrs: unknown, out: TensorInfo): Storage {
    const per = this.device.limits.maxStorageBuffersPerShaderStage - 1;
    if (prim.name !== 'concat' || per < 2) {
      throw new BackendError(`${prim.name}: ${inputs.length} inputs exceed this device's ${per + 1} storage buffers per shader`);
    }
    const axis = (attrs as { axis: number }).axis;
    const parts: KernelInput[] = [];
    for (let k = 0; k < inputs.length; k += per) {
      const group = inputs.slice(k, k + per);
      const shape = [...group[0]!.shape];
      shape[axis] = group.reduce((s, x) => s + x.shape[axis]!, 0);
      const info = { shape, dtype: out.dtype };
      parts.push({ ...info, storage: group.length === 1 ? group[0]!.storage : this.execute(prim, group, attrs, info) });
    }
    const result = this.execute(prim, parts, attrs, out);
    parts.forEach((p, k) => {
      if (p.storage !== inputs[k * per]!.storage) this.release(p.storage);
    });
    return result;
  }

  private program(prim: AnyPrimitive, inputs: readonly KernelInput[], attrs: unknown, out: TensorInfo): WgslProgram {
    const infos = inputs.map((x) => ({ shape: x.shape, dtype: x.dtype }));
    if (prim.wgsl) return prim.wgsl(infos, attrs, out);
    if (prim.wgslExpr !== undefined) return elementwiseProgram(prim.name, prim.wgslExpr, infos, out);
    throw new BackendError(`${prim.name}: the WebGPU backend has no kernel for this primitive (it defines neither wgsl nor wgslExpr)`);
  }

  /** Compiles a pipeline inside its own error scope, so a shader error names its op. */
  private compile(op: string, program: WgslProgram, inputs: number, uniforms: boolean): GPUComputePipeline {
    this.device.pushErrorScope('validation');
    const pipeline = this.pipelines.create(program.key, program.source, inputs, uniforms);
    this.checks.push(
      this.device.popErrorScope().then((e) => {
        if (!e) return;
        this.pipelines.forget(program.key);
        this.fail(new BackendError(`${op}: its WGSL kernel (key ${JSON.stringify(program.key)}) failed to compile: ${e.message}`));
      }, (err: Error) => this.fail(new BackendError(`${op}: compiling its WGSL kernel failed: ${err.message}`))),
    );
    return pipeline;
  }

  private open(): GPUCommandEncoder {
    if (!this.encoder) {
      for (const f of SCOPES) this.device.pushErrorScope(f);
      this.encoder = this.device.createCommandEncoder();
    }
    return this.encoder;
  }

  private submit(why: string): void {
    const encoder = this.encoder;
    if (!encoder) return;
    const ops = this.batchOps;
    if (this.arenaUsed > 0) this.device.queue.writeBuffer(this.arena, 0, this.arenaWords.buffer, 0, this.arenaUsed);
    this.device.queue.submit([encoder.finish()]);
    this.encoder = null;
    this.batchOps = [];
    this.arenaUsed = 0;
    this.pool.submitted();
    const popped = SCOPES.map(() => this.device.popErrorScope());
    for (const c of this.deviceIndexChecks) this.checks.push(checkCopiedIndices(c).then((bad) => { if (bad) this.fail(bad); }));
    this.deviceIndexChecks = [];
    this.checks.push(
      Promise.all(popped).then((errors) => {
        const e = errors.find((x) => x !== null);
        if (e) this.fail(new BackendError(`webgpu: ${e.constructor.name} in a batch of ${ops.length} ops (${summarize(ops)}), submitted for ${why}: ${e.message}`));
      }, (err: Error) => this.fail(new BackendError(`webgpu: a batch of ${ops.length} ops (${summarize(ops)}) failed: ${err.message}`))),
    );
  }

  /** Waits for the outstanding error checks and throws the first failure. */
  private async settle(): Promise<void> {
    const pending = this.checks;
    this.checks = [];
    await Promise.all(pending);
    const failure = this.failure;
    this.failure = null;
    if (failure) throw failure;
  }

  private fail(err: RheoError): void {
    this.failure ??= err;
  }

  private usable(op: string): void {
    if (this.lost !== null) throw new BackendError(`${op}: ${this.lost}`);
  }

  private track(s: GpuStorage): GpuStorage {
    this.liveBuffers++;
    this.liveBytes += s.bytes;
    return s;
  }
}

function summarize(ops: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const o of ops) counts.set(o, (counts.get(o) ?? 0) + 1);
  return [...counts].map(([o, n]) => (n > 1 ? `${o} ×${n}` : o)).join(', ');
}
