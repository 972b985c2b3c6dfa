import { ArgumentError } from '@rheo/tensor';

export interface LearningRateSchedule {
  /** Peak learning rate. */
  readonly lr: number;
  /** Linear warmup from lr/warmupSteps to lr over the first warmupSteps steps. Default 0. */
  readonly warmupSteps?: number;
  /** After warmup: constant (default) or cosine decay to finalFraction·lr at the last step. */
  readonly decay?: 'constant' | 'cosine';
  readonly finalFraction?: number;
}

function check(name: string, v: number, ok: boolean, expected: string): void {
  if (!ok) throw new ArgumentError(`learning-rate schedule (${name}): expected ${expected}, received ${v}`);
}

/**
 * The learning rate at step t (1-based) of `total`:
 * lr·t/w during warmup (t <= w), then lr, or with cosine decay
 * lr·(f + (1 − f)·½(1 + cos(π·(t − w)/(total − w)))).
 */
export function learningRate(schedule: LearningRateSchedule, t: number, total: number): number {
  const { lr, warmupSteps = 0, decay = 'constant', finalFraction = 0 } = schedule;
  check('lr', lr, lr > 0 && Number.isFinite(lr), 'a positive number');
  check('warmupSteps', warmupSteps, Number.isInteger(warmupSteps) && warmupSteps >= 0, 'a non-negative integer');
  check('finalFraction', finalFraction, finalFraction >= 0 && finalFraction <= 1, 'a number in [0, 1]');
  if (t <= warmupSteps) return (lr * t) / warmupSteps;
  if (decay === 'constant' || total <= warmupSteps) return lr;
  const progress = Math.min(1, (t - warmupSteps) / (total - warmupSteps));
  return lr * (finalFraction + (1 - finalFraction) * 0.5 * (1 + Math.cos(Math.PI * progress)));
}
