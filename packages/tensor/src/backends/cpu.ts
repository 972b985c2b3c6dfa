import type { Backend, BackendMemory, KernelInput, Storage } from '../backend.js';
import type { DType, TypedArray } from '../dtype.js';
import { registerBackend } from '../engine.js';
import type { AnyPrimitive, CpuInput, TensorInfo } from '../primitive.js';
import { outputArray, poolStats, recycle, trimPool } from './cpu/buffer-pool.js';
import { gemmThreadCount } from './cpu/gemm-threads.js';
import { singleThreadGemm } from './cpu/gemm-copied-product.js';

/**
 * The CPU backend: storage is a typed array, from the buffer pool (blocks of
 * WebAssembly memory reused by size class, see cpu/buffer-pool.ts) or the JS
 * heap; each primitive carries its CPU kernel. Kernels allocate only their
 * output. Released storage goes back to the pool.
 */
export class CpuBackend implements Backend {
  readonly name = 'cpu';
  private buffers = 0;
  private bytes = 0;

  /** What runs the kernels: WebAssembly SIMD where available, and the matmul thread count. */
  get description(): string {
    if (singleThreadGemm() === null) return 'CPU (JavaScript kernels, one thread)';
    const t = gemmThreadCount();
    return `CPU (WebAssembly SIMD kernels, matmul on ${t} thread${t === 1 ? '' : 's'})`;
  }

  upload(values: TypedArray, info: TensorInfo): Storage {
    const copy = outputArray(info.dtype, values.length);
    copy.set(values);
    return this.track(copy);
  }

  async read(storage: Storage, info: TensorInfo): Promise<TypedArray> {
    return this.readSync(storage, info);
  }

  readSync(storage: Storage, _info: TensorInfo): TypedArray {
    return (storage as TypedArray).slice();
  }

  release(storage: Storage): void {
    this.buffers--;
    this.bytes -= (storage as TypedArray).byteLength;
    recycle(storage as TypedArray);
  }

  execute(prim: AnyPrimitive, inputs: readonly KernelInput[], attrs: unknown, out: TensorInfo): Storage {
    const views: CpuInput[] = inputs.map((i) => ({ values: i.storage as TypedArray, shape: i.shape, dtype: i.dtype }));
    return this.track(prim.cpu(views, attrs, out));
  }

  /**
   * Live storages and their bytes; `poolArenas`, `poolFreeBytes`,
   * `poolCommittedBytes`: the pool's arenas, bytes on its free lists, and
   * bytes committed (in use or free; at most the pool's limit, 256 MiB).
   */
  memory(): BackendMemory {
    const pool = poolStats();
    return { buffers: this.buffers, bytes: this.bytes, poolArenas: pool.arenas, poolFreeBytes: pool.freeBytes, poolCommittedBytes: pool.committedBytes };
  }

  /** Nothing is queued on the CPU; drops pool arenas that no tensor uses. */
  async flush(): Promise<void> {
    trimPool();
  }

  private track(values: TypedArray): TypedArray {
    this.buffers++;
    this.bytes += values.byteLength;
    return values;
  }
}

/**
 * Storage for the output of a CPU kernel defined outside this package (a
 * custom primitive's `cpu`): n elements from the CPU buffer pool (contents
 * unspecified: write every element), in the arena of `near` where given, so
 * that later ops on it take the in-place SIMD paths as on any op's output.
 */
export function cpuOutputArray(dtype: DType, n: number, near?: TypedArray): TypedArray {
  return outputArray(dtype, n, near);
}

registerBackend('cpu', () => new CpuBackend(), 0);
