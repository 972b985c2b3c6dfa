import { describe, expect, it } from 'vitest';
import { add, maximum, tensor } from '../index.js';
import { broadcastLayout, elementwiseCodegen } from './elementwise.js';

describe('elementwise loops', () => {
  it('are compiled per op where new Function is allowed (Node)', () => {
    add(tensor([1], [1]), tensor([2], [1])).dispose();
    expect(elementwiseCodegen()).toBe(true);
  });

  it('give each op its own result through the compiled copies (no shared code between ops)', () => {
    // add and maximum share the loop source; a mix-up between copies would show here.
    const a = tensor([1, -4, 3], [3]);
    const b = tensor([2, 5, -6], [3]);
    expect(Array.from(add(a, b).dataSync())).toEqual([3, 1, -3]);
    expect(Array.from(maximum(a, b).dataSync())).toEqual([2, 5, 3]);
  });

  it('merges contiguous axes and zeroes broadcast strides', () => {
    // [2, 3, 4] + [3, 4]: the last two axes merge into 12 for both operands; b repeats along axis 0.
    expect(broadcastLayout([2, 3, 4], [[2, 3, 4], [3, 4]])).toEqual({ shape: [2, 12], strides: [[12, 1], [0, 1]] });
    // [2, 3] * [2, 1]: nothing merges; b's last axis is broadcast.
    expect(broadcastLayout([2, 3], [[2, 3], [2, 1]])).toEqual({ shape: [2, 3], strides: [[3, 1], [1, 0]] });
  });
});
