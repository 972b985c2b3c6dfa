import { describe, expect, it } from 'vitest';
import { ArgumentError, grad, key, ShapeError, sum, tensor } from '@rheo/tensor';
import { maskedLinear } from './masked-linear';

describe('maskedLinear', () => {
  it('computes x (W ⊙ M)ᵀ + b like a hand computation', () => {
    const layer = maskedLinear(key(0), 3, 2, [[1, 0, 1], [0, 1, 1]]);
    const p = { w: tensor([[1, 2, 3], [4, 5, 6]]), b: tensor([0.5, -1]) };
    const y = layer.apply(p, tensor([[1, -1, 2], [0, 2, 1]]));
    // row 1: [1·1 + 3·2 + 0.5, 5·(−1) + 6·2 − 1] = [7.5, 6]; row 2: [3·1 + 0.5, 5·2 + 6·1 − 1] = [3.5, 15].
    expect(Array.from(y.dataSync())).toEqual([7.5, 6, 3.5, 15]);
  });

  it('keeps the mask out of the parameters and gives masked weights zero gradient', () => {
    const layer = maskedLinear(key(1), 2, 2, [[1, 0], [1, 1]]);
    expect(Object.keys(layer.params).sort()).toEqual(['b', 'w']);
    const g = grad((p: typeof layer.params) => sum(layer.apply(p, tensor([[3, 4]]))))(layer.params);
    // ∂/∂W_ij Σ y = M_ij x_j.
    expect(Array.from(g.w.dataSync())).toEqual([3, 0, 3, 4]);
  });

  it('rejects masks of the wrong shape or with values other than 0 and 1', () => {
    expect(() => maskedLinear(key(0), 3, 2, [[1, 0, 1]])).toThrow(ShapeError);
    expect(() => maskedLinear(key(0), 2, 1, [[1, 0.5]])).toThrow(ArgumentError);
    expect(() => maskedLinear(key(0), 2, 1, [[1, 0.5]])).toThrow(/entry \[0, 1\] is 0.5, expected 0 or 1/);
  });
});
