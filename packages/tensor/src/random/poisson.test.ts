import { describe, expect, test } from 'vitest';
import { ArgumentError, key, poisson, poissonSample, split } from '../index.js';

const N = 40_000;

/** Poisson pmf in float64 from log p(k) = k ln λ − λ − Σ_{i≤k} ln i. */
function pmf(lam: number, k: number): number {
  let lp = k * Math.log(lam) - lam;
  for (let i = 2; i <= k; i++) lp -= Math.log(i);
  return Math.exp(lp);
}

/** The 0.999 quantile of χ²(dof) by Wilson–Hilferty: dof·(1 − 2/(9 dof) + z·sqrt(2/(9 dof)))³, z = 3.0902. */
function chi2Quantile999(dof: number): number {
  const c = 2 / (9 * dof);
  return dof * (1 - c + 3.0902 * Math.sqrt(c)) ** 3;
}

/** χ² statistic over cells with expected count ≥ 5; both tails merged into the end cells. */
function chiSquare(v: Int32Array, lam: number): { stat: number; dof: number } {
  const counts = new Map<number, number>();
  for (const x of v) counts.set(x, (counts.get(x) ?? 0) + 1);
  let lo = Math.floor(lam);
  while (lo > 0 && N * pmf(lam, lo - 1) >= 5) lo--;
  let hi = Math.floor(lam);
  while (N * pmf(lam, hi + 1) >= 5) hi++;
  let stat = 0, pBelow = 0, below = 0, above = 0;
  for (let k = 0; k < lo; k++) pBelow += pmf(lam, k);
  let pIn = 0;
  for (const [x, c] of counts) {
    if (x < lo) below += c;
    else if (x > hi) above += c;
  }
  for (let k = lo; k <= hi; k++) {
    const e = N * pmf(lam, k);
    pIn += pmf(lam, k);
    const o = counts.get(k) ?? 0;
    stat += ((o - e) * (o - e)) / e;
  }
  let cells = hi - lo + 1;
  if (lo > 0) { const e = N * pBelow; stat += ((below - e) ** 2) / e; cells++; }
  const eAbove = N * (1 - pIn - pBelow);
  stat += ((above - eAbove) ** 2) / eAbove;
  cells++;
  return { stat, dof: cells - 1 };
}

describe('poisson', () => {
  test.each([0.5, 3, 12, 100])('λ = %s: mean and variance equal λ', (lam) => {
    const v = poisson(key(11), lam, [N]).dataSync();
    let s = 0, s2 = 0;
    for (const x of v) { s += x; s2 += x * x; }
    const m = s / N, variance = s2 / N - m * m;
    // SE of the mean sqrt(λ/N); of the sample variance sqrt((μ4 − σ⁴)/N) = sqrt((λ + 2λ²)/N).
    expect(Math.abs(m - lam)).toBeLessThan(4 * Math.sqrt(lam / N));
    expect(Math.abs(variance - lam)).toBeLessThan(4 * Math.sqrt((lam + 2 * lam * lam) / N));
  });

  test.each([3, 25])('λ = %s: χ² goodness of fit against the pmf below the 0.999 quantile', (lam) => {
    const v = poisson(key(7), lam, [N]).dataSync() as Int32Array;
    expect(v).toBeInstanceOf(Int32Array);
    const { stat, dof } = chiSquare(v, lam);
    expect(dof).toBeGreaterThan(5);
    expect(stat).toBeLessThan(chi2Quantile999(dof));
  });

  test('same key, same numbers; other keys differ; poissonSample is element 0', () => {
    const [a, b] = split(key(5));
    for (const lam of [2, 40]) {
      const x = Array.from(poisson(a!, lam, [50]).dataSync());
      expect(Array.from(poisson(a!, lam, [50]).dataSync())).toEqual(x);
      expect(Array.from(poisson(b!, lam, [50]).dataSync())).not.toEqual(x);
      expect(poissonSample(a!, lam)).toBe(x[0]);
    }
    expect(Array.from(poisson(key(1), 0, [4]).dataSync())).toEqual([0, 0, 0, 0]);
  });

  test('rejects rates that are negative, NaN or infinite, naming the argument', () => {
    for (const bad of [-1, NaN, Infinity]) {
      expect(() => poisson(key(0), bad, [3])).toThrow(ArgumentError);
      expect(() => poissonSample(key(0), bad)).toThrow(ArgumentError);
    }
    expect(() => poisson(key(0), -2, [3])).toThrow(/poisson\(lam\): expected a finite rate λ in \[0, 1000000000\], received -2/);
    expect(() => poissonSample(key(0), NaN)).toThrow(/poissonSample\(lam\).*received NaN/);
  });
});
