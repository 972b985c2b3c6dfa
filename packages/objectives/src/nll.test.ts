import { describe, expect, test } from 'vitest';
import { ArgumentError, ShapeError, tensor } from '@rheo/tensor';
import { bitsPerDim, nllLoss, nllToBitsPerDim } from './nll.js';

describe('nllLoss and bits per dimension', () => {
  test('nll is minus the mean log-density', () => {
    expect(nllLoss(tensor([-1, -2, -4.5])).item()).toBeCloseTo(2.5, 6);
    expect(() => nllLoss(tensor([[1]]))).toThrow(ShapeError);
  });

  test('a uniform density on [0, 1)^D over 8-bit data costs exactly 8 bits per dimension', () => {
    // log p(y) = 0 for every y; the data density is 256^−D.
    expect(bitsPerDim(tensor([0, 0]), { dims: 12 }).item()).toBeCloseTo(8, 6);
  });

  test('a standard normal on D = 2 unscaled dims: bpd = nll / (2 ln 2)', () => {
    const logp = -Math.log(2 * Math.PI) - 0.5 * (0.25 + 1);
    expect(bitsPerDim(tensor([logp]), { dims: 2, scale: 1 }).item()).toBeCloseTo(-logp / (2 * Math.LN2), 6);
    expect(nllToBitsPerDim(tensor(3), { dims: 3, scale: 2 }).item()).toBeCloseTo((3 + 3 * Math.LN2) / (3 * Math.LN2), 6);
    expect(() => bitsPerDim(tensor([0]), { dims: 0 })).toThrow(ArgumentError);
  });
});
