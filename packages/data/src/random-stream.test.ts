import { key, permutation, uniform } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { normals, shuffledIndices, uniforms } from './random-stream.js';

describe('CPU random streams', () => {
  it('uniforms equal @rheo/tensor uniform for the same key', () => {
    const t = uniform(key(9), [50]);
    expect(Array.from(uniforms(key(9), 50), Math.fround)).toEqual(Array.from(t.dataSync()));
    t.dispose();
  });

  it('shuffledIndices equals @rheo/tensor permutation for the same key', () => {
    const t = permutation(key(4), 37);
    expect(Array.from(shuffledIndices(key(4), 37))).toEqual(Array.from(t.dataSync()));
    t.dispose();
  });

  it('normals have mean 0 and variance 1 (20,000 draws: sd of the mean 0.007, of the variance 0.01)', () => {
    const z = normals(key(3), 20000);
    const m = z.reduce((a, b) => a + b, 0) / z.length;
    const v = z.reduce((a, b) => a + (b - m) ** 2, 0) / z.length;
    expect(Math.abs(m)).toBeLessThan(0.03);
    expect(Math.abs(v - 1)).toBeLessThan(0.05);
    // P(|Z| < 1) = 0.6827.
    expect(Math.abs(z.filter((x) => Math.abs(x) < 1).length / z.length - 0.6827)).toBeLessThan(0.015);
  });
});
