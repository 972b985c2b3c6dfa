import { ArgumentError, add, flattenTree, keep, mul, tidy, type Tensor, type TensorTree } from '@rheo/tensor';

/** Exponential moving average of parameters: update count and the average, shaped like the parameters. */
export type EmaState<P extends TensorTree> = {
  readonly kind: 'ema';
  readonly step: number;
  readonly average: P;
};

/**
 * How the decay evolves with the update count t = 1, 2, …:
 * - 'constant': d_t = d.
 * - 'warmup': d_t = min(d, (1 + t)/(10 + t)), so early averages forget the
 *   random initialisation quickly (the schedule of TensorFlow's
 *   ExponentialMovingAverage with num_updates).
 * - 'bias-corrected': d_t = d(1 − d^(t−1))/(1 − d^t). This makes the average
 *   equal Adam's bias-corrected estimate m_t/(1 − d^t) of a zero-started
 *   m_t = d m_(t−1) + (1 − d) θ_t (Kingma & Ba 2015, arXiv:1412.6980), i.e.
 *   Σ_s d^(t−s) θ_s / Σ_s d^(t−s): the initial value gets weight 0 at t = 1.
 */
export type EmaSchedule = 'constant' | 'warmup' | 'bias-corrected';

/** Options of the parameter EMA θ̄ ← d·θ̄ + (1 − d)·θ: the decay schedule. */
export interface EmaOptions {
  readonly schedule?: EmaSchedule;
}

/** Starts the average at a copy of the parameters (kept, so tidy() scopes leave it alone). */
export function emaInit<P extends TensorTree>(params: P): EmaState<P> {
  const { leaves, rebuild } = flattenTree(params);
  return { kind: 'ema', step: 0, average: rebuild(leaves.map((t) => keep(mul(t, 1)))) };
}

/** The decay d_t used at update number t (1-based) under a schedule. */
export function emaDecay(decay: number, t: number, schedule: EmaSchedule = 'constant'): number {
  if (schedule === 'constant') return decay;
  if (schedule === 'warmup') return Math.min(decay, (1 + t) / (10 + t));
  if (schedule === 'bias-corrected') return (decay * (1 - decay ** (t - 1))) / (1 - decay ** t);
  throw new ArgumentError(`emaUpdate(schedule): expected 'constant', 'warmup' or 'bias-corrected', received ${String(schedule)}`);
}

/**
 * One update a ← d_t·a + (1 − d_t)·θ. Returns the new state; the caller
 * disposes the old one (disposeTree) when it is no longer needed.
 */
export function emaUpdate<P extends TensorTree>(ema: EmaState<P>, params: P, decay: number, options: EmaOptions = {}): EmaState<P> {
  if (!(decay >= 0 && decay < 1)) throw new ArgumentError(`emaUpdate(decay): expected a number in [0, 1), received ${decay}`);
  const step = ema.step + 1;
  const d = emaDecay(decay, step, options.schedule);
  const avg = flattenTree(ema.average);
  const ps = flattenTree(params).leaves;
  if (ps.length !== avg.leaves.length) {
    throw new ArgumentError(`emaUpdate(params): expected a tree of ${avg.leaves.length} tensors like the average, received ${ps.length}`);
  }
  ps.forEach((p, i) => {
    const a = avg.leaves[i]!;
    if (p.shape.join() !== a.shape.join() || p.shape.length !== a.shape.length) {
      throw new ArgumentError(`emaUpdate(params): leaf ${i} has shape [${p.shape.join(', ')}], the average has [${a.shape.join(', ')}]`);
    }
  });
  const next = tidy(() => avg.leaves.map((a, i) => keep(add(mul(a, d), mul(ps[i]!, 1 - d)))));
  return { kind: 'ema', step, average: avg.rebuild(next as Tensor[]) };
}
