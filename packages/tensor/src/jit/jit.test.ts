import { describe, expect, it, vi } from 'vitest';
import '../backends/cpu.js';
import { grad, hvp, valueAndGrad } from '../autodiff.js';
import { tensor, zeros } from '../creation.js';
import { memory, run, tidy } from '../engine.js';
import type { Primitive } from '../primitive.js';
import { abs } from '../ops/abs.js';
import { add } from '../ops/add.js';
import { div } from '../ops/div.js';
import { maximum } from '../ops/maximum.js';
import { neg } from '../ops/neg.js';
import { sqrt } from '../ops/sqrt.js';
import { sub } from '../ops/sub.js';
import { matmul } from '../ops/matmul.js';
import { mul } from '../ops/mul.js';
import { sum } from '../ops/sum.js';
import { tanh } from '../ops/tanh.js';
import { permutation } from '../random/discrete.js';
import { type Key, fold, key, keyedValue, split } from '../random/key.js';
import { normal, uniform } from '../random/samplers.js';
import type { Tensor } from '../tensor.js';
import { jit, TraceError } from './jit.js';

const rand = (k: Key, shape: number[]) => normal(k, shape);
const bits = (t: Tensor) => Array.from(new Uint32Array(t.dataSync().buffer.slice(0)));

// Σ tanh(xW + b)², with its gradient in W and b: the gradient chain plus a bias.
type P = { w: Tensor; b: Tensor };
const loss = (p: P, x: Tensor) => sum(mul(tanh(add(matmul(x, p.w), p.b)), tanh(add(matmul(x, p.w), p.b))));
const step = ({ p, x }: { p: P; x: Tensor }) => {
  const [l, g] = valueAndGrad((q: P) => loss(q, x))(p);
  return { l, g };
};

