import { RheoError } from '@rheo/tensor';

/** The outcome of one property check (see `checkTransform`, `checkLayer`). */
export interface CheckResult {
  /** Which property, e.g. 'round trip' or 'every parameter gets a gradient'. */
  readonly property: string;
  readonly ok: boolean;
  /** Largest error seen, relative (|got − want| / (1 + |want|)) where there is a reference; 0 otherwise. */
  readonly maxError: number;
  /** What the error had to stay within. */
  readonly tol: number;
  /** Why it failed, or what was measured. */
  readonly detail: string;
}

/** A failed property check; its message lists every failed check of the layer. */
export class PropertyCheckError extends RheoError {}

/** Throws a `PropertyCheckError` naming the layer and each failed check; returns the results otherwise. */
export function assertChecks(label: string, results: readonly CheckResult[]): readonly CheckResult[] {
  const failed = results.filter((r) => !r.ok);
  if (failed.length > 0) {
    throw new PropertyCheckError(`${label}: ${failed.length} of ${results.length} checks failed:\n${failed.map((r) => `- ${r.property}: ${r.detail}`).join('\n')}`);
  }
  return results;
}

/** Compares two arrays entry by entry with tolerance tol·(1 + |want|). */
export function compareArrays(property: string, got: ArrayLike<number>, want: ArrayLike<number>, tol: number): CheckResult {
  if (got.length !== want.length) return { property, ok: false, maxError: Infinity, tol, detail: `received ${got.length} values; expected ${want.length}` };
  let worst = 0;
  let at = -1;
  for (let i = 0; i < want.length; i++) {
    const e = Math.abs(got[i]! - want[i]!) / (1 + Math.abs(want[i]!));
    if (!(e <= worst)) {
      worst = Number.isNaN(e) ? Infinity : e;
      at = i;
    }
  }
  const ok = worst <= tol;
  const detail = at < 0 ? `max error 0 (tol ${tol})` : `max error ${worst.toExponential(2)} at [${at}]: received ${got[at]}, expected ${want[at]} (tol ${tol})`;
  return { property, ok, maxError: worst, tol, detail };
}
