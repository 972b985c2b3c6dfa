import type { KernelInput } from '../../backend.js';
import { ArgumentError, show } from '../../errors.js';
import type { AnyPrimitive } from '../../primitive.js';

/** Index tensors at most this long keep a host copy when uploaded, for the checks below. */
export const HOST_COPY_MAX = 1 << 16;

/**
 * A shader cannot throw, so the index bounds the CPU kernels check are
 * checked here, before the dispatch, on the host copy an uploaded int32
 * tensor keeps. Indices computed on the device have no host copy: there an
 * out-of-range gather reads 0 and an out-of-range scatterAdd update is
 * dropped, instead of an error.
 */
export function checkIndices(prim: AnyPrimitive, inputs: readonly KernelInput[], attrs: unknown, host: (k: number) => Int32Array | null): void {
  if (prim.name !== 'gather' && prim.name !== 'scatterAdd') return;
  const ids = host(1);
  if (!ids) return;
  const a = attrs as { axis: number; size?: number };
  const x = inputs[0]!;
  const bound = prim.name === 'gather' ? x.shape[a.axis]! : a.size!;
  for (let j = 0; j < ids.length; j++) {
    const k = ids[j]!;
    if (k >= 0 && k < bound) continue;
    throw new ArgumentError(
      prim.name === 'gather'
        ? `gather(x, indices): indices holds ${k} at flat position ${j}; expected 0 <= index < ${bound} (x has shape ${show(x.shape)}, axis ${a.axis})`
        : `scatterAdd(updates, indices): indices holds ${k} at flat position ${j}; expected 0 <= index < ${bound}`,
    );
  }
}
