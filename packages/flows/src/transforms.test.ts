import { tensor } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { permute } from './permutation.js';
import { describeLayerProperties, logAbsDet } from './testing/index.js';
import { TRANSFORM_CASES } from './testing/transform-cases.js';

describeLayerProperties({ describe, it }, 'the CPU', TRANSFORM_CASES);

describe('permutations', () => {
  it('moves columns as the index list says', async () => {
    const t = permute([2, 0, 1]);
    const { out } = t.forwardAndLogDet([], null, tensor([[10, 20, 30]]));
    expect(Array.from(await out.data())).toEqual([30, 10, 20]);
  });

  it('rejects a list that is not a permutation', () => {
    expect(() => permute([0, 0, 1])).toThrow(/permute\(perm\): received \[0, 0, 1\]; expected a permutation of 0\.\.2/);
  });
});

describe('the brute-force reference itself', () => {
  it('logAbsDet matches a closed form: det [[2, 1], [1, 3]] = 5, and a singular matrix gives -Infinity', () => {
    expect(logAbsDet(Float64Array.from([2, 1, 1, 3]), 2)).toBeCloseTo(Math.log(5), 12);
    expect(logAbsDet(Float64Array.from([0, 1, 1, 0]), 2)).toBeCloseTo(0, 12);
    expect(logAbsDet(Float64Array.from([1, 2, 2, 4]), 2)).toBe(-Infinity);
  });
});
