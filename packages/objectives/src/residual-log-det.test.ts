import { describe, expect, test } from 'vitest';
import { ArgumentError, broadcastTo, fold, key, tensor } from '@rheo/tensor';
import { russianRouletteLogDet, truncatedLogDet } from './residual-log-det.js';
import { type RouletteDistribution, survival } from './roulette.js';
import { D, applyBlock, blockTensors, logDetRef, makeBlock } from './testing/residual-block.js';

const params = makeBlock(0.7);
const x0 = [0.4, -0.3, 0.2, 0.6];
const exact = logDetRef(params, x0);
const N = 10_000;

/** Mean and standard error of a sample. */
function meanSe(v: ArrayLike<number>): [number, number] {
  let s = 0, s2 = 0;
  for (let i = 0; i < v.length; i++) { s += v[i]!; s2 += v[i]! * v[i]!; }
  const m = s / v.length;
  return [m, Math.sqrt((s2 / v.length - m * m) / (v.length - 1))];
}

function batch() {
  const p = blockTensors(params);
  return { g: (x: Parameters<typeof applyBlock>[0]) => applyBlock(x, p), x: broadcastTo(tensor([x0]), [N, D]) };
}

describe('Russian-roulette and truncated log-det estimators', () => {
  test.each<[string, RouletteDistribution]>([
    ['geometric(0.5)', { kind: 'geometric', p: 0.5 }],
    ['poisson(2)', { kind: 'poisson', lambda: 2 }],
  ])('%s: the mean of 10,000 seeded estimates is within 3 standard errors of the exact log-det', (_, distribution) => {
    const { g, x } = batch();
    const est = russianRouletteLogDet(g, x, { key: key(distribution.kind === 'poisson' ? 22 : 21), distribution, nExact: 1, perSample: true }).dataSync();
    const [m, se] = meanSe(est);
    expect(Math.abs(m - exact)).toBeLessThan(3 * se);
  });

  test('two truncated terms are biased by more than 3 standard errors; the roulette with the same probes is not', () => {
    const { g, x } = batch();
    const [mt, set] = meanSe(truncatedLogDet(g, x, { key: key(5), nTerms: 2, probe: 'rademacher' }).dataSync());
    const [mr, ser] = meanSe(russianRouletteLogDet(g, x, { key: key(5), nExact: 2, perSample: true, probe: 'rademacher' }).dataSync());
    expect(Math.abs(mt - exact)).toBeGreaterThan(3 * set);
    expect(Math.abs(mr - exact)).toBeLessThan(3 * ser);
  });

  test('a shared truncation key (one N per call, as all blocks of a flow share it) stays unbiased over its draws', () => {
    const p = blockTensors(params);
    const g = (x: Parameters<typeof applyBlock>[0]) => applyBlock(x, p);
    const x = broadcastTo(tensor([x0]), [100, D]);
    const means = Float64Array.from({ length: 300 }, (_, i) => {
      const est = russianRouletteLogDet(g, x, { key: fold(key(40), i), truncationKey: fold(key(41), i), nExact: 1 }).dataSync();
      return meanSe(est)[0];
    });
    const [m, se] = meanSe(means);
    expect(Math.abs(m - exact)).toBeLessThan(3 * se);
    expect(() => russianRouletteLogDet(g, x, { key: key(1), truncationKey: 7 as never })).toThrow(/truncationKey\): expected a PRNG Key, received 7/);
  });

  test('survival functions: geometric (1 − p)^(k−1), Poisson tail against 1 − CDF', () => {
    expect(survival({ kind: 'geometric', p: 0.25 }, 3)).toBeCloseTo(0.5625, 12);
    expect(survival({ kind: 'geometric', p: 0.25 }, 0)).toBe(1);
    // P(N ≥ 2) for Poisson(3) = 1 − e^−3 (1 + 3)
    expect(survival({ kind: 'poisson', lambda: 3 }, 2)).toBeCloseTo(1 - Math.exp(-3) * 4, 12);
    expect(survival({ kind: 'poisson', lambda: 3 }, 0)).toBeCloseTo(1, 12);
  });

  test('rejects bad options, naming them', () => {
    const { g, x } = batch();
    expect(() => russianRouletteLogDet(g, x, { key: key(1), distribution: { kind: 'geometric', p: 1.5 } })).toThrow(/distribution\): expected a geometric p in \(0, 1\), received 1.5/);
    expect(() => truncatedLogDet(g, x, { key: key(1), nTerms: 0 })).toThrow(ArgumentError);
    expect(() => russianRouletteLogDet(g, x, { key: key(1), nProbes: 0 })).toThrow(/nProbes/);
  });
});
