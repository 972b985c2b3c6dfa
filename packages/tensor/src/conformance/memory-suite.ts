import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hvp, valueAndGrad } from '../autodiff.js';
import { tensor } from '../creation.js';
import { keep, memory, tidy } from '../engine.js';
import { logsumexp } from '../math/reductions.js';
import { add } from '../ops/add.js';
import { matmul } from '../ops/matmul.js';
import { mul } from '../ops/mul.js';
import { sum } from '../ops/sum.js';
import { tanh } from '../ops/tanh.js';
import type { Tensor } from '../tensor.js';

const ITERATIONS = 12;

/** Live buffers after each iteration of `step`; a leak shows as growth. */
function buffersPerIteration(step: () => void): number[] {
  const counts: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    step();
    counts.push(memory().buffers);
  }
  return counts;
}

export function describeMemory(): void {
  describe('memory', () => {
    // Created in the tests, after the backend is selected, so they live on it.
    let w: Tensor;
    let x: Tensor;
    const loss = (p: Tensor): Tensor => sum(tanh(matmul(x, p)));
    beforeAll(() => {
      w = tensor([[0.5, -0.25, 0.1], [0.2, 0.3, -0.4]]);
      x = tensor([[1, 2], [3, -1], [0.5, 0.25]]);
    });
    afterAll(() => {
      w.dispose();
      x.dispose();
    });

    test('tidy(() => valueAndGrad(...)) in a loop holds no extra buffers', async () => {
      const before = memory().buffers;
      const counts = buffersPerIteration(() => {
        tidy(() => {
          const [value, g] = valueAndGrad(loss)(w);
          return add(value, sum(g));
        }).dispose();
      });
      expect(counts).toEqual(counts.map(() => before));
    });

    test('a loop that keeps one result per iteration and frees it grows by nothing else', async () => {
      const before = memory().buffers;
      const counts = buffersPerIteration(() => {
        const kept = tidy(() => keep(valueAndGrad(loss)(w)[1]));
        kept.dispose();
      });
      expect(counts).toEqual(counts.map(() => before));
    });

    test('hvp in a loop holds no extra buffers', async () => {
      const v = tensor([0.3, -0.7, 1.1]);
      const y = tensor([0.1, 0.2, -0.3]);
      const before = memory().buffers;
      const counts = buffersPerIteration(() => {
        tidy(() => hvp((z: Tensor) => add(logsumexp(z), sum(mul(z, mul(z, z)))), y, v)).dispose();
      });
      expect(counts).toEqual(counts.map(() => before));
      v.dispose();
      y.dispose();
    });
  });
}
