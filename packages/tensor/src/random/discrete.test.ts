import { describe, expect, test } from 'vitest';
import { ArgumentError, bernoulli, geometric, key, permutation, randint } from '../index.js';

const N = 100_000;

function moments(v: ArrayLike<number>): [number, number] {
  let s = 0, s2 = 0;
  for (let i = 0; i < v.length; i++) { s += v[i]!; s2 += v[i]! * v[i]!; }
  const m = s / v.length;
  return [m, s2 / v.length - m * m];
}

describe('discrete samplers', () => {
  test('bernoulli: mean p within 5 standard errors', () => {
    const p = 0.3;
    const [m] = moments(bernoulli(key(1), p, [N]).dataSync());
    expect(Math.abs(m - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / N));
  });

  test('geometric on {1, 2, ...}: mean 1/p, variance (1-p)/p^2, P(N=1) = p', () => {
    const p = 0.25;
    const v = geometric(key(2), p, [N]).dataSync();
    const [m, s2] = moments(v);
    const varTrue = (1 - p) / (p * p);
    expect(Math.abs(m - 1 / p)).toBeLessThan(5 * Math.sqrt(varTrue / N));
    expect(Math.abs(s2 - varTrue) / varTrue).toBeLessThan(0.05);
    expect(Math.min(...v)).toBe(1);
    const ones = Array.from(v).filter((x) => x === 1).length / N;
    expect(Math.abs(ones - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / N));
  });

  test('randint: chi-square over 10 cells below the 0.999 quantile (27.88, 9 dof)', () => {
    const v = randint(key(3), [N], -5, 5).dataSync();
    expect(v).toBeInstanceOf(Int32Array);
    const counts = new Array(10).fill(0);
    for (const x of v) counts[x + 5]++;
    const e = N / 10;
    const chi2 = counts.reduce((a, c) => a + ((c - e) * (c - e)) / e, 0);
    expect(chi2).toBeLessThan(27.88);
  });

  test('permutation: a permutation, and each position uniform (chi-square, 4 dof, 0.999 quantile 18.47)', () => {
    const n = 5, reps = 4000;
    const firsts = new Array(n).fill(0);
    for (let r = 0; r < reps; r++) {
      const p = Array.from(permutation(key(1000 + r), n).dataSync());
      expect([...p].sort()).toEqual([0, 1, 2, 3, 4]);
      firsts[p[0]!]++;
    }
    const e = reps / n;
    expect(firsts.reduce((a, c) => a + ((c - e) * (c - e)) / e, 0)).toBeLessThan(18.47);
  });

  test('same key, same numbers; bad arguments name themselves', () => {
    expect(Array.from(randint(key(9), [20], 0, 100).dataSync())).toEqual(Array.from(randint(key(9), [20], 0, 100).dataSync()));
    expect(() => bernoulli(key(0), 1.5, [2])).toThrow(ArgumentError);
    expect(() => geometric(key(0), 0, [2])).toThrow(/geometric\(p\): expected a probability in \(0, 1\], received 0/);
    expect(() => randint(key(0), [2], 3, 3)).toThrow(/randint\(low, high\)/);
  });
});
