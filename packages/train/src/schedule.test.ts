import { describe, expect, it } from 'vitest';
import { learningRate, reduceOnPlateau, type PlateauSchedule } from './schedule.js';

describe('learningRate', () => {
  it('warms up linearly, then decays along a cosine evaluated at the decay steps already taken', () => {
    const s = { lr: 1e-2, warmupSteps: 10, decay: 'cosine' as const, finalFraction: 0.1 };
    expect(learningRate(s, 1, 110)).toBeCloseTo(1e-3, 12);
    expect(learningRate(s, 10, 110)).toBeCloseTo(1e-2, 12);
    // the first decay step has taken no decay steps yet: full rate
    expect(learningRate(s, 11, 110)).toBeCloseTo(1e-2, 12);
    // 50 of 100 decay steps taken: f + (1 − f)/2
    expect(learningRate(s, 61, 110)).toBeCloseTo(1e-2 * 0.55, 12);
    // 99 of 100 taken; cos(0.99π) = −cos(0.01π)
    expect(learningRate(s, 110, 110)).toBeCloseTo(1e-2 * (0.1 + 0.45 * (1 - Math.cos(Math.PI / 100))), 12);
    expect(learningRate({ lr: 0.5 }, 7, 10)).toBe(0.5);
  });

  it('keeps the last step of a cosine decay to zero positive', () => {
    const s = { lr: 0.1, decay: 'cosine' as const };
    for (const total of [1, 2, 5, 1000]) {
      const last = learningRate(s, total, total);
      expect(last).toBeGreaterThan(0);
      expect(last).toBeCloseTo(0.05 * (1 - Math.cos(Math.PI / total)), 12);
    }
  });

  it('moves a cosine decay on by the spent fraction of a time budget when time runs ahead of the steps', () => {
    const s = { lr: 1, decay: 'cosine' as const, finalFraction: 0.1 };
    // step 11 of 101 has taken 10 of 101 decay steps; half the budget is spent: p = 0.5
    expect(learningRate(s, 11, 101, 0.5)).toBeCloseTo(0.1 + 0.9 * 0.5, 12);
    // steps ahead of time: the steps decide
    expect(learningRate(s, 92, 101, 0.5)).toBeCloseTo(0.1 + 0.45 * (1 + Math.cos((Math.PI * 91) / 101)), 12);
    // budget overspent: p stops at (n − 1)/n, the last step's own rate, and stays positive with f = 0
    expect(learningRate({ lr: 1, decay: 'cosine' as const }, 3, 10, 7)).toBeCloseTo(0.5 * (1 + Math.cos((Math.PI * 9) / 10)), 12);
    expect(learningRate({ lr: 1, decay: 'cosine' as const }, 3, 10, 7)).toBeGreaterThan(0);
    // constant schedules ignore time
    expect(learningRate({ lr: 0.3 }, 3, 10, 0.9)).toBe(0.3);
    expect(() => learningRate(s, 3, 10, Number.NaN)).toThrow(/learningRate\(elapsed\): expected a fraction >= 0 of the time budget, received NaN/);
  });

  it('treats a plateau schedule as warmup then its (current) rate', () => {
    const s: PlateauSchedule = { lr: 0.2, decay: 'plateau', warmupSteps: 4 };
    expect(learningRate(s, 2, 100)).toBeCloseTo(0.1, 12);
    expect(learningRate(s, 50, 100)).toBe(0.2);
  });

  it('rejects a non-positive rate and bad plateau settings', () => {
    expect(() => learningRate({ lr: 0 }, 1, 1)).toThrow(/learning-rate schedule \(lr\): expected a positive number, received 0/);
    expect(() => learningRate({ lr: 1, decay: 'plateau', factor: 1 }, 1, 1)).toThrow(/\(factor\): expected a number in \(0, 1\), received 1/);
    expect(() => learningRate({ lr: 1, decay: 'plateau', patience: 0 }, 1, 1)).toThrow(/\(patience\): expected a positive integer, received 0/);
    expect(() => learningRate({ lr: 1, decay: 'plateau', minLr: 2 }, 1, 1)).toThrow(/\(minLr\): expected a number in \[0, lr = 1\], received 2/);
  });
});

describe('reduceOnPlateau', () => {
  it('multiplies the rate by factor after patience evaluations without improvement, floored at minLr', () => {
    const s: PlateauSchedule = { lr: 0.8, decay: 'plateau', factor: 0.5, patience: 2, minLr: 0.3 };
    let st = { lr: 0.8, bad: 0 };
    const lrs: number[] = [];
    for (const improved of [false, false, true, false, false, false, false]) {
      st = reduceOnPlateau(s, st, improved);
      lrs.push(st.lr);
    }
    // 0.8 → 0.4 after two bad evaluations; after the improvement two more bad ones would give 0.2, floored at 0.3
    expect(lrs).toEqual([0.8, 0.4, 0.4, 0.4, 0.3, 0.3, 0.3]);
  });
});
