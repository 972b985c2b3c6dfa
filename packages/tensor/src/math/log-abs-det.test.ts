import { describe, expect, it } from 'vitest';
import { grad, logAbsDetUnpivoted, ShapeError, sum, tensor } from '../index.js';

// Cofactor expansion in float64: an independent determinant.
function det(m: number[][]): number {
  if (m.length === 1) return m[0]![0]!;
  return m[0]!.reduce((acc, v, j) => acc + (j % 2 === 0 ? 1 : -1) * v * det(m.slice(1).map((r) => r.filter((_, c) => c !== j))), 0);
}

describe('logAbsDetUnpivoted', () => {
  const mats = [
    [[1.3, 0.2], [-0.4, 0.9]],
    [[-2, 0.5], [0.3, 1.1]],
    [[1.2, 0.1, -0.3], [0.2, 0.8, 0.4], [-0.1, 0.3, 1.5]],
  ];

  it('matches log |det| by cofactor expansion, for 2×2 and 3×3 batches and a negative determinant', () => {
    const two = tensor([mats[0]!, mats[1]!]);
    expect(Array.from(logAbsDetUnpivoted(two).dataSync())).toEqual(
      [mats[0]!, mats[1]!].map((m) => expect.closeTo(Math.log(Math.abs(det(m))), 6)),
    );
    const three = tensor([mats[2]!]);
    expect(logAbsDetUnpivoted(three).dataSync()[0]).toBeCloseTo(Math.log(Math.abs(det(mats[2]!))), 6);
  });

  it('has the gradient of log |det A|, A⁻ᵀ, checked by central differences', () => {
    const m = mats[2]!;
    const g = grad((a: ReturnType<typeof tensor>) => sum(logAbsDetUnpivoted(a)))(tensor([m])).dataSync();
    const h = 1e-5;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const up = m.map((r) => [...r]);
        const down = m.map((r) => [...r]);
        up[i]![j]! += h;
        down[i]![j]! -= h;
        const fd = (Math.log(Math.abs(det(up))) - Math.log(Math.abs(det(down)))) / (2 * h);
        expect(g[i * 3 + j]).toBeCloseTo(fd, 4);
      }
    }
  });

  it('refuses what is not a batch of square matrices', () => {
    expect(() => logAbsDetUnpivoted(tensor([[1, 2], [3, 4]]))).toThrow(ShapeError);
    expect(() => logAbsDetUnpivoted(tensor([[[1, 2, 3], [3, 4, 5]]]))).toThrow(/received shape \[1, 2, 3\]/);
  });
});
