import { describe, expect, it, vi } from 'vitest';

// A page whose Content Security Policy lacks 'unsafe-eval' makes `new Function`
// throw an EvalError. Installed before the engine is imported, so every
// elementwise primitive is built under it.
vi.hoisted(() => {
  const Original = globalThis.Function;
  globalThis.Function = new Proxy(Original, {
    construct() {
      throw new EvalError("Refused to evaluate a string as JavaScript because 'unsafe-eval' is not an allowed source");
    },
  });
});

const { add, div, equal, exp, floor, less, maximum, mul, neg, sign, sqrt, sub, tanh, tensor } = await import('../index.js');
const { elementwiseCodegen } = await import('./elementwise.js');

const f32 = (v: number) => Math.fround(v);
const xs = [-2.5, -1, -0, 0, 0.25, 1, 3.75, Number.NaN, Number.POSITIVE_INFINITY];
const ys = [1.5, -1, 0, -0, 0.25, 2, -3.75, 1, 2];

describe('CPU elementwise ops without code generation (strict Content Security Policy)', () => {
  it('falls back to the shared loops', () => {
    expect(elementwiseCodegen()).toBe(false);
  });

  it('computes unary ops as Math does, rounded to float32', () => {
    const x = tensor(xs, [xs.length]);
    const cases: Array<[string, (t: typeof x) => typeof x, (v: number) => number]> = [
      ['neg', neg, (v) => -v], ['floor', floor, Math.floor], ['sign', sign, Math.sign], ['sqrt', sqrt, Math.sqrt],
      ['exp', exp, Math.exp], ['tanh', tanh, Math.tanh],
    ];
    for (const [name, op, ref] of cases) {
      const got = Array.from(op(x).dataSync());
      const want = xs.map((v) => f32(ref(v)));
      // exp and tanh go through the SIMD kernels only for 64+ elements: here the loop computes them exactly as Math does.
      expect(got, name).toEqual(want);
    }
  });

  it('computes binary ops with broadcasting, comparisons as 0/1 masks, and NaN-propagating maximum', () => {
    const a = tensor(xs, [xs.length]);
    const b = tensor(ys, [ys.length]);
    const pairs = xs.map((v, i) => [v, ys[i]!] as const);
    expect(Array.from(add(a, b).dataSync())).toEqual(pairs.map(([p, q]) => f32(p + q)));
    expect(Array.from(sub(a, b).dataSync())).toEqual(pairs.map(([p, q]) => f32(p - q)));
    expect(Array.from(div(a, b).dataSync())).toEqual(pairs.map(([p, q]) => f32(p / q)));
    expect(Array.from(less(a, b).dataSync())).toEqual(pairs.map(([p, q]) => (p < q ? 1 : 0)));
    expect(Array.from(equal(a, b).dataSync())).toEqual(pairs.map(([p, q]) => (p === q ? 1 : 0)));
    expect(Array.from(maximum(a, b).dataSync())).toEqual(pairs.map(([p, q]) => (Number.isNaN(p) || Number.isNaN(q) ? Number.NaN : Math.max(p, q) === 0 ? (Object.is(p, -0) && Object.is(q, -0) ? -0 : p) : Math.max(p, q))));
    // [2, 3] × [3] and [2, 1] × [1, 3]: both broadcast paths of the odometer loop.
    const m = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(Array.from(mul(m, tensor([10, 20, 30], [3])).dataSync())).toEqual([10, 40, 90, 40, 100, 180]);
    expect(Array.from(sub(tensor([1, 2], [2, 1]), tensor([10, 20, 30], [1, 3])).dataSync())).toEqual([-9, -19, -29, -8, -18, -28]);
  });

  it('keeps int32 arithmetic in int32', () => {
    const a = tensor(Int32Array.from([7, -7, 2147483647]), [3]);
    const b = tensor(Int32Array.from([2, 2, 1]), [3]);
    const s = add(a, b);
    expect(s.dtype).toBe('int32');
    expect(Array.from(s.dataSync())).toEqual([9, -5, -2147483648]);
  });
});
