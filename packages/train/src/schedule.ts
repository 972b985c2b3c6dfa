import { ArgumentError } from '@rheo/tensor';

/** Linear warmup, then a constant rate or a cosine decay over the remaining steps. */
export interface StepSchedule {
  /** Peak learning rate. */
  readonly lr: number;
  /** Linear warmup from lr/warmupSteps to lr over the first warmupSteps steps. Default 0. */
  readonly warmupSteps?: number;
  /** After warmup: constant (default) or cosine decay towards finalFraction·lr. */
  readonly decay?: 'constant' | 'cosine';
  readonly finalFraction?: number;
}

/**
 * Reduce-on-plateau: after warmup the rate starts at `lr` and is multiplied by
 * `factor` (default 0.5, floored at `minLr`, default 0) whenever `patience`
 * (default 3) validation evaluations in a row brought no new best validation
 * loss; the count restarts after each reduction and each improvement. Needs
 * `validation` in fit.
 */
export interface PlateauSchedule {
  readonly lr: number;
  readonly decay: 'plateau';
  readonly factor?: number;
  readonly patience?: number;
  readonly minLr?: number;
  readonly warmupSteps?: number;
}

/**
 * A learning rate that follows the step (constant, warmup, cosine decay) or the validation loss
 * (reduce on plateau).
 */
export type LearningRateSchedule = StepSchedule | PlateauSchedule;

/** Where a plateau schedule stands: the current base rate and the evaluations since the last improvement or reduction. */
export interface PlateauState {
  readonly lr: number;
  readonly bad: number;
}

function check(name: string, v: number, ok: boolean, expected: string): void {
  if (!ok) throw new ArgumentError(`learning-rate schedule (${name}): expected ${expected}, received ${v}`);
}

/** Throws an ArgumentError naming the first invalid field of the schedule. */
export function checkSchedule(schedule: LearningRateSchedule): void {
  const { lr, warmupSteps = 0 } = schedule;
  check('lr', lr, lr > 0 && Number.isFinite(lr), 'a positive number');
  check('warmupSteps', warmupSteps, Number.isInteger(warmupSteps) && warmupSteps >= 0, 'a non-negative integer');
  if (schedule.decay === 'plateau') {
    const { factor = 0.5, patience = 3, minLr = 0 } = schedule;
    check('factor', factor, factor > 0 && factor < 1, 'a number in (0, 1)');
    check('patience', patience, Number.isInteger(patience) && patience >= 1, 'a positive integer');
    check('minLr', minLr, minLr >= 0 && minLr <= lr, `a number in [0, lr = ${lr}]`);
  } else {
    const { finalFraction = 0 } = schedule;
    check('finalFraction', finalFraction, finalFraction >= 0 && finalFraction <= 1, 'a number in [0, 1]');
  }
}

/**
 * The learning rate of step t (1-based) of `total`: lr·t/w during warmup
 * (t <= w), then lr, or with cosine decay
 * lr·(f + (1 − f)·½(1 + cos(π·p))), p = (t − w − 1)/(total − w):
 * the rate of a step is the curve's value at the number of decay steps
 * completed before it, so the first decay step runs at lr and the last at
 * lr·(f + (1 − f)·½(1 + cos(π·(n − 1)/n))) > 0 for n = total − w decay steps.
 * The curve reaches f·lr only after the last step, so f = 0 never asks the
 * optimiser for a zero rate. A plateau schedule returns its warmup-scaled
 * `lr`; fit passes the reduced rate in its place.
 *
 * `elapsed` (default 0), the fraction of a time budget already spent, moves a
 * cosine decay on when time runs out before the steps do: the decay uses
 * p = max(p_steps, elapsed), with elapsed capped at (n − 1)/n so that the rate
 * stays positive. A run cut by its budget thus ends near f·lr as a full run
 * does, instead of stopping while the rate is still high.
 */
export function learningRate(schedule: LearningRateSchedule, t: number, total: number, elapsed = 0): number {
  checkSchedule(schedule);
  const { lr, warmupSteps = 0 } = schedule;
  if (t <= warmupSteps) return (lr * t) / warmupSteps;
  if (schedule.decay !== 'cosine' || total <= warmupSteps) return lr;
  const finalFraction = schedule.finalFraction ?? 0;
  if (!(elapsed >= 0)) throw new ArgumentError(`learningRate(elapsed): expected a fraction >= 0 of the time budget, received ${elapsed}`);
  const n = total - warmupSteps;
  const byTime = Math.min(elapsed, (n - 1) / n);
  const progress = Math.min(1, Math.max(0, (t - warmupSteps - 1) / n, byTime));
  return lr * (finalFraction + (1 - finalFraction) * 0.5 * (1 + Math.cos(Math.PI * progress)));
}

/** The plateau state after one validation evaluation that did (or did not) improve on the best loss. */
export function reduceOnPlateau(schedule: PlateauSchedule, state: PlateauState, improved: boolean): PlateauState {
  const { factor = 0.5, patience = 3, minLr = 0 } = schedule;
  if (improved) return { lr: state.lr, bad: 0 };
  const bad = state.bad + 1;
  return bad >= patience ? { lr: Math.max(minLr, state.lr * factor), bad: 0 } : { lr: state.lr, bad };
}
