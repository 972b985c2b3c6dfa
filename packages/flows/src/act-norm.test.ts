import { key, normal, tensor, type Tensor } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { actNorm, actNormInit } from './act-norm.js';
import { perturb } from './testing/perturb.js';

async function host(t: Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

/** Mean and population std of channel k of a row-major [n, c, ...spatial] batch, in float64. */
function channelStats(v: number[], shape: readonly number[], k: number): [number, number] {
  const c = shape[1]!;
  const inner = shape.slice(2).reduce((a, b) => a * b, 1);
  const xs = v.filter((_, i) => Math.floor(i / inner) % c === k);
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return [m, Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length)];
}

describe('actNorm', () => {
  it('after data-dependent init, every feature has mean 0 and std 1 on the batch', async () => {
    const t = actNorm(3);
    // Columns with very different offsets and scales.
    const x = tensor(Array.from({ length: 64 }, (_, i) => [5 + Math.sin(i), -2 + 30 * Math.cos(3 * i), 0.01 * i]));
    const p = actNormInit(t.params, x);
    const out = await host(t.forwardAndLogDet(p, null, x).out);
    for (let k = 0; k < 3; k++) {
      const [m, s] = channelStats(out, [64, 3], k);
      expect(Math.abs(m)).toBeLessThan(1e-5);
      expect(s).toBeCloseTo(1, 4);
    }
  });

  it('on images, init normalises each channel over batch and pixels', async () => {
    const t = actNorm(2);
    const x = normal(key(1), [6, 2, 3, 3]);
    const shifted = tensor(Array.from(await x.data(), (v, i) => (Math.floor(i / 9) % 2 === 0 ? 4 * v + 7 : 0.5 * v - 3)), [6, 2, 3, 3]);
    const p = actNormInit(t.params, shifted);
    const out = await host(t.forwardAndLogDet(p, null, shifted).out);
    for (let k = 0; k < 2; k++) {
      const [m, s] = channelStats(out, [6, 2, 3, 3], k);
      expect(Math.abs(m)).toBeLessThan(1e-5);
      expect(s).toBeCloseTo(1, 4);
    }
  });

  it('log-det is (h·w) Σ logs, and z = (x + b) exp(logs) per channel', async () => {
    const t = actNorm(2);
    const p = perturb(t.params, key(2), 0.7);
    const x = normal(key(3), [2, 2, 2, 3]);
    const { out, logDet } = t.forwardAndLogDet(p, null, x);
    const [b, ls, xs, zs] = [await host(p.bias), await host(p.logScale), await host(x), await host(out)];
    const want = 6 * (ls[0]! + ls[1]!);
    for (const v of await host(logDet)) expect(v).toBeCloseTo(want, 5);
    xs.forEach((v, i) => {
      const k = Math.floor(i / 6) % 2;
      expect(zs[i]).toBeCloseTo((v + b[k]!) * Math.exp(ls[k]!), 5);
    });
  });

  it('names a wrong channel count', () => {
    const t = actNorm(3);
    expect(() => t.forwardAndLogDet(t.params, null, normal(key(0), [2, 4]))).toThrow(/actNorm: input has shape \[2, 4\]; expected \[n, 3\]/);
    expect(() => actNormInit(t.params, normal(key(0), [1, 3]))).toThrow(/expected at least 2 values per channel/);
  });
});
