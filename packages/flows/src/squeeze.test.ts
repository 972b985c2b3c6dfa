import { arange, key, normal, reshape, type Tensor } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { reshapeEvent } from './reshape-event.js';
import { squeeze } from './squeeze.js';

async function host(t: Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

describe('squeeze', () => {
  it('moves each 2×2 block into four channels: out[4k + 2i + j, y, x] = in[k, 2y + i, 2x + j]', async () => {
    const [n, c, h, w] = [2, 3, 4, 6];
    const x = reshape(arange(n * c * h * w), [n, c, h, w]);
    const { out, logDet } = squeeze().forwardAndLogDet([], null, x);
    expect(out.shape).toEqual([n, 4 * c, h / 2, w / 2]);
    const got = await host(out);
    for (let s = 0; s < n; s++) for (let k = 0; k < c; k++) for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) {
      for (let y = 0; y < h / 2; y++) for (let xx = 0; xx < w / 2; xx++) {
        const o = ((s * 4 * c + 4 * k + 2 * i + j) * (h / 2) + y) * (w / 2) + xx;
        const src = ((s * c + k) * h + 2 * y + i) * w + 2 * xx + j;
        expect(got[o]).toBe(src);
      }
    }
    expect(await host(logDet)).toEqual([0, 0]);
    expect(await host(squeeze().inverseAndLogDet([], null, out).out)).toEqual(await host(x));
  });

  it('names odd sizes', () => {
    expect(() => squeeze().forwardAndLogDet([], null, normal(key(0), [1, 1, 3, 2]))).toThrow(/squeeze: input has shape \[1, 1, 3, 2\]; expected h and w even/);
  });
});

describe('reshapeEvent', () => {
  it('relabels [n, 12] as [n, 3, 2, 2] and back, with log-det 0', async () => {
    const t = reshapeEvent([12], [3, 2, 2]);
    const x = normal(key(1), [2, 12]);
    const { out, logDet } = t.forwardAndLogDet([], null, x);
    expect(out.shape).toEqual([2, 3, 2, 2]);
    expect(await host(out)).toEqual(await host(x));
    expect(await host(logDet)).toEqual([0, 0]);
    expect(() => reshapeEvent([12], [5])).toThrow(/reshapeEvent\(from, to\): received \[12\] and \[5\]; expected positive shapes with equal sizes/);
  });
});
