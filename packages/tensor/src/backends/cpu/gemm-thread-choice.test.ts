import { describe, expect, it } from 'vitest';
import { preferThreads, recordGemm } from './gemm-thread-choice.js';

describe('the choice between one thread and the pool, per size class', () => {
  it('tries each path first, then takes the faster one and re-tries the other every 8th product', () => {
    const work = 1 << 26;
    expect(preferThreads(work)).toBe(true); // nothing measured on the pool yet
    recordGemm(true, work, 1000); // the pool's first product (workers starting) is not counted
    expect(preferThreads(work)).toBe(true);
    recordGemm(true, work, 2);
    expect(preferThreads(work)).toBe(false); // nothing measured on one thread yet
    recordGemm(false, work, 3);
    const picks = Array.from({ length: 16 }, () => preferThreads(work));
    expect(picks.filter((t) => !t).length).toBe(2);
    // The pool slows down (another process takes the second core).
    for (let i = 0; i < 4; i++) recordGemm(true, work, 6);
    // Pool average 0.75^4·2 + (1 − 0.75^4)·6 = 4.73 > 3 ns per multiply-add.
    const later = Array.from({ length: 16 }, () => preferThreads(work));
    expect(later.filter((t) => t).length).toBe(2);
  });

  it('keeps a separate average per octave of work, and caps an outlier at 4 times the average', () => {
    const small = (1 << 20) + 5, large = (1 << 21) + 7;
    recordGemm(true, small, 5);
    recordGemm(false, small, 1);
    recordGemm(true, large, 1);
    recordGemm(false, large, 5);
    // Classes 20 and 21: the pool loses on the first, wins on the second (first choices are not probes).
    expect(preferThreads(small)).toBe(false);
    expect(preferThreads(large)).toBe(true);
    // A pause of 1000 ns per multiply-add on one thread in class 20 counts as 4: 0.75·1 + 0.25·4 = 1.75 < 5.
    recordGemm(false, small, 1000);
    expect(preferThreads(small)).toBe(false);
  });
});
