import { abs, add, ArgumentError, lessEqual, min, mul, RheoError, sub, tidy, where, type Tensor } from '@rheo/tensor';

/** An iterative solver that stopped at its iteration limit before meeting its tolerance. */
export class ConvergenceError extends RheoError {}

/**
 * Tolerances of the fixed-point inverse x ← y − g(x): stop when every |step| ≤ atol + rtol·|x|, or
 * fail after `maxIterations`.
 */
export interface FixedPointOptions {
  /** Absolute tolerance on the step |x_{k+1} − x_k|; default 1e-5. */
  readonly atol?: number;
  /** Relative tolerance, scaled by |x_{k+1}|; default 1e-5. */
  readonly rtol?: number;
  /** Iteration limit; default 1000. */
  readonly maxIterations?: number;
  /**
   * Iterations run on backends that read asynchronously (WebGPU), where the
   * step cannot be inspected inside a synchronous inverse: the solver runs
   * exactly this many; default 100. The last step is checked on the device
   * and rows whose step is still above the tolerance come back as NaN.
   */
  readonly unverifiedIterations?: number;
}

/** The fixed point reached and the number of iterations it took. */
export interface FixedPointResult {
  readonly x: Tensor;
  readonly iterations: number;
}

export function checkFixedPointOptions(o: FixedPointOptions, who: string): Required<FixedPointOptions> {
  const { atol = 1e-5, rtol = 1e-5, maxIterations = 1000, unverifiedIterations = 100 } = o;
  if (!Number.isInteger(unverifiedIterations) || unverifiedIterations < 1) {
    throw new ArgumentError(`${who}(unverifiedIterations): received ${unverifiedIterations}; expected a positive integer`);
  }
  if (!(atol >= 0) || !(rtol >= 0) || atol + rtol === 0) {
    throw new ArgumentError(`${who}(atol, rtol): received atol=${atol}, rtol=${rtol}; expected non-negative numbers, not both 0`);
  }
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new ArgumentError(`${who}(maxIterations): received ${maxIterations}; expected a positive integer`);
  }
  return { atol, rtol, maxIterations, unverifiedIterations };
}

/**
 * Solves x + g(x) = y by x_{k+1} = y − g(x_k), x_0 = y. With Lip(g) ≤ c < 1
 * this is a contraction (Banach), with error ‖x_k − x*‖ ≤ cᵏ/(1 − c)·‖g(y)‖
 * (Behrmann et al. 2019, arXiv:1811.00995, Alg. 1). Stops when every element
 * satisfies |x_{k+1} − x_k| ≤ atol + rtol·|x_{k+1}|; throws ConvergenceError
 * at the iteration limit rather than return an unconverged point. The test
 * reads the step back each iteration, which needs a backend with
 * synchronous reads (the CPU); elsewhere `unverifiedIterations` steps run.
 */
export function fixedPointSolve(g: (x: Tensor) => Tensor, y: Tensor, options: FixedPointOptions, who: string): FixedPointResult {
  const { atol, rtol, maxIterations, unverifiedIterations } = checkFixedPointOptions(options, who);
  if (y.backend.readSync === undefined) {
    let x = y;
    for (let k = 1; k < unverifiedIterations; k++) {
      const next = tidy(() => sub(y, g(x)));
      if (x !== y) x.dispose();
      x = next;
    }
    // The last step is checked on the device: a row whose step is still above
    // the tolerance comes back as NaN, never as a plausible unconverged point.
    const last = tidy(() => {
      const next = sub(y, g(x));
      const ok = lessEqual(abs(sub(next, x)), add(mul(abs(next), rtol), atol));
      const rowOk = min(ok, ok.rank > 1 ? Array.from({ length: ok.rank - 1 }, (_, i) => i + 1) : undefined, true);
      return where(rowOk, next, NaN);
    });
    if (x !== y) x.dispose();
    return { x: last, iterations: unverifiedIterations };
  }
  let x = y;
  let worst = Infinity;
  for (let k = 1; k <= maxIterations; k++) {
    const [next, step, scale] = tidy(() => {
      const n = sub(y, g(x));
      return [n, abs(sub(n, x)), abs(n)] as const;
    });
    const s = step.dataSync();
    const m = scale.dataSync();
    worst = 0;
    let ok = true;
    for (let i = 0; i < s.length; i++) {
      const excess = s[i]! - (atol + rtol * m[i]!);
      if (!(excess <= 0)) ok = false;
      worst = Math.max(worst, Number.isNaN(s[i]!) ? Infinity : s[i]!);
    }
    step.dispose();
    scale.dispose();
    if (x !== y) x.dispose();
    x = next;
    if (ok) return { x, iterations: k };
  }
  x.dispose();
  throw new ConvergenceError(
    `${who}: the fixed-point iteration x ← y − g(x) did not converge in maxIterations=${maxIterations} ` +
      `(largest last step ${worst.toExponential(3)}); expected every |step| <= atol + rtol·|x| with atol=${atol}, rtol=${rtol}. ` +
      'Raise maxIterations or loosen atol/rtol.',
  );
}
