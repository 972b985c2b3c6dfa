import { describe, expect, it } from 'vitest';
import { ArgumentError, key } from '@rheo/tensor';
import { glorotUniform, kaimingUniform, normalInit, zerosInit } from './init';

function moments(v: ArrayLike<number>): { mean: number; variance: number; maxAbs: number } {
  let s = 0, s2 = 0, m = 0;
  for (let i = 0; i < v.length; i++) {
    s += v[i]!;
    s2 += v[i]! * v[i]!;
    m = Math.max(m, Math.abs(v[i]!));
  }
  const mean = s / v.length;
  return { mean, variance: s2 / v.length - mean * mean, maxAbs: m };
}

describe('initialisers', () => {
  it('Kaiming uniform stays within gain·√(3/fan_in) and has variance gain²/fan_in', () => {
    // shape [out, in] = [200, 50]: fan_in 50, bound √2·√(3/50) = √(6/50).
    const w = kaimingUniform()(key(1), [200, 50]).dataSync();
    const bound = Math.sqrt(6 / 50);
    const m = moments(w);
    expect(m.maxAbs).toBeLessThanOrEqual(bound);
    expect(m.maxAbs).toBeGreaterThan(0.98 * bound);
    // 10,000 draws of U(−a, a): variance a²/3 = 2/50, sampling sd of the variance ≈ 0.0004.
    expect(m.variance).toBeCloseTo(2 / 50, 2);
    expect(Math.abs(m.mean)).toBeLessThan(0.01);
  });

  it('Kaiming uniform with gain 1 gives variance 1/fan_in', () => {
    const m = moments(kaimingUniform(1)(key(2), [100, 100]).dataSync());
    expect(m.maxAbs).toBeLessThanOrEqual(Math.sqrt(3 / 100));
    expect(m.variance).toBeCloseTo(1 / 100, 3);
  });

  it('Glorot uniform stays within √(6/(fan_in + fan_out))', () => {
    const m = moments(glorotUniform()(key(3), [30, 70]).dataSync());
    const a = Math.sqrt(6 / 100);
    expect(m.maxAbs).toBeLessThanOrEqual(a);
    expect(m.variance).toBeCloseTo((a * a) / 3, 2);
  });

  it('normal(std) has the requested standard deviation', () => {
    const m = moments(normalInit(0.3)(key(4), [100, 100]).dataSync());
    // sd of the sample sd for n = 10,000 is about 0.3/√(2n) ≈ 0.002.
    expect(Math.sqrt(m.variance)).toBeGreaterThan(0.3 - 0.01);
    expect(Math.sqrt(m.variance)).toBeLessThan(0.3 + 0.01);
    expect(Math.abs(m.mean)).toBeLessThan(0.015);
  });

  it('zeros and argument errors', () => {
    expect(Array.from(zerosInit()(key(0), [2, 3]).dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
    expect(() => normalInit(-1)).toThrow(ArgumentError);
    expect(() => kaimingUniform()(key(0), [3, 0])).toThrow(/kaimingUniform\(shape\): expected a non-empty shape of positive integers, received \[3, 0\]/);
  });
});
