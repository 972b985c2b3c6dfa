import { firstNonFiniteOutput, getBackend, NonFiniteError, recordOutputsForFiniteCheck, setCheckFinite, tidy } from '@rheo/tensor';
import type { StateTree } from '@rheo/nn';

/**
 * Re-runs a step that produced a non-finite loss or gradient with the
 * engine's finite-value check on, so the error names the first op that made
 * a NaN or infinity. The replay runs on the backend the step ran on, so every
 * tensor the loss captured (masks and constants made on a GPU) is usable:
 * backends with synchronous reads check each output as it is made, the others
 * (WebGPU) keep every output and read them in order afterwards.
 */
export async function locateNonFinite<T extends StateTree>(run: (inputs: T) => void, inputs: T, step: number, what: string): Promise<never> {
  const sync = getBackend().readSync !== undefined;
  const named = (err: NonFiniteError) => new NonFiniteError(`fit: step ${step}: ${what} is not finite; first non-finite value from op ${err.message}`);
  if (sync) setCheckFinite(true);
  else recordOutputsForFiniteCheck();
  let replayError: unknown = null;
  try {
    tidy(() => run(inputs));
  } catch (err) {
    replayError = err;
  } finally {
    if (sync) setCheckFinite(false);
  }
  // Always read (and free) the recorded outputs; the first non-finite one is the cause of anything the replay threw.
  const found = sync ? null : await firstNonFiniteOutput();
  if (found !== null) throw named(found);
  if (replayError instanceof NonFiniteError) throw named(replayError);
  if (replayError !== null) throw replayError;
  throw new NonFiniteError(`fit: step ${step}: ${what} is not finite, but a replay with finite checks found no op producing NaN or infinity (non-deterministic loss?)`);
}
