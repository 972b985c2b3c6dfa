import { describe, expect, it } from 'vitest';
import { samplingThroughput } from './sampling-throughput.js';
import { stepTime } from './step-time.js';
import { median } from './timing.js';

/** Spins for `ms` milliseconds of wall time: a sampler of known cost. */
function busyWait(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}

describe('median, samplingThroughput and stepTime', () => {
  it('median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(/values/);
  });

  it('samplingThroughput of a sampler costing 20 ms per call of 500 is about 25 000 samples/s', async () => {
    let calls = 0;
    const seen: number[] = [];
    const r = await samplingThroughput(
      async (n) => {
        calls++;
        seen.push(n);
        busyWait(20);
      },
      { batchSize: 500, warmup: 1, repeats: 3 },
    );
    expect(calls).toBe(4);
    expect(seen).toEqual([500, 500, 500, 500]);
    expect(r.timesMs).toHaveLength(3);
    // Lower bound is exact (the spin lasts ≥ 20 ms); the upper bound allows a loaded machine.
    expect(r.medianMs).toBeGreaterThanOrEqual(20);
    expect(r.medianMs).toBeLessThan(150);
    expect(r.samplesPerSecond).toBeCloseTo(500 / (r.medianMs / 1000), 8);
    expect(r.samplesPerSecond).toBeLessThanOrEqual(25_000);
  });

  it('stepTime skips warm-up calls: a step slow only on its first call has a fast median', async () => {
    let k = 0;
    const r = await stepTime(() => busyWait(k++ === 0 ? 40 : 5), { warmup: 1, repeats: 3 });
    expect(k).toBe(4);
    expect(r.medianMs).toBeGreaterThanOrEqual(5);
    expect(r.medianMs).toBeLessThan(38);
    await expect(stepTime(() => 0, { repeats: 0 })).rejects.toThrow(/repeats/);
  });
});
