import type { KernelInput } from '../../backend.js';
import { ArgumentError, show } from '../../errors.js';
import type { AnyPrimitive } from '../../primitive.js';

/** Index tensors at most this long keep a host copy when uploaded, for the checks below. */
export const HOST_COPY_MAX = 1 << 16;

/**
 * A shader cannot throw, so the index bounds the CPU kernels check are
 * checked here, before the dispatch, on the host copy an uploaded int32
 * tensor keeps. Indices computed on the device have no host copy: there an
 * out-of-range gather (or takeAlongAxis) reads 0 and an out-of-range
 * scatterAdd (or scatterAddAlongAxis) update is dropped, instead of an error.
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

export function checkIndices(prim: AnyPrimitive, inputs: readonly KernelInput[], attrs: unknown, host: (k: number) => Int32Array | null): void {
  const rule = INDEXED[prim.name];
  if (!rule) return;
  const ids = host(1);
  if (!ids) return;
  const { bound, message } = rule(inputs[0]!, attrs as { axis?: number; size?: number });
  for (let j = 0; j < ids.length; j++) {
    const k = ids[j]!;
    if (k >= 0 && k < bound) continue;
    throw new ArgumentError(message(k, j));
  }
}
