import { median, timeRepeats, type TimingOptions } from './timing.js';

/** Timing of a training step from `stepTime`: the median and every timed run, in milliseconds. */
export interface StepTime {
  readonly medianMs: number;
  readonly timesMs: readonly number[];
}

/**
 * Median milliseconds of one training step after warm-up. As with sampling,
 * the step must await its results (e.g. read the loss) for an asynchronous
 * backend's work to be inside the timing.
 */
export async function stepTime(step: () => Promise<unknown> | unknown, options: TimingOptions = {}): Promise<StepTime> {
  const timesMs = await timeRepeats(step, options, 'stepTime');
  return { medianMs: median(timesMs), timesMs };
}