describe('jit', () => {
  it('replays a gradient step bit for bit as an eager call computes it, on new arguments', () => {
    const f = jit(step);
    for (let i = 0; i < 4; i++) {
      const [k1, k2, k3] = split(key(i), 3);
      const args = { p: { w: rand(k1!, [16, 8]), b: rand(k2!, [8]) }, x: rand(k3!, [32, 16]) };
      const got = f(args);
      const want = step(args);
      expect(bits(got.l)).toEqual(bits(want.l));
      expect(bits(got.g.w)).toEqual(bits(want.g.w));
      expect(bits(got.g.b)).toEqual(bits(want.g.b));
    }
    expect(f.stats()).toMatchObject({ recordings: 1, replays: 3, eager: 0, programs: 1 });
  });

  it('gives the closed-form gradient: dΣtanh(xW)²/dW = xᵀ(2 t (1 − t²))', () => {
    const f = jit(({ w, x }: { w: Tensor; x: Tensor }) => grad((v: Tensor) => sum(mul(tanh(matmul(x, v)), tanh(matmul(x, v)))))(w));
    const x = [[0.5, -1], [2, 0.25], [-0.75, 1.5]];
    const w = [[0.3, -0.2], [0.1, 0.4]];
    f({ w: tensor(w), x: tensor(x) }); // recording
    const w2 = [[-0.6, 0.2], [0.35, 0.1]];
    const g = f({ w: tensor(w2), x: tensor(x) }).toArray() as number[][];
    expect(f.stats().replays).toBe(1);
    for (let a = 0; a < 2; a++) {
      for (let c = 0; c < 2; c++) {
        let want = 0;
        for (let r = 0; r < 3; r++) {
          const t = Math.tanh(x[r]![0]! * w2[0]![c]! + x[r]![1]! * w2[1]![c]!);
          want += x[r]![a]! * 2 * t * (1 - t * t);
        }
        expect(g[a]![c]!).toBeCloseTo(want, 5);
      }
    }
  });

  it('draws from the key of each call: split, fold and samplers follow it', () => {
    const fn = ({ x }: { x: Tensor }, k?: Key) => {
      const [a, b] = split(k!, 2);
      return add(mul(x, normal(b!, [4, 3])), uniform(fold(a!, 7), [4, 3]));
    };
    const f = jit(fn);
    const x = tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9], [1, 0, -1]]);
    for (let s = 0; s < 5; s++) expect(bits(f({ x }, key(s)))).toEqual(bits(fn({ x }, key(s))));
    expect(f.stats()).toMatchObject({ recordings: 1, replays: 4 });
    expect(() => f({ x })).toThrow(/draws from its key; expected a Key, received undefined/);
  });

  it('records once per keyedValue outcome and replays the matching one', () => {
    // A host-drawn length, as a Russian-roulette series draws its number of terms.
    const fn = ({ x }: { x: Tensor }, k?: Key) => {
      const n = keyedValue(k!, (kk) => 1 + (kk.k0 % 3));
      let y = x;
      for (let i = 0; i < n; i++) y = tanh(add(y, normal(fold(k!, i), [5])));
      return y;
    };
    const f = jit(fn);
    const x = tensor([0.1, -0.2, 0.3, 0.4, -0.5]);
    const outcomes = new Set<number>();
    for (let s = 0; s < 12; s++) {
      outcomes.add(1 + (key(s).k0 % 3));
      expect(bits(f({ x }, key(s)))).toEqual(bits(fn({ x }, key(s))));
    }
    expect(f.stats()).toMatchObject({ recordings: outcomes.size, replays: 12 - outcomes.size, programs: outcomes.size });
  });

  it('refuses to replay host reads of computed values or of key words, and runs eagerly instead', () => {
    const reads = ({ x }: { x: Tensor }) => mul(x, x.dataSync()[0]!);
    const strict = jit(reads, { onUntraceable: 'error' });
    expect(() => strict({ x: tensor([2, 3]) })).toThrow(TraceError);
    const lax = jit(reads, { onUntraceable: 'eager' });
    expect(Array.from(lax({ x: tensor([2, 3]) }).dataSync())).toEqual([4, 6]);
    expect(Array.from(lax({ x: tensor([5, 1]) }).dataSync())).toEqual([25, 5]);
    expect(lax.stats()).toMatchObject({ recordings: 1, eager: 1, replays: 0 });
    expect(lax.stats().untraceable).toMatch(/dataSync\(\) of a \[2\] float32 tensor/);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const perm = jit(({ x }: { x: Tensor }, k?: Key) => add(x, permutation(k!, 3)));
    expect(Array.from(perm({ x: zeros([3], 'int32') }, key(1)).dataSync()).sort()).toEqual([0, 1, 2]);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/reads the words of its key on the host/));
    warn.mockRestore();
  });

  it('captures outside tensors by value, folds constant ops and drops unused ones', () => {
    const c = tensor([1, 2, 3]);
    const f = jit(({ x }: { x: Tensor }) => {
      tanh(x); // unused
      return add(x, mul(c, 2)); // mul(c, 2) is a constant
    });
    f({ x: tensor([0, 0, 0]) });
    c.dispose();
    expect(Array.from(f({ x: tensor([1, 1, 1]) }).dataSync())).toEqual([3, 5, 7]);
    expect(f.stats().kernels).toBe(1);
  });

  it('frees every intermediate: storage after a replay is the inputs and the outputs', () => {
    const f = jit(step);
    const args = { p: { w: rand(key(1), [16, 8]), b: rand(key(2), [8]) }, x: rand(key(3), [32, 16]) };
    tidy(() => f(args)); // recording
    const before = memory().buffers;
    for (let i = 0; i < 3; i++) {
      const out = f(args);
      expect(memory().buffers).toBe(before + 3);
      out.l.dispose();
      out.g.w.dispose();
      out.g.b.dispose();
    }
    expect(memory().buffers).toBe(before);
  });

  it('gives back every intermediate when a kernel fails mid-replay', () => {
    let fail = false;
    const boom: Primitive = {
      name: 'boom',
      infer: ([x]) => x!,
      cpu: ([x]) => {
        if (fail) throw new Error('kernel failed');
        return Float32Array.from(x!.values);
      },
    };
    const f = jit(({ x }: { x: Tensor }) => add(run(boom, [tanh(mul(x, x))], {}), x));
    const x = tensor([1, 2, 3]);
    f({ x }).dispose();
    const before = memory().buffers;
    fail = true;
    expect(() => f({ x })).toThrow('kernel failed');
    expect(memory().buffers).toBe(before);
    fail = false;
    const again = f({ x }).dataSync();
    [1, 2, 3].forEach((v, i) => expect(again[i]).toBeCloseTo(Math.tanh(v * v) + v, 6));
  });

  it('runs eagerly under an outer gradient trace, so gradients flow through it', () => {
    const f = jit(({ x }: { x: Tensor }) => mul(tanh(x), x));
    const outer = grad((x: Tensor) => sum(f({ x })));
    const g = outer(tensor([0.5, -1])).dataSync();
    for (const [i, x] of [0.5, -1].entries()) expect(g[i]).toBeCloseTo(Math.tanh(x) + x * (1 - Math.tanh(x) ** 2), 6);
    expect(f.stats().eager).toBe(1);
  });

  it('replays second-order programs (Hessian-vector products) and records again for new shapes', () => {
    const fn = ({ x, v }: { x: Tensor; v: Tensor }) => hvp((y: Tensor) => sum(mul(tanh(y), mul(y, y))), x, v);
    const f = jit(fn);
    for (const n of [3, 3, 4, 4]) {
      const args = { x: rand(key(n), [n]), v: rand(key(n + 10), [n]) };
      expect(bits(f(args))).toEqual(bits(fn(args)));
    }
    expect(f.stats()).toMatchObject({ recordings: 2, replays: 2, programs: 2 });
  });

  it('rejects bad arguments by name', () => {
    expect(() => jit(3 as never)).toThrow(/jit\(fn\): expected a function/);
    expect(() => jit(step, { onUntraceable: 'never' as never })).toThrow(/onUntraceable.*received "never"/);
    expect(() => jit(step, { maxVariants: 0 })).toThrow(/maxVariants.*received 0/);
    const f = jit(() => 3 as never);
    expect(() => f({ x: tensor([1]) } as never)).toThrow(/returned 3; expected a tensor/);
    expect(() => jit(step)({ p: { w: zeros([2, 2]), b: zeros([2]) }, x: zeros([1, 2]) }, 'k' as never)).toThrow(/expected a PRNG Key/);
  });
});

