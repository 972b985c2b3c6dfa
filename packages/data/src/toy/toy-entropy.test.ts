import { ArgumentError, key } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { toyEntropy } from './toy-entropy.js';
import { toyLogDensity } from './toy-log-density.js';

const N = 200_000;

/** −∫∫ p log p over a square by the midpoint rule, p given pointwise; p = 0 contributes 0. */
function gridEntropy(p: (x: number, y: number) => number, half: number, cells: number): number {
  const h = (2 * half) / cells;
  let s = 0;
  for (let i = 0; i < cells; i++) {
    for (let j = 0; j < cells; j++) {
      const v = p(-half + (i + 0.5) * h, -half + (j + 0.5) * h);
      if (v > 0) s -= v * Math.log(v);
    }
  }
  return s * h * h;
}

describe('toyEntropy', () => {
  it('8gaussians: the Monte Carlo estimate agrees with −∫ p log p of the mixture written out directly', () => {
    // The mixture from its definition, a plain sum of the 8 Gaussian densities (centres 4/√2 · (cos kπ/4,
    // sin kπ/4), std 0.5/√2), independent of toyLogDensity's log-sum-exp.
    const sigma = 0.5 / Math.SQRT2;
    const p = (x: number, y: number): number => {
      let s = 0;
      for (let k = 0; k < 8; k++) {
        const dx = x - (4 / Math.SQRT2) * Math.cos((k * Math.PI) / 4);
        const dy = y - (4 / Math.SQRT2) * Math.sin((k * Math.PI) / 4);
        s += Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma)) / (2 * Math.PI * sigma * sigma);
      }
      return s / 8;
    };
    const exact = gridEntropy(p, 6, 1200);
    // Nearly disjoint components: H ≈ log 8 + log(2πeσ²), less a little for the overlap.
    expect(Math.abs(exact - (Math.log(8) + Math.log(2 * Math.PI * Math.E * sigma * sigma)))).toBeLessThan(0.02);
    const { entropy, standardError } = toyEntropy('8gaussians', key(0), N);
    expect(standardError).toBeGreaterThan(0.001);
    expect(standardError).toBeLessThan(0.004);
    expect(Math.abs(entropy - exact)).toBeLessThan(4 * standardError);
  });

  it('checkerboard: log 32 exactly, with standard error 0', () => {
    const { entropy, standardError } = toyEntropy('checkerboard', key(0), N);
    expect(entropy).toBe(Math.log(32));
    expect(standardError).toBe(0);
  });

  it.each([
    ['rings', 4, 800],
    ['circles', 5, 500],
  ] as const)('%s: the Monte Carlo estimate agrees with −∫ p log p on a grid', (name, half, cells) => {
    const logp = toyLogDensity(name);
    const one = new Float64Array(2);
    const p = (x: number, y: number): number => {
      one[0] = x;
      one[1] = y;
      return Math.exp(logp(one)[0]!);
    };
    const exact = gridEntropy(p, half, cells);
    const { entropy, standardError } = toyEntropy(name, key(0), N);
    expect(Math.abs(entropy - exact)).toBeLessThan(4 * standardError);
  });

  it('is reproducible by key, and gives NaN for the standard error of a single draw', () => {
    expect(toyEntropy('rings', key(3), 500)).toEqual(toyEntropy('rings', key(3), 500));
    expect(toyEntropy('rings', key(3), 500)).not.toEqual(toyEntropy('rings', key(4), 500));
    const one = toyEntropy('circles', key(1), 1);
    expect(Number.isFinite(one.entropy)).toBe(true);
    expect(one.standardError).toBeNaN();
  });

  it('is undefined for the sets without a closed-form density', () => {
    for (const name of ['moons', '2spirals', 'pinwheel', 'swissroll'] as const) expect(toyEntropy(name, key(0), 10)).toBeUndefined();
  });

  it('rejects an unknown name, a bad n or a non-key', () => {
    expect(() => toyEntropy('gaussians' as never, key(0), 10)).toThrow(/toyEntropy\(name\): expected one of .* received "gaussians"/);
    expect(() => toyEntropy('rings', key(0), 0)).toThrow(ArgumentError);
    expect(() => toyEntropy('rings', key(0), 0)).toThrow(/toyEntropy\(n\): expected a positive integer, received 0/);
    expect(() => toyEntropy('rings', key(0), 2.5)).toThrow(/received 2.5/);
    expect(() => toyEntropy('moons', key(0), -1)).toThrow(ArgumentError);
    expect(() => toyEntropy('rings', { k0: 1, k1: 2 } as never, 10)).toThrow(/toyEntropy\(key\): expected a PRNG Key/);
  });
});
