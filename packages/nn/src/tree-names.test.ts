import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, scalar, tensor, zeros } from '@rheo/tensor';
import { adamInit } from './adam';
import { emaInit } from './ema';
import { disposeTree, namedToTree, treeToNamed } from './tree-names';

describe('treeToNamed / namedToTree', () => {
  const params = { mlp: [{ w: tensor([[1, 2]]), b: tensor([3]) }], scale: tensor(4) };

  it('names leaves by their dotted paths, counters as int32 scalars', () => {
    const named = treeToNamed({ params, adam: adamInit(params), ema: emaInit(params) });
    expect(Object.keys(named).sort()).toEqual([
      'adam.m.mlp.0.b', 'adam.m.mlp.0.w', 'adam.m.scale', 'adam.step',
      'adam.v.mlp.0.b', 'adam.v.mlp.0.w', 'adam.v.scale',
      'ema.average.mlp.0.b', 'ema.average.mlp.0.w', 'ema.average.scale', 'ema.step',
      'params.mlp.0.b', 'params.mlp.0.w', 'params.scale',
    ]);
    expect(named['params.mlp.0.w']).toBe(params.mlp[0]!.w);
    expect(named['adam.step']!.dtype).toBe('int32');
  });

  it('round-trips a training state through names', () => {
    const state = { params, adam: { ...adamInit(params), step: 7 }, ema: emaInit(params) };
    const named = treeToNamed(state);
    // Fresh tensors with the same values, as a loaded file would give.
    const loaded = Object.fromEntries(Object.entries(named).map(([n, t]) => [n, tensor(t.dataSync().slice(), t.shape, t.dtype)]));
    const back = namedToTree(state, loaded);
    expect(back.adam.kind).toBe('adam-state');
    expect(back.adam.step).toBe(7);
    expect(back.params.mlp[0]!.w.toArray()).toEqual([[1, 2]]);
    expect(back.params.scale.item()).toBe(4);
    expect(back.ema.average.mlp[0]!.b.toArray()).toEqual([3]);
    expect(back.params.mlp[0]!.w).toBe(loaded['params.mlp.0.w']);
  });

  it('names the missing, mis-shaped and extra entries', () => {
    const named = treeToNamed(params);
    const { 'mlp.0.b': _, ...missing } = named;
    expect(() => namedToTree(params, missing)).toThrow(/missing entry "mlp\.0\.b" \(expected float32 \[1\]\)/);
    expect(() => namedToTree(params, { ...named, 'mlp.0.w': zeros([2, 1]) })).toThrow(ShapeError);
    expect(() => namedToTree(params, { ...named, 'mlp.0.w': zeros([2, 1]) })).toThrow(/entry "mlp\.0\.w" is float32 \[2, 1\], expected float32 \[1, 2\]/);
    expect(() => namedToTree(params, { ...named, extra: zeros([1]) })).toThrow(/1 entries not in the template: "extra"/);
    expect(() => namedToTree({ step: 3 }, { step: scalar(3) })).toThrow(/expected an int32 scalar/);
  });

  it('rejects values it cannot name', () => {
    expect(() => treeToNamed({ 'a.b': tensor([1]) })).toThrow(ArgumentError);
    expect(() => treeToNamed({ lr: 0.5 })).toThrow(/number 0.5 at lr is not an int32 integer/);
    const fn = { apply: () => 1 } as unknown as { [k: string]: never };
    expect(() => treeToNamed(fn)).toThrow(/found a function at apply/);
  });

  it('disposeTree disposes every tensor', () => {
    const t = { a: [tensor([1]), tensor([2])], kind: 'x', n: 3 };
    disposeTree(t);
    expect(t.a.every((x) => x.isDisposed)).toBe(true);
  });
});

it('asks for a name for a lone tensor', () => {
  expect(() => treeToNamed(tensor([1]))).toThrow(/a lone tensor has no name/);
});
