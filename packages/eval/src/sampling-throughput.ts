import { ArgumentError } from '@rheo/tensor';
import { median, timeRepeats, type TimingOptions } from './timing.js';

/** Options of `samplingThroughput`: the timing options (warm-up runs and timed repeats). */
export interface ThroughputOptions extends TimingOptions {
  /** Samples drawn per call; default 1000. */
  readonly batchSize?: number;
}

/**
 * Sampling speed from `samplingThroughput`: samples per second (batch size over the median time
 * per call), with every timed call.
 */
export interface Throughput {
  /** batchSize / median seconds per call. */
  readonly samplesPerSecond: number;
  readonly medianMs: number;
  /** Every timed call, in order. */
  readonly timesMs: readonly number[];
  readonly batchSize: number;
}

/**
 * Sampling throughput of `sample(n)`: median wall time of repeated calls
 * after warm-up. `sample` must finish its work before resolving (read the
 * samples back, e.g. `await t.data()`), else an asynchronous backend's
 * queued work is not counted.
 */
export async function samplingThroughput(sample: (n: number) => Promise<unknown> | unknown, options: ThroughputOptions = {}): Promise<Throughput> {
  const batchSize = options.batchSize ?? 1000;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ArgumentError(`samplingThroughput(options.batchSize): expected a positive integer, received ${batchSize}`);
  const timesMs = await timeRepeats(() => sample(batchSize), options, 'samplingThroughput');
  const medianMs = median(timesMs);
  return { samplesPerSecond: batchSize / (medianMs / 1000), medianMs, timesMs, batchSize };
}
