import { key } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { dequantize, logitTransform } from './dequantize.js';

describe('dequantize', () => {
  it('puts (v + u)/levels in [v/levels, (v+1)/levels) with a uniform offset of mean ½', () => {
    const v = Array.from({ length: 6000 }, (_, i) => i % 256);
    const x = dequantize(v, 256, key(1));
    let offset = 0;
    for (let i = 0; i < v.length; i++) {
      expect(x[i]).toBeGreaterThanOrEqual(v[i]! / 256);
      expect(x[i]).toBeLessThan((v[i]! + 1) / 256);
      offset += x[i]! * 256 - v[i]!;
    }
    // Mean of 6000 U(0,1): sd 0.0037.
    expect(Math.abs(offset / v.length - 0.5)).toBeLessThan(0.015);
    expect(Array.from(dequantize(v, 256, key(1)))).toEqual(Array.from(x));
  });

  it('rejects values outside the levels', () => {
    expect(() => dequantize([0, 17], 17, key(1))).toThrow(/integers in \[0, 17\), received 17 at index 1/);
    expect(() => dequantize([0.5], 17, key(1))).toThrow(/received 0.5/);
  });
});

describe('logitTransform', () => {
  it('maps x to logit(α + (1−2α)x) and returns the row log-det, checked by central differences', () => {
    const alpha = 0.05;
    const xs = [0.1, 0.5, 0.93, 0.0, 0.999, 0.3];
    const y = Float32Array.from(xs);
    const logDet = logitTransform(y, 3, alpha);
    const f = (x: number) => {
      const s = alpha + (1 - 2 * alpha) * x;
      return Math.log(s / (1 - s));
    };
    xs.forEach((x, i) => expect(y[i]).toBeCloseTo(f(x), 5));
    const h = 1e-6;
    for (let r = 0; r < 2; r++) {
      let fd = 0;
      for (let j = 0; j < 3; j++) fd += Math.log((f(xs[3 * r + j]! + h) - f(xs[3 * r + j]! - h)) / (2 * h));
      expect(logDet[r]).toBeCloseTo(fd, 5);
    }
  });

  it('rejects α outside (0, ½)', () => {
    expect(() => logitTransform(new Float32Array(2), 2, 0.5)).toThrow(/0 < alpha < 0.5, received 0.5/);
  });
});
