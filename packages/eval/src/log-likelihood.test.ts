import { describe, expect, it } from 'vitest';
import { bitsPerDim, logLikelihoodSummary } from './log-likelihood.js';

describe('bitsPerDim and logLikelihoodSummary', () => {
  it('gives 8 bits/dim for the uniform density on [0,1)^D (NLL 0) and on [0,256)^D (NLL D·ln 256)', () => {
    expect(bitsPerDim(0, { dims: 784 })).toBeCloseTo(8, 12);
    expect(bitsPerDim(64 * Math.log(256), { dims: 64, scale: 'byte' })).toBeCloseTo(8, 12);
    // Halving the density everywhere costs exactly one bit per example: 1/D bits/dim.
    expect(bitsPerDim(Math.LN2, { dims: 4 })).toBeCloseTo(8.25, 12);
  });

  it('uses log₂ L bits/dim for the uniform density over L levels (17 grey levels of the 8×8 digits)', () => {
    expect(bitsPerDim(0, { dims: 64, levels: 17 })).toBeCloseTo(Math.log2(17), 12);
    expect(bitsPerDim(0, { dims: 64, levels: 2 })).toBeCloseTo(1, 12);
    // The byte scale is already per level: no shift whatever L is.
    expect(bitsPerDim(64 * Math.log(17), { dims: 64, scale: 'byte', levels: 17 })).toBeCloseTo(Math.log2(17), 12);
    expect(() => bitsPerDim(0, { dims: 4, levels: 1 })).toThrow(/options\.levels.*integer ≥ 2.*received 1/);
  });

  it('adds back the logit log-det: the logistic density on logit(x) is uniform x, so 8 bits/dim', () => {
    // For x ~ U(0,1), y = log x − log(1 − x) has the standard logistic density σ(y)(1 − σ(y)),
    // and log|dy/dx| = −log x − log(1 − x); ℓ_y + log|dy/dx| = 0 for every x.
    const d = 3;
    const rows = [[0.1, 0.5, 0.9], [0.3, 0.02, 0.77]];
    const ll: number[] = [];
    const ld: number[] = [];
    for (const x of rows) {
      let l = 0;
      let j = 0;
      for (const v of x) {
        const y = Math.log(v / (1 - v));
        const s = 1 / (1 + Math.exp(-y));
        l += Math.log(s) + Math.log(1 - s);
        j += -Math.log(v) - Math.log(1 - v);
      }
      ll.push(l);
      ld.push(j);
    }
    const r = logLikelihoodSummary(ll, { dims: d, preprocessLogDet: ld });
    expect(r.bitsPerDim).toBeCloseTo(8, 10);
    expect(r.bitsPerDimStandardError).toBeCloseTo(0, 10);
    expect(r.standardError).toBeGreaterThan(0.1);
  });

  it('reports mean NLL and the standard error s/√n', () => {
    const r = logLikelihoodSummary([-1, -2, -3, -6]);
    // mean ℓ = −3, NLL = 3; deviations 2, 1, 0, −3 → s² = 14/3, SE = √(14/3/4).
    expect(r.meanNll).toBeCloseTo(3, 14);
    expect(r.standardError).toBeCloseTo(Math.sqrt(14 / 12), 14);
    expect(r.count).toBe(4);
    expect(r.bitsPerDim).toBeUndefined();
    const b = logLikelihoodSummary([-1, -2, -3, -6], { dims: 2, scale: 'byte' });
    expect(b.bitsPerDim).toBeCloseTo(3 / (2 * Math.LN2), 14);
    expect(b.bitsPerDimStandardError).toBeCloseTo(Math.sqrt(14 / 12) / (2 * Math.LN2), 14);
  });

  it('rejects bad input with the argument named', () => {
    expect(() => logLikelihoodSummary([])).toThrow(/logLikelihoods/);
    expect(() => logLikelihoodSummary([0, Number.NaN])).toThrow(/index 1/);
    expect(() => bitsPerDim(0, { dims: 0 })).toThrow(/dims/);
    expect(() => logLikelihoodSummary([0, 1], { dims: 2, preprocessLogDet: [1] })).toThrow(/preprocessLogDet/);
  });
});
