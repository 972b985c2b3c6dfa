import { describe, expect, it } from 'vitest';
import { energyDistance, mmd } from './metrics.js';

describe('energyDistance', () => {
  it('matches the closed form for two points sets on a line', () => {
    // x = {0, 1}, y = {3}: E|X−Y| = (3 + 2)/2, E|X−X′| = 1, E|Y−Y′| = 0 (no pairs).
    expect(energyDistance(Float32Array.of(0, 1), Float32Array.of(3), 1)).toBeCloseTo(2 * 2.5 - 1, 12);
  });
  it('is near zero for two large samples of one law and large for shifted ones', () => {
    const n = 400;
    const a = Float32Array.from({ length: n * 2 }, (_, i) => Math.sin(i * 12.9898) * 0.5);
    const b = Float32Array.from({ length: n * 2 }, (_, i) => Math.sin((i + 7) * 12.9898) * 0.5);
    const far = b.map((v) => v + 3);
    expect(Math.abs(energyDistance(a, b, 2))).toBeLessThan(0.02);
    expect(energyDistance(a, far, 2)).toBeGreaterThan(3);
  });
});

describe('mmd', () => {
  it('matches a hand computation for one kernel', () => {
    // x = {0, 1}, y = {0}, h = 1: k(0,1) = e^{−1/2}; xx pairs: e^{−1/2}; yy: none; xy mean: (1 + e^{−1/2})/2.
    const e = Math.exp(-0.5);
    expect(mmd(Float32Array.of(0, 1), Float32Array.of(0), 1, [1])).toBeCloseTo(e - (1 + e), 12);
  });
});
