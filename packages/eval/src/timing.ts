import { ArgumentError } from '@rheo/tensor';

/**
 * How a measurement is repeated: warm-up runs (not timed) and timed repeats, reported as the
 * median.
 */
export interface TimingOptions {
  /** Untimed runs first (JIT, shader compilation, allocator warm-up); default 2. */
  readonly warmup?: number;
  /** Timed runs; default 5. */
  readonly repeats?: number;
}

/** Median of a non-empty list (mean of the middle pair for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new ArgumentError('median(values): expected at least one value, received none');
  const s = [...values].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 === 1 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

/**
 * Wall-clock milliseconds of `repeats` awaited calls after `warmup` untimed
 * ones. The median, not the mean, is reported by callers: it ignores the
 * occasional garbage-collection pause or scheduler hiccup.
 */
export async function timeRepeats(fn: () => unknown, options: TimingOptions, what: string): Promise<number[]> {
  const warmup = options.warmup ?? 2;
  const repeats = options.repeats ?? 5;
  if (!Number.isInteger(warmup) || warmup < 0) throw new ArgumentError(`${what}(options.warmup): expected a non-negative integer, received ${warmup}`);
  if (!Number.isInteger(repeats) || repeats < 1) throw new ArgumentError(`${what}(options.repeats): expected a positive integer, received ${repeats}`);
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return times;
}
