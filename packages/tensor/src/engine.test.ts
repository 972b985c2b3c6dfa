import { describe, expect, test } from 'vitest';
import { add, exp, grad, keep, matmul, memory, mul, release, sum, tensor, tidy, valueAndGrad, vjp, zeros, type Tensor } from './index.js';

describe('memory scopes', () => {
  test('release() frees the previous value of a loop at once when nothing is traced', () => {
    const two = tensor(2);
    const before = memory().buffers;
    let x = tensor([1, 2]);
    for (let i = 0; i < 50; i++) {
      const next = mul(x, two);
      release(x);
      x = next;
    }
    // One live tensor, not 51; 1·2⁵⁰ and 2·2⁵⁰ are exact in float32.
    expect(memory().buffers).toBe(before + 1);
    expect(Array.from(x.dataSync())).toEqual([2 ** 50, 2 ** 51]);
    x.dispose();
    two.dispose();
    const k = keep(tensor([3]));
    release(k);
    expect(k.isDisposed).toBe(false);
    k.dispose();
  });

  test('release() leaves what a live trace needs, so the gradient through the loop is intact', () => {
    // f(w) = Σ (w³)·w computed as x ← x·w three times from x = w: d/dw Σ w⁴ = 4w³.
    const w = tensor([0.5, -2, 3]);
    const g = grad((v: Tensor) => {
      let x = v;
      for (let i = 0; i < 3; i++) {
        const next = mul(x, v);
        if (x !== v) release(x);
        x = next;
      }
      return sum(x);
    })(w);
    expect(Array.from(g.dataSync())).toEqual([0.5, -2, 3].map((v) => 4 * v ** 3));
    // An untraced starting value read by traced ops is needed by their backward pass too.
    const g2 = grad((v: Tensor) => {
      let x = tensor([1, 1, 1]);
      for (let i = 0; i < 2; i++) {
        const next = mul(x, v);
        release(x);
        x = next;
      }
      return sum(x);
    })(w);
    expect(Array.from(g2.dataSync())).toEqual([0.5, -2, 3].map((v) => 2 * v));
  });

  test('tidy disposes what it does not return', () => {
    const x = tensor([1, 2, 3]);
    const before = memory().buffers;
    const y = tidy(() => {
      const a = exp(x);
      const b = add(a, 1);
      return mul(b, 2);
    });
    expect(memory().buffers).toBe(before + 1);
    expect(y.isDisposed).toBe(false);
    y.dispose();
    expect(memory().buffers).toBe(before);
  });

  test('keep() survives the scope', () => {
    const before = memory().buffers;
    let k = zeros([1]);
    tidy(() => {
      k = keep(add(zeros([2]), 1));
    });
    expect(k.dataSync()).toEqual(new Float32Array([1, 1]));
    k.dispose();
    expect(memory().buffers).toBe(before + 1);
  });

  test('a training-style loop does not grow memory', () => {
    let w = tensor([[0.5, -0.25], [0.1, 0.2]]);
    const x = tensor([[1, 2], [3, 4]]);
    const loss = (p: typeof w) => sum(mul(matmul(x, p), matmul(x, p)));
    const counts: number[] = [];
    for (let i = 0; i < 20; i++) {
      const next = tidy(() => {
        const [, g] = valueAndGrad(loss)(w);
        return add(w, mul(g, -1e-3));
      });
      w.dispose();
      w = next;
      counts.push(memory().buffers);
    }
    expect(counts[19]).toBe(counts[2]);
  });

  test('a vjp pullback can be called many times inside its scope', () => {
    tidy(() => {
      const x = tensor([1, 2, 3]);
      const { pullback } = vjp((t) => mul(t, t), x);
      const a = pullback(tensor([1, 0, 0]));
      const b = pullback(tensor([0, 1, 1]));
      expect(Array.from(a.dataSync())).toEqual([2, 0, 0]);
      expect(Array.from(b.dataSync())).toEqual([0, 4, 6]);
    });
  });

  test('grad of a function that ignores its input is zero', () => {
    const g = grad((_t: ReturnType<typeof tensor>) => sum(tensor([1, 2])))(tensor([5, 6, 7]));
    expect(Array.from(g.dataSync())).toEqual([0, 0, 0]);
  });
});
