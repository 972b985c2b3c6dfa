import { describe, expect, it } from 'vitest';
import { ArgumentError, key, mean, memory, mul, sin, square, sub, tensor, tidy, uniform, valueAndGrad, type Tensor } from '@rheo/tensor';
import { adamInit, adamStep } from './adam';
import type { LinearParams } from './linear';
import { mlp } from './mlp';
import { disposeTree } from './tree-names';

/** Float64 forward pass of the same network, from the parameter values. */
function forward64(params: readonly LinearParams[], x: number[], act: (v: number) => number): number[] {
  let h = x;
  params.forEach((p, l) => {
    const [out, inp] = p.w.shape as [number, number];
    const w = p.w.dataSync(), b = p.b.dataSync();
    const next = Array.from({ length: out }, (_, o) => {
      let s = b[o]!;
      for (let i = 0; i < inp; i++) s += w[o * inp + i]! * h[i]!;
      return s;
    });
    h = l < params.length - 1 ? next.map(act) : next;
  });
  return h;
}

describe('mlp', () => {
  const acts: [string, (v: number) => number][] = [
    ['relu', (v) => Math.max(v, 0)],
    ['tanh', Math.tanh],
    ['elu', (v) => (v > 0 ? v : Math.exp(v) - 1)],
    ['swish', (v) => v / (1 + Math.exp(-v))],
    ['lipSwish', (v) => v / (1 + Math.exp(-v)) / 1.1],
  ];
  it.each(acts)('forward with %s matches a float64 hand loop', (name, act) => {
    const net = mlp(key(1), [3, 5, 4, 2], { activation: name as 'relu' });
    expect(net.params.map((p) => p.w.shape)).toEqual([[5, 3], [4, 5], [2, 4]]);
    const x = [0.3, -1.2, 2];
    const y = net.apply(net.params, tensor([x])).dataSync();
    const ref = forward64(net.params, x, act);
    ref.forEach((r, i) => expect(y[i]).toBeCloseTo(r, 5));
  });

  it('rejects bad sizes and activations', () => {
    expect(() => mlp(key(0), [3])).toThrow(/mlp\(sizes\): expected at least two positive integer layer widths, received \[3\]/);
    expect(() => mlp(key(0), [3, 2], { activation: 'gelu' as 'relu' })).toThrow(ArgumentError);
  });

  it('fits sin(3x) with Adam: the loss falls at least tenfold', () => {
    const x = uniform(key(5), [64, 1], -1, 1);
    const y = sin(mul(x, 3));
    const net = mlp(key(6), [1, 32, 32, 1]);
    let params = net.params;
    let state = adamInit(params);
    const loss = (p: LinearParams[]): Tensor => mean(square(sub(net.apply(p, x), y)));
    const lossAt = (p: LinearParams[]): number => {
      const l = tidy(() => loss(p));
      const v = l.item();
      l.dispose();
      return v;
    };
    const first = lossAt(params);
    const before = memory().buffers;
    for (let step = 0; step < 300; step++) {
      const [value, g] = valueAndGrad(loss)(params);
      const [p2, s2] = adamStep(params, g, state, { lr: 1e-2 });
      disposeTree([params, state.m, state.v, g, value]);
      [params, state] = [p2, s2];
    }
    const last = lossAt(params);
    expect(memory().buffers).toBe(before);
    expect(first / last).toBeGreaterThanOrEqual(10);
  });
});
