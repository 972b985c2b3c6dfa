import { describe, expect, it } from 'vitest';
import { ArgumentError, key } from '@rheo/tensor';
import { blockMadeMasks, madeMasks } from './made-masks';

describe('madeMasks', () => {
  it('builds the masks of a 3-input MADE by hand', () => {
    // Degrees: inputs [1,2,3], hidden (u mod 2)+1 = [1,2,1,2], outputs [1,2,3].
    const { masks, hiddenDegrees, outputDegrees } = madeMasks(3, [4]);
    expect(hiddenDegrees).toEqual([[1, 2, 1, 2]]);
    expect(outputDegrees).toEqual([1, 2, 3]);
    expect(masks[0]).toEqual([[1, 0, 0], [1, 1, 0], [1, 0, 0], [1, 1, 0]]);
    expect(masks[1]).toEqual([[0, 0, 0, 0], [1, 0, 1, 0], [1, 1, 1, 1]]);
  });

  it('lays k outputs per dimension out as k chunks of d', () => {
    const { outputDegrees } = madeMasks(3, [2], { outputsPerInput: 2, order: 'reversed' });
    expect(outputDegrees).toEqual([3, 2, 1, 3, 2, 1]);
  });

  it('draws hidden degrees in [1, D−1] from a key, reproducibly', () => {
    const a = madeMasks(5, [40, 40], { hiddenDegrees: key(3) });
    const b = madeMasks(5, [40, 40], { hiddenDegrees: key(3) });
    expect(a.hiddenDegrees).toEqual(b.hiddenDegrees);
    for (const layer of a.hiddenDegrees) for (const m of layer) expect(m >= 1 && m <= 4).toBe(true);
    expect(new Set(a.hiddenDegrees[0]).size).toBe(4);
  });

  it('uses block indices as degrees for blockMadeMasks', () => {
    const { inputDegrees, hiddenDegrees } = blockMadeMasks(5, [3], 2);
    expect(inputDegrees).toEqual([1, 1, 2, 2, 3]);
    expect(hiddenDegrees).toEqual([[1, 2, 1]]);
  });

  it('rejects bad orders and sizes with clear messages', () => {
    expect(() => madeMasks(3, [4], { order: [0, 0, 1] })).toThrow(/madeMasks\(order\): expected a permutation of 0..2, received \[0, 0, 1\]/);
    expect(() => madeMasks(0, [4])).toThrow(ArgumentError);
    expect(() => madeMasks(3, [4], { outputsPerInput: 0 })).toThrow(/outputsPerInput/);
  });
});
