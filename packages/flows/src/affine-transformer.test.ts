import { ArgumentError, ShapeError, tensor } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { affineTransformer } from './affine-transformer.js';

// θ for n = 1, d = 3, P = 2, written per entry j as [θ₁, θ₂].
const theta = [[[0.4, -1.2], [-2.5, 0.3], [9, 2]]];
const x = [[1.5, -0.7, 0.2]];
const clamp = (v: number, c: number) => c * Math.tanh(v / c);

describe('affineTransformer', () => {
  it("'scale-shift': y = x·exp(ŝ) + t, log τ' = ŝ, ŝ = c·tanh(s/c), and the inverse undoes it", async () => {
    const tau = affineTransformer({ scaleClamp: 2 });
    const { out, logDet } = tau.forwardAndLogDet(tensor(theta), tensor(x));
    const y = await out.data();
    const ld = await logDet.data();
    theta[0]!.forEach(([s, t], j) => {
      const sh = clamp(s!, 2);
      expect(y[j]).toBeCloseTo(x[0]![j]! * Math.exp(sh) + t!, 5);
      expect(ld[j]).toBeCloseTo(sh, 6);
    });
    const back = tau.inverseAndLogDet(tensor(theta), out);
    const xb = await back.out.data();
    const lb = await back.logDet.data();
    x[0]!.forEach((v, j) => expect(xb[j]).toBeCloseTo(v, 5));
    lb.forEach((v, j) => expect(v).toBeCloseTo(-ld[j]!, 6));
  });

  it("'standardize': y = (x − μ)·exp(−α̂), log τ' = −α̂ (MAF's reading of (μ, α))", async () => {
    const tau = affineTransformer({ form: 'standardize' });
    const { out, logDet } = tau.forwardAndLogDet(tensor(theta), tensor(x));
    const y = await out.data();
    const ld = await logDet.data();
    theta[0]!.forEach(([mu, a], j) => {
      const ah = clamp(a!, 3);
      expect(y[j]).toBeCloseTo((x[0]![j]! - mu!) * Math.exp(-ah), 5);
      expect(ld[j]).toBeCloseTo(-ah, 6);
    });
    const back = await tau.inverseAndLogDet(tensor(theta), out).out.data();
    x[0]!.forEach((v, j) => expect(back[j]).toBeCloseTo(v, 4));
  });

  it('is the identity at its identityParams, and leaves the log-scale unclamped with c = Infinity', async () => {
    const tau = affineTransformer({ scaleClamp: Infinity });
    const id = tensor([[[...tau.identityParams], [...tau.identityParams]]]);
    expect(Array.from(await tau.forwardAndLogDet(id, tensor([[3, -4]])).out.data())).toEqual([3, -4]);
    const big = await tau.forwardAndLogDet(tensor([[[5, 0]]]), tensor([[1]])).logDet.data();
    expect(big[0]).toBeCloseTo(5, 6);
  });

  it('names bad arguments', () => {
    expect(() => affineTransformer({ scaleClamp: 0 })).toThrow(ArgumentError);
    expect(() => affineTransformer({ form: 'shift' as 'standardize' })).toThrow(/form\): received "shift"; expected 'scale-shift' or 'standardize'/);
    expect(() => affineTransformer().forwardAndLogDet(tensor([[[1, 2, 3]]]), tensor([[1]]))).toThrow(ShapeError);
  });
});
