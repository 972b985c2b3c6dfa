import { describe, expect, it } from 'vitest';
import '../backends/cpu.js';
import { scalar, tensor } from '../creation.js';
import { key } from '../random/key.js';
import { normal, uniform } from '../random/samplers.js';
import type { Tensor } from '../tensor.js';
import { add } from './add.js';
import { div } from './div.js';
import { maximum } from './maximum.js';
import { mul } from './mul.js';
import { sqrt } from './sqrt.js';
import { sub } from './sub.js';
import { elementwiseChain } from './elementwise-chain.js';

const bits = (t: Tensor) => Array.from(new Uint32Array(Float32Array.from(t.dataSync()).buffer));

describe('elementwiseChain', () => {
  it.each([[[]], [[3]], [[5, 7]], [[64, 33]]])('gives the bits of its ops one by one, shape %j', (shape) => {
    const x = normal(key(1), shape), y = normal(key(2), shape), c = scalar(0.3);
    // (x·y − c) / √(y² + 1)
    const got = elementwiseChain([x, y, c, scalar(1)], [
      { op: 'mul', args: [0, 1] }, { op: 'sub', args: [4, 2] }, { op: 'mul', args: [1, 1] },
      { op: 'add', args: [6, 3] }, { op: 'sqrt', args: [7] }, { op: 'div', args: [5, 8] },
    ]);
    const want = div(sub(mul(x, y), 0.3), sqrt(add(mul(y, y), 1)));
    expect(got.shape).toEqual(shape);
    expect(bits(got)).toEqual(bits(want));
  });

  it('copies operands from outside the pool (a sampler\'s plain array) and gives the same bits', () => {
    const u = uniform(key(3), [100]), x = normal(key(4), [100]);
    const got = elementwiseChain([u, x], [{ op: 'add', args: [0, 1] }, { op: 'mul', args: [2, 1] }, { op: 'maximum', args: [3, 0] }]);
    expect(bits(got)).toEqual(bits(maximum(mul(add(u, x), x), u)));
  });

  it('keeps the kernel of a frozen op list across calls, and reads an unfrozen one afresh each call', () => {
    const x = normal(key(5), [40]), y = normal(key(6), [40]);
    const frozen = Object.freeze([Object.freeze({ op: 'mul', args: Object.freeze([0, 1]) })]);
    expect(bits(elementwiseChain([x, y], frozen))).toEqual(bits(mul(x, y)));
    expect(bits(elementwiseChain([y, y], frozen))).toEqual(bits(mul(y, y)));
    const loose = [{ op: 'mul', args: [0, 1] }];
    expect(bits(elementwiseChain([x, y], loose))).toEqual(bits(mul(x, y)));
    loose[0]!.op = 'sub';
    expect(bits(elementwiseChain([x, y], loose))).toEqual(bits(sub(x, y)));
  });

  it('rejects bad chains by argument', () => {
    const x = tensor([1, 2]);
    expect(() => elementwiseChain([], [{ op: 'add', args: [0, 0] }])).toThrow(/elementwiseChain\(inputs\): expected a non-empty array/);
    expect(() => elementwiseChain([x], [{ op: 'tanh', args: [0] }])).toThrow(/ops\[0\]\): expected \{ op, args \} with a fusable elementwise op/);
    expect(() => elementwiseChain([x], [{ op: 'add', args: [0] }])).toThrow(/ops\[0\]/);
    expect(() => elementwiseChain([x], [{ op: 'add', args: [0, 1] }])).toThrow(/ops\[0\]\.args\): expected indices below 1/);
    expect(() => elementwiseChain([x, tensor([1, 2, 3])], [{ op: 'add', args: [0, 1] }])).toThrow(/inputs\[1\]\): shape \[3\]; expected \[2\] or one element/);
    expect(() => elementwiseChain([tensor([1], [1], 'int32')], [{ op: 'neg', args: [0] }])).toThrow(/inputs\[0\]\): expected float32, received int32/);
  });
});
