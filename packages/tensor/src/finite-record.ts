import { NonFiniteError } from './errors.js';
import type { Tensor } from './tensor.js';

interface FiniteRecord {
  readonly op: string;
  readonly inputs: string;
  readonly out: Tensor;
}
let finiteRecords: FiniteRecord[] | null = null;

/** The NonFiniteError naming the op whose output first held a NaN or infinity. */
export function nonFiniteOutput(op: string, value: number, index: number, shape: readonly number[], inputs: string): NonFiniteError {
  return new NonFiniteError(`${op}: produced ${value} at flat index ${index} of its output (shape [${shape.join(', ')}]) from inputs ${inputs}`);
}

/**
 * The finite-value check for backends that read asynchronously (WebGPU),
 * where `setCheckFinite` cannot read each output as it is made: from this call
 * every float32 op output is kept, in order, until `firstNonFiniteOutput`
 * reads them. The replay runs where its tensors live, so a loss that uses
 * tensors made on the device (MAF's masks) needs no move to the CPU.
 */
export function recordOutputsForFiniteCheck(): void {
  if (finiteRecords !== null) for (const r of finiteRecords) r.out.dispose();
  finiteRecords = [];
}

/**
 * Stops recording (see `recordOutputsForFiniteCheck`), reads the recorded
 * outputs in the order the ops ran, frees them, and returns the NonFiniteError
 * naming the first op whose output holds a NaN or infinity, or null.
 */
export async function firstNonFiniteOutput(): Promise<NonFiniteError | null> {
  const records = finiteRecords ?? [];
  finiteRecords = null;
  let found: NonFiniteError | null = null;
  try {
    for (const r of records) {
      if (r.out.isDisposed) continue;
      const v = await r.out.data();
      const i = v.findIndex((x) => !Number.isFinite(x));
      if (i >= 0) {
        found = nonFiniteOutput(r.op, v[i]!, i, r.out.shape, r.inputs);
        break;
      }
    }
  } finally {
    for (const r of records) r.out.dispose();
  }
  return found;
}

/** @internal whether op outputs are being recorded for `firstNonFiniteOutput`. */
export function recordingOutputs(): boolean {
  return finiteRecords !== null;
}

/** @internal keeps `out` past its tidy scope (`kept`) until `firstNonFiniteOutput` reads and frees it. */
export function recordOutput(op: string, inputs: readonly Tensor[], out: Tensor): void {
  out.kept = true;
  finiteRecords!.push({ op, inputs: inputs.map((x) => `[${x.shape.join(', ')}]`).join(', '), out });
}
