import { flattenTree, fold, jit, key, normal, tensor, valueAndGrad, type Key, type Tensor, type TensorTree } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import type { Model } from './model.js';
import { glow, maf, realNVP, residualFlow, saef } from './index.js';

// Every preset's training loss and gradient, replayed by jit, against eager calls with the same
// parameters, batch and key: the same kernels in the same order give the same bits.
const CASES: Array<[string, () => Model, number, number]> = [
  ['realnvp', () => realNVP(key(1), 3, { transforms: 3, hidden: [16] }), 3, 0],
  ['maf conditional', () => maf(key(2), 3, { transforms: 2, hidden: [16], context: 2 }), 3, 2],
  ['residual-flow (roulette)', () => residualFlow(key(3), 2, { blocks: 3, hidden: [16], logDet: 'russian-roulette' }), 2, 0],
  ['glow', () => glow(key(4), 16, { levels: 1, steps: 2, hidden: [16] }), 16, 0],
  ['saef', () => saef(key(5), 3, { blockSize: 2, hidden: [16] }), 3, 0],
];

const bits = (t: Tensor) => Array.from(new Uint32Array(t.dataSync().buffer.slice(0)));

describe.each(CASES)('jit of preset %s', (name, make, d, c) => {
  it('replays the loss and gradient bit for bit on new batches and keys', () => {
    const spec = make().fitSpec;
    const step = (a: { p: TensorTree; x: TensorTree; b: TensorTree }, k?: Key) => {
      const [l, g] = valueAndGrad((p: TensorTree) => spec.loss(p, a.x as never, { key: k!, buffers: a.b as never, training: true }))(a.p);
      return { l, g };
    };
    const f = jit(step as never) as unknown as typeof step;
    for (let s = 0; s < 8; s++) {
      const rows = normal(fold(key(50), s), [6, d]);
      const x = c > 0 ? { x: rows, context: normal(fold(key(51), s), [6, c]) } : rows;
      const args = { p: spec.params as TensorTree, x: x as TensorTree, b: (spec.buffers ?? tensor([0])) as TensorTree };
      const got = f(args, key(s));
      const want = step(args, key(s));
      expect(bits(got.l)).toEqual(bits(want.l));
      const [gotG, wantG] = [flattenTree(got.g).leaves, flattenTree(want.g).leaves];
      expect(gotG.length).toBeGreaterThan(0);
      expect(gotG.map(bits)).toEqual(wantG.map(bits));
    }
    const stats = (f as unknown as { stats: () => { recordings: number; replays: number } }).stats();
    // The residual flow records once per series length its blocks share; the others once.
    if (name.startsWith('residual')) expect(stats.recordings).toBeLessThanOrEqual(4);
    else expect(stats.recordings).toBe(1);
    expect(stats.replays).toBe(8 - stats.recordings);
  });
});
