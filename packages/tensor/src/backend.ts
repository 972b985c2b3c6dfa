import type { DType, TypedArray } from './dtype.js';
import type { AnyPrimitive, TensorInfo } from './primitive.js';
import type { Shape } from './shape.js';

/** Storage of one tensor on one backend (a typed array, a GPU buffer). */
export type Storage = unknown;

/** One input of a backend kernel: the storage of a tensor, its shape and dtype. */
export interface KernelInput {
  readonly storage: Storage;
  readonly shape: Shape;
  readonly dtype: DType;
}

/**
 * What `memory()` reports: live storages and their bytes on a backend, and backend-specific
 * counts.
 */
export interface BackendMemory {
  /** Live storages (buffers) this backend holds for tensors. */
  readonly buffers: number;
  /** Bytes in those storages. */
  readonly bytes: number;
  /** Backend-specific extras (pooled buffers, pipelines). */
  readonly [extra: string]: number;
}

/**
 * A backend runs the primitive ops on its own storage. It implements the
 * short list of primitives (each primitive file carries the kernel a backend
 * runs) plus upload, read-back and release of storage.
 */
export interface Backend {
  /** Short name used for selection: "cpu", "webgpu". */
  readonly name: string;
  /** One line saying what runs the kernels (CPU and thread count, GPU adapter). */
  readonly description: string;
  upload(values: TypedArray, info: TensorInfo): Storage;
  /** Read back; the result is a fresh copy the caller owns. */
  read(storage: Storage, info: TensorInfo): Promise<TypedArray>;
  /** Synchronous read-back, only where the backend can (the CPU). */
  readSync?(storage: Storage, info: TensorInfo): TypedArray;
  release(storage: Storage): void;
  execute(prim: AnyPrimitive, inputs: readonly KernelInput[], attrs: unknown, out: TensorInfo): Storage;
  memory(): BackendMemory;
  /** Waits for queued work; frees pooled resources where the backend pools them. */
  flush?(): Promise<void>;
  dispose?(): void;
}
