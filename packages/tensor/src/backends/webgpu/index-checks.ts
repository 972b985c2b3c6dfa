import type { KernelInput } from '../../backend.js';
import { ArgumentError, show } from '../../errors.js';
import type { AnyPrimitive } from '../../primitive.js';
import { sizeOf } from '../../shape.js';
import { MAP_READ, USAGE_COPY_DST, USAGE_MAP_READ } from './gpu-constants.js';

/** Index tensors at most this long keep a host copy when uploaded, for the checks below. */
export const HOST_COPY_MAX = 1 << 16;

/**
 * A shader cannot throw, so the index bounds the CPU kernels check are
 * checked here, before the dispatch, on the host copy an uploaded int32
 * tensor keeps. Indices computed on the device have no host copy: the
 * kernel still runs (an out-of-range gather or takeAlongAxis reads 0, an
 * out-of-range scatterAdd or scatterAddAlongAxis update is dropped), and the
 * backend copies index tensors of at most HOST_COPY_MAX entries back after
 * the batch is submitted and checks them there: a bad index is then the
 * ArgumentError of the next read or flush(). Longer device index tensors are
 * not checked (the copy would cost as much as the op).
 */
/** The largest valid index + 1 of each indexing primitive, and its CPU kernel's message for a bad one. */
const INDEXED: Record<string, (x: KernelInput, attrs: { axis?: number; size?: number }) => { bound: number; message: (k: number, j: number) => string }> = {
  gather: (x, a) => ({ bound: x.shape[a.axis!]!, message: (k, j) => `gather(x, indices): indices holds ${k} at flat position ${j}; expected 0 <= index < ${x.shape[a.axis!]} (x has shape ${show(x.shape)}, axis ${a.axis})` }),
  scatterAdd: (_x, a) => ({ bound: a.size!, message: (k, j) => `scatterAdd(updates, indices): indices holds ${k} at flat position ${j}; expected 0 <= index < ${a.size}` }),
  takeAlongAxis: (x) => {
    const bound = x.shape[x.shape.length - 1]!;
    return { bound, message: (k, j) => `takeAlongAxis(x, indices): indices holds ${k} at flat position ${j}; expected 0 <= index < ${bound} (x has shape ${show(x.shape)})` };
  },
  scatterAddAlongAxis: (_x, a) => ({ bound: a.size!, message: (k, j) => `scatterAddAlongAxis(updates, indices): indices holds ${k} at flat position ${j}; expected 0 <= index < ${a.size}` }),
};

/** The bound and message of an indexing primitive's indices (input 1), or null for other primitives. */
export function indexRule(prim: AnyPrimitive, inputs: readonly KernelInput[], attrs: unknown): { bound: number; message: (k: number, j: number) => string } | null {
  const rule = INDEXED[prim.name];
  return rule ? rule(inputs[0]!, attrs as { axis?: number; size?: number }) : null;
}

/** The ArgumentError for the first index outside [0, bound), or null. */
export function firstBadIndex(ids: Int32Array, rule: { bound: number; message: (k: number, j: number) => string }): ArgumentError | null {
  for (let j = 0; j < ids.length; j++) {
    const k = ids[j]!;
    if (!(k >= 0 && k < rule.bound)) return new ArgumentError(rule.message(k, j));
  }
  return null;
}

export function checkIndices(prim: AnyPrimitive, inputs: readonly KernelInput[], attrs: unknown, host: (k: number) => Int32Array | null): void {
  const rule = indexRule(prim, inputs, attrs);
  const ids = rule ? host(1) : null;
  if (!rule || !ids) return;
  const bad = firstBadIndex(ids, rule);
  if (bad) throw bad;
}

/** An index tensor computed on the device, copied into a mappable buffer with its batch. */
export interface CopiedIndices {
  readonly staging: GPUBuffer;
  readonly length: number;
  readonly rule: NonNullable<ReturnType<typeof indexRule>>;
}

/**
 * For an indexing op whose indices have no host copy (computed on the device)
 * and at most HOST_COPY_MAX entries: encodes a copy of them after the op, to
 * be checked by `checkCopiedIndices` once the batch is submitted. Else null.
 */
export function copyDeviceIndices(
  device: GPUDevice, encoder: GPUCommandEncoder, prim: AnyPrimitive, inputs: readonly KernelInput[], attrs: unknown, ids: { readonly buffer: GPUBuffer; readonly host: Int32Array | null } | null,
): CopiedIndices | null {
  const rule = indexRule(prim, inputs, attrs);
  const length = inputs[1] ? sizeOf(inputs[1].shape) : 0;
  if (!rule || !ids || ids.host !== null || length === 0 || length > HOST_COPY_MAX) return null;
  const staging = device.createBuffer({ size: length * 4, usage: USAGE_MAP_READ | USAGE_COPY_DST });
  encoder.copyBufferToBuffer(ids.buffer, 0, staging, 0, length * 4);
  return { staging, length, rule };
}

/** Maps a copy made by `copyDeviceIndices` (after its batch was submitted) and returns the error for its first bad index, or null. */
export async function checkCopiedIndices(c: CopiedIndices): Promise<ArgumentError | null> {
  try {
    await c.staging.mapAsync(MAP_READ, 0, c.length * 4);
    const bad = firstBadIndex(new Int32Array(c.staging.getMappedRange(0, c.length * 4)), c.rule);
    return bad && new ArgumentError(`${bad.message} (indices computed on the device, found after the op ran: the result read 0 or dropped the update)`);
  } catch {
    // A lost device or failed batch is reported by the batch's own error scopes.
    return null;
  } finally {
    c.staging.destroy();
  }
}
