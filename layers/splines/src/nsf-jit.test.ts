import { flattenTree, fold, jit, key, mul, normal, valueAndGrad, type Key, type Tensor, type TensorTree } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { nsf } from './index.js';

const bits = (t: Tensor) => Array.from(new Uint32Array(Float32Array.from(t.dataSync()).buffer));

// The spline kernels (bin search, rational-quadratic pieces, tails) replayed by jit against eager calls.
describe('nsf under jit', () => {
  it.each([['coupling', {}], ['autoregressive', { form: 'autoregressive' as const }]])('%s: loss and gradient replay bit for bit', (_name, form) => {
    const spec = nsf(key(1), 3, { transforms: 2, hidden: [16], bins: 5, ...form }).fitSpec;
    const step = (a: { p: TensorTree; x: Tensor; b: TensorTree }, k?: Key) => {
      const [l, g] = valueAndGrad((p: TensorTree) => spec.loss(p, a.x, { key: k!, buffers: a.b as never, training: true }))(a.p);
      return { l, g };
    };
    const f = jit(step as never) as unknown as typeof step & { stats: () => { recordings: number; replays: number } };
    for (let s = 0; s < 4; s++) {
      // Past the tails (|x| > 3) too: the identity outside the spline's interval.
      const args = { p: spec.params as TensorTree, x: mul(normal(fold(key(9), s), [8, 3]), 2.5), b: (spec.buffers ?? []) as TensorTree };
      const [got, want] = [f(args, key(s)), step(args, key(s))];
      expect(bits(got.l)).toEqual(bits(want.l));
      expect(flattenTree(got.g).leaves.map(bits)).toEqual(flattenTree(want.g).leaves.map(bits));
    }
    expect(f.stats()).toMatchObject({ recordings: 1, replays: 3 });
  });
});
