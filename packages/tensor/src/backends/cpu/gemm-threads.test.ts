import { describe, expect, it } from 'vitest';
import { preferThreads, recordLargeGemm } from './gemm-threads.js';

describe('the choice between one thread and the pool for large products', () => {
  it('tries each path first, then takes the faster one and re-tries the other every 8th product', () => {
    expect(preferThreads()).toBe(true); // nothing measured on the pool yet
    recordLargeGemm(true, 1000); // the pool's first product (workers starting) is not counted
    expect(preferThreads()).toBe(true);
    recordLargeGemm(true, 2);
    expect(preferThreads()).toBe(false); // nothing measured on one thread yet
    recordLargeGemm(false, 3);
    const picks = Array.from({ length: 16 }, () => preferThreads());
    expect(picks.filter((t) => !t).length).toBe(2);
    // The pool slows down (another process takes the second core).
    for (let i = 0; i < 4; i++) recordLargeGemm(true, 10);
    // Pool average 0.75^4·2 + (1 − 0.75^4)·10 = 7.47 > 3 ns per multiply-add.
    const later = Array.from({ length: 16 }, () => preferThreads());
    expect(later.filter((t) => t).length).toBe(2);
  });
});
