import { getBackend, NonFiniteError, setBackend, setCheckFinite, tidy } from '@rheo/tensor';
import { disposeTree, type StateTree } from '@rheo/nn';
import { moveTree } from './state-tree.js';

/**
 * Re-runs a step that produced a non-finite loss or gradient with the
 * engine's finite-value check on, so the error names the first op that made
 * a NaN or infinity. Backends without synchronous reads replay on the CPU.
 */
export async function locateNonFinite<T extends StateTree>(run: (inputs: T) => void, inputs: T, step: number, what: string): Promise<never> {
  const original = getBackend();
  const replayOnCpu = original.readSync === undefined;
  let moved: T | null = null;
  try {
    if (replayOnCpu) {
      const cpu = await setBackend('cpu', { quiet: true });
      moved = (await moveTree(inputs, cpu)) as T;
    }
    setCheckFinite(true);
    try {
      tidy(() => run(moved ?? inputs));
    } catch (err) {
      if (err instanceof NonFiniteError) throw new NonFiniteError(`fit: step ${step}: ${what} is not finite; first non-finite value from op ${err.message}`);
      throw err;
    }
  } finally {
    setCheckFinite(false);
    if (moved !== null) disposeTree(moved);
    if (replayOnCpu) await setBackend(original.name, { quiet: true });
  }
  throw new NonFiniteError(`fit: step ${step}: ${what} is not finite, but a replay with finite checks found no op producing NaN or infinity (non-deterministic loss?)`);
}
