import { eye, key, normal, type Tensor } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { luLinear } from './lu-linear.js';
import { luFactors, randomRotation } from './random-rotation-lu.js';
import { logAbsDet } from './testing/index.js';
import { jacobians } from './testing/jacobian.js';
import { perturb } from './testing/perturb.js';

async function host(t: Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

describe('random rotation and its LU factors', () => {
  it('Q is orthogonal, and P L (U + diag s) rebuilds it', () => {
    const d = 6;
    const q = randomRotation(key(1), d);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let dot = 0;
        for (let r = 0; r < d; r++) dot += q[r * d + i]! * q[r * d + j]!;
        expect(dot).toBeCloseTo(i === j ? 1 : 0, 12);
      }
    }
    const f = luFactors(q, d);
    for (let i = 0; i < d; i++) {
      const row = f.perm[i]!;
      for (let j = 0; j < d; j++) {
        let v = 0;
        for (let m = 0; m < d; m++) {
          const u = m === j ? f.sign[m]! * Math.exp(f.logAbsDiag[m]!) : f.upper[m * d + j]!;
          v += f.lower[row * d + m]! * u;
        }
        expect(v).toBeCloseTo(q[i * d + j]!, 12);
      }
    }
    // |det Q| = 1.
    expect(f.logAbsDiag.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12);
  });
});

describe('luLinear', () => {
  it('starts at a rotation: the brute-force Jacobian is orthogonal and the log-det 0', async () => {
    const t = luLinear(key(2), 4);
    const x = normal(key(3), [2, 4]);
    const [J] = await jacobians((v) => t.forwardAndLogDet(t.params, null, v).out, x);
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        const dot = J!.reduce((a, row) => a + row[i]! * row[j]!, 0);
        expect(dot).toBeCloseTo(i === j ? 1 : 0, 5);
      }
    }
    for (const v of await host(t.forwardAndLogDet(t.params, null, x).logDet)) expect(Math.abs(v)).toBeLessThan(1e-6);
  });

  it('log-det = Σ log|s| matches log |det| of the brute-force Jacobian away from the init', async () => {
    const t = luLinear(key(4), 6);
    const p = perturb(t.params, key(5), 0.5);
    const x = normal(key(6), [3, 6]);
    const Js = await jacobians((v) => t.forwardAndLogDet(p, null, v).out, x);
    const ld = await host(t.forwardAndLogDet(p, null, x).logDet);
    const sumLog = (await host(p.logAbsDiag)).reduce((a, b) => a + b, 0);
    Js.forEach((J, s) => {
      expect(logAbsDet(Float64Array.from(J.flat()), 6)).toBeCloseTo(sumLog, 4);
      expect(ld[s]).toBeCloseTo(sumLog, 5);
    });
  });

  it('on images mixes channels at each pixel with the same matrix (a 1×1 convolution), log-det × h·w', async () => {
    const t = luLinear(key(7), 3);
    const p = perturb(t.params, key(8), 0.4);
    // W from the flat layer: rows e_k map to column k of Wᵀ, i.e. W[i][k] = out[k][i].
    const wt = await host(t.forwardAndLogDet(p, null, eye(3)).out);
    const x = normal(key(9), [2, 3, 2, 2]);
    const { out, logDet } = t.forwardAndLogDet(p, null, x);
    const [xs, zs] = [await host(x), await host(out)];
    for (let s = 0; s < 2; s++) {
      for (let px = 0; px < 4; px++) {
        for (let i = 0; i < 3; i++) {
          const want = [0, 1, 2].reduce((a, k) => a + wt[k * 3 + i]! * xs[s * 12 + k * 4 + px]!, 0);
          expect(zs[s * 12 + i * 4 + px]).toBeCloseTo(want, 5);
        }
      }
    }
    const sumLog = (await host(p.logAbsDiag)).reduce((a, b) => a + b, 0);
    for (const v of await host(logDet)) expect(v).toBeCloseTo(4 * sumLog, 4);
  });

  it('names a wrong shape', () => {
    const t = luLinear(key(0), 3);
    expect(() => t.forwardAndLogDet(t.params, null, normal(key(0), [2, 4]))).toThrow(/luLinear: input has shape \[2, 4\]; expected \[n, 3\] or \[n, 3, h, w\]/);
  });
});
