import { ArgumentError, ShapeError, setBackend, tensor, zeros } from '@rheo/tensor';
import { beforeAll, describe, expect, test } from 'vitest';
import { rationalQuadraticSpline, rationalQuadraticSplineInverse } from './rational-quadratic-spline.js';
import { rationalQuadraticTransformer } from './rational-quadratic-transformer.js';
import { lcg, randomParams } from './spline-checks.js';
import { referenceForward, type ReferenceOptions } from './spline-reference.js';

beforeAll(async () => {
  await setBackend('cpu', { quiet: true });
});

describe('rationalQuadraticTransformer', () => {
  test('takes 3K − 1 parameters per dimension of a batch [n, d] and returns per-element log-dets', async () => {
    const o: ReferenceOptions = { bins: 5, bound: 2, minBinWidth: 0.01, minBinHeight: 0.02, minDerivative: 0.05 };
    const t = rationalQuadraticTransformer(o);
    expect(t.paramsPerDim).toBe(14);
    expect(t.identityParams).toEqual(new Array(14).fill(0));
    expect(t.kind).toBe('rational-quadratic-spline');
    const [n, d] = [4, 3];
    const p = randomParams(n * d, o, 2, 1);
    const next = lcg(2);
    const x = Float32Array.from({ length: n * d }, () => (2 * next() - 1) * 2.5);
    const { out, logDet } = t.forwardAndLogDet(tensor(p, [n, d, 14]), tensor(x, [n, d]));
    expect(out.shape).toEqual([n, d]);
    expect(logDet.shape).toEqual([n, d]);
    const y = await out.data(), l = await logDet.data();
    for (let i = 0; i < n * d; i++) {
      const r = referenceForward(x[i]!, Array.from(p.subarray(i * 14, (i + 1) * 14)), o);
      expect(Math.abs(y[i]! - r.y), `y at ${i}`).toBeLessThan(1e-5);
      expect(Math.abs(l[i]! - Math.log(r.dydx)), `log-det at ${i}`).toBeLessThan(1e-4);
    }
    const back = await t.inverseAndLogDet(tensor(p, [n, d, 14]), out).out.data();
    for (let i = 0; i < n * d; i++) expect(Math.abs(back[i]! - x[i]!)).toBeLessThan(1e-5);
  });

  test('one bin is the identity whatever its parameters: slope 1 and end derivatives 1', async () => {
    const o: ReferenceOptions = { bins: 1, bound: 3, minBinWidth: 0, minBinHeight: 0, minDerivative: 1e-3 };
    const v = [-3.5, -3, -1, 0, 2.9, 3];
    const p = tensor(randomParams(6, o, 3, 5), [6, 2]);
    for (const r of [rationalQuadraticSpline(tensor(v), p, o), rationalQuadraticSplineInverse(tensor(v), p, o)]) {
      const out = 'y' in r ? r.y : r.x;
      const got = await out.data(), l = await r.logDet.data();
      v.forEach((x, i) => expect(Math.abs(got[i]! - x)).toBeLessThanOrEqual(4e-7));
      expect(Array.from(l).every((d) => Math.abs(d) < 1e-6)).toBe(true);
    }
  });

  test('errors name the argument, what was received and what was expected', () => {
    const x = zeros([2, 3]);
    expect(() => rationalQuadraticSpline(x, zeros([2, 3, 5]), { bins: 8 })).toThrow(ShapeError);
    expect(() => rationalQuadraticSpline(x, zeros([2, 3, 5]), { bins: 8 })).toThrow(/3·bins − 1 = 23.*\[2, 3, 5\]/);
    expect(() => rationalQuadraticSplineInverse(x, zeros([2, 4, 23]))).toThrow(/rationalQuadraticSplineInverse.*\[2, 4, 23\].*\[2, 3\]/);
    expect(() => rationalQuadraticTransformer({ bins: 0 })).toThrow(ArgumentError);
    expect(() => rationalQuadraticTransformer({ bins: 0 })).toThrow(/options\.bins.*received 0/);
    expect(() => rationalQuadraticTransformer({ bound: -1 })).toThrow(/options\.bound.*> 0.*-1/);
    expect(() => rationalQuadraticTransformer({ bins: 10, minBinWidth: 0.1 })).toThrow(/minBinWidth.*0\.1/);
    expect(() => rationalQuadraticTransformer({ minDerivative: 1 })).toThrow(/minDerivative.*\[0, 1\)|minDerivative < 1/);
  });
});
