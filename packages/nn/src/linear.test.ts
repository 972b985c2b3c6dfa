import { expect, it } from 'vitest';
import { key, tensor } from '@rheo/tensor';
import { applyLinear, linear } from './linear';

it('computes x Wᵀ + b like a hand computation', () => {
  const y = applyLinear({ w: tensor([[1, 2], [3, 4], [5, 6]]), b: tensor([0.5, -1, 2]) }, tensor([[1, -1]]));
  expect(Array.from(y.dataSync())).toEqual([1 - 2 + 0.5, 3 - 4 - 1, 5 - 6 + 2]);
});

it('initialises W within the Glorot bound', () => {
  const m = linear(key(0), 4, 2);
  const a = Math.sqrt(6 / 6);
  expect(m.params.w.shape).toEqual([2, 4]);
  for (const v of m.params.w.dataSync()) expect(Math.abs(v)).toBeLessThanOrEqual(a);
});