describe('jit fusion of elementwise chains (CPU)', () => {
  // 9 elementwise ops on one shape with scalar operands: one fused loop when large enough for the pool.
  const chain = ({ x, y }: { x: Tensor; y: Tensor }) => {
    const a = add(mul(x, y), 0.5);
    const b = maximum(sub(a, mul(y, y)), neg(x));
    return div(sqrt(abs(b)), add(y, 3));
  };
  it.each([[1], [7], [33], [1000]])('gives the bits of the ops run one by one, n = %i', (n) => {
    const f = jit(chain);
    const unfused = jit(chain, { fuse: false });
    for (let s = 0; s < 3; s++) {
      const args = { x: rand(key(s), [n]), y: rand(key(s + 50), [n]) };
      const want = bits(chain(args));
      expect(bits(f(args))).toEqual(want);
      expect(bits(unfused(args))).toEqual(want);
    }
    expect(unfused.stats().kernels).toBe(10);
    if (n >= 1000) expect(f.stats().kernels).toBe(1);
  });

  it('keeps a chain result that something else reads, and never fuses across a non-elementwise op', () => {
    const f = jit(({ x }: { x: Tensor }) => {
      const h = mul(x, x); // read twice below: stays a kernel of its own... unless both readers join one chain
      const t = tanh(h); // an approximation kernel: not fused
      return { a: add(h, 1), b: mul(t, 2), c: sum(mul(h, 3)) };
    });
    const x = rand(key(9), [64, 16]);
    const want = (({ a, b, c }) => [bits(a), bits(b), bits(c)])(tidy(() => {
      const h = mul(x, x);
      return { a: add(h, 1), b: mul(tanh(h), 2), c: sum(mul(h, 3)) };
    }));
    f({ x });
    const got = f({ x });
    expect([bits(got.a), bits(got.b), bits(got.c)]).toEqual(want);
    // mul(x,x), add, tanh, mul(t,2), mul(h,3), sum: h has three readers, so nothing fuses with it.
    expect(f.stats().kernels).toBe(6);
  });
});
