import { arange, key, normal, reshape, type Tensor, type TensorTree } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { actNorm } from './act-norm.js';
import { affineCoupling } from './affine-coupling.js';
import { standardNormal } from './base.js';
import { compose } from './compose.js';
import { flow, logProb, sample, sampleAndLogProb } from './flow.js';
import { luLinear } from './lu-linear.js';
import { multiscale } from './multiscale.js';
import { perturb } from './testing/perturb.js';

async function host(t: Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

/** Squeeze of one [c, h, w] image in float64 index arithmetic. */
function squeezeHost(v: number[], c: number, h: number, w: number): number[] {
  const out = new Array<number>(v.length);
  for (let k = 0; k < c; k++) for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) {
    for (let y = 0; y < h / 2; y++) for (let x = 0; x < w / 2; x++) {
      out[((4 * k + 2 * i + j) * (h / 2) + y) * (w / 2) + x] = v[(k * h + 2 * y + i) * w + 2 * x + j]!;
    }
  }
  return out;
}

describe('multiscale', () => {
  it('lays out the flat latent as factored-out halves in level order, then the last level', async () => {
    // Identity levels (ActNorm at its init), so the latent is pure bookkeeping.
    const t = multiscale([1, 4, 4], [actNorm(4), actNorm(8)]);
    const x = reshape(arange(32), [2, 1, 4, 4]);
    const { out, logDet } = t.forwardAndLogDet(t.params, t.buffers, x);
    expect(out.shape).toEqual([2, 16]);
    const got = await host(out);
    for (let s = 0; s < 2; s++) {
      const level0 = squeezeHost(Array.from({ length: 16 }, (_, i) => 16 * s + i), 1, 4, 4); // [4, 2, 2]
      const factored = level0.slice(0, 8); // channels 0, 1
      const level1 = squeezeHost(level0.slice(8), 2, 2, 2); // [8, 1, 1]
      expect(got.slice(16 * s, 16 * s + 16)).toEqual([...factored, ...level1]);
    }
    expect(await host(logDet)).toEqual([0, 0]);
  });

  it('makes a flow on images with a flat standard-normal base: samples invert to the same log-density', async () => {
    const levels = [
      compose([actNorm(8), luLinear(key(1), 8), affineCoupling(key(2), [8, 2, 2], { hidden: [8] })]),
      compose([actNorm(16), luLinear(key(3), 16)]),
    ];
    const f = flow(standardNormal(32), [multiscale([2, 4, 4], levels)]);
    const p = perturb(f.params as TensorTree, key(4), 0.2) as TensorTree[];
    const { x, logProb: lpSample } = sampleAndLogProb(f, p, f.buffers, key(5), 3);
    expect(x.shape).toEqual([3, 2, 4, 4]);
    const lp = await host(logProb(f, p, f.buffers, x));
    (await host(lpSample)).forEach((v, i) => expect(lp[i]).toBeCloseTo(v, 3));
    expect(sample(f, p, f.buffers, key(6), 2).shape).toEqual([2, 2, 4, 4]);
  });

  it('names bad shapes', () => {
    expect(() => multiscale([1, 6, 4], [actNorm(4), actNorm(8)])).toThrow(/multiscale\(eventShape\): received \[1, 6, 4\]; expected positive \[c, h, w\] with h and w divisible by 4/);
    const t = multiscale([1, 2, 2], [actNorm(3)]);
    expect(() => t.forwardAndLogDet(t.params, t.buffers, normal(key(0), [1, 1, 2, 2]))).toThrow(/actNorm: input has shape \[1, 4, 1, 1\]; expected \[n, 3\]/);
  });
});
