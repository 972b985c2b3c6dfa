import { describe, expect, it } from 'vitest';
import { preferThreads, recordGemm } from './gemm-thread-choice.js';

describe('the choice between one thread and the pool, per size class', () => {
  it('tries each path first, then takes the faster one and probes the other every 8th product', () => {
    const work = 1 << 26;
    expect(preferThreads(work)).toBe('probe-threads'); // nothing measured on the pool yet
    recordGemm(true, work, 1000); // the pool's first product (workers starting) is not counted
    expect(preferThreads(work)).toBe('probe-threads');
    recordGemm(true, work, 2);
    expect(preferThreads(work)).toBe('probe-one'); // nothing measured on one thread yet
    recordGemm(false, work, 3);
    // Choices 4..11: the pool (faster) but for the probe of one thread at choice 8.
    const picks = Array.from({ length: 8 }, () => preferThreads(work));
    const t = 'threads';
    expect(picks).toEqual([t, t, t, t, 'probe-one', t, t, t]);
    recordGemm(false, work, 3); // the probe of one thread (its time replaces one thread's average)
    recordGemm(true, work, 4); // 0.75·2 + 0.25·4 = 2.5 < 3
    expect(preferThreads(work)).toBe('threads');
    // The pool slows down (another process takes the second core): 0.75·2.5 + 0.25·6 = 3.375 > 3.
    recordGemm(true, work, 6);
    expect(preferThreads(work)).toBe('one');
  });

  it('probes a path that keeps losing half as often after each probe, and every 8th again once it wins', () => {
    const work = (1 << 22) + 3;
    recordGemm(true, 1 << 30, 1); // the pool's first product, should this test run alone
    recordGemm(true, work, 10);
    recordGemm(false, work, 1);
    const probes: number[] = [];
    for (let n = 1; n <= 60; n++) {
      const c = preferThreads(work);
      if (c === 'probe-threads') {
        probes.push(n);
        recordGemm(true, work, 10); // still slower
      }
    }
    // Probes at 8, then 16 later (the first probe lost), then 32 later.
    expect(probes).toEqual([8, 24, 56]);
    // A probe that wins switches the choice at once and resets the interval to 8.
    let n = 60;
    while (preferThreads(work) !== 'probe-threads') n++;
    expect(n + 1).toBe(120); // 56 + 64
    recordGemm(true, work, 0.5);
    const after = Array.from({ length: 8 }, () => preferThreads(work));
    expect(after.slice(0, 7).every((c) => c === 'threads')).toBe(true);
    expect(after[7]).toBe('probe-one'); // choice 128 = 120 + 8
  });

  it('keeps a separate average per octave of work and per transposed operand', () => {
    const small = (1 << 20) + 5, large = (1 << 21) + 7;
    recordGemm(true, 1 << 30, 1);
    recordGemm(true, small, 5);
    recordGemm(false, small, 1);
    recordGemm(true, large, 1);
    recordGemm(false, large, 5);
    expect(preferThreads(small)).toBe('one');
    expect(preferThreads(large)).toBe('threads');
    expect(preferThreads(large, true)).toBe('probe-threads'); // Aᵀ·B: nothing measured yet
  });
});
