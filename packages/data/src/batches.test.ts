import { ArgumentError, key, type Tensor } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { batches } from './batches.js';
import { matrix } from './matrix.js';

// Row i holds (i, −i), so a batch's rows name themselves.
const rows = 23;
const data = matrix(Float32Array.from({ length: 2 * rows }, (_, j) => (j % 2 === 0 ? j / 2 : -(j - 1) / 2)), rows, 2);

function collect(it: Iterable<Tensor>): number[][] {
  const out: number[][] = [];
  for (const t of it) {
    const v = Array.from(t.dataSync());
    for (let r = 0; r < t.shape[0]!; r++) expect(v[2 * r + 1]).toBe(-v[2 * r]!);
    out.push(v.filter((_, j) => j % 2 === 0));
    t.dispose();
  }
  return out;
}

describe('batches', () => {
  it('visits every row exactly once per epoch, with a short last batch', () => {
    const got = collect(batches(key(1), data, 5, { epochs: 2 }));
    expect(got.map((b) => b.length)).toEqual([5, 5, 5, 5, 3, 5, 5, 5, 5, 3]);
    const e0 = got.slice(0, 5).flat();
    const e1 = got.slice(5).flat();
    const all = Array.from({ length: rows }, (_, i) => i);
    expect([...e0].sort((a, b) => a - b)).toEqual(all);
    expect([...e1].sort((a, b) => a - b)).toEqual(all);
    expect(e1).not.toEqual(e0);
    expect(e0).not.toEqual(all);
  });

  it('replays the same order from the same key and a different one from another key', () => {
    const a = collect(batches(key(2), data, 4)).flat();
    expect(collect(batches(key(2), data, 4)).flat()).toEqual(a);
    expect(collect(batches(key(3), data, 4)).flat()).not.toEqual(a);
  });

  it('drops the short last batch with dropLast', () => {
    const got = collect(batches(key(1), data, 5, { dropLast: true }));
    expect(got.map((b) => b.length)).toEqual([5, 5, 5, 5]);
    expect(new Set(got.flat()).size).toBe(20);
  });

  it('runs endlessly with epochs: Infinity', () => {
    const it = batches(key(1), data, 10, { epochs: Infinity });
    for (let i = 0; i < 9; i++) it.next().value!.dispose();
    expect(it.next().done).toBe(false);
  });

  it('rejects a bad batch size', () => {
    expect(() => batches(key(1), data, 0).next()).toThrow(ArgumentError);
    expect(() => batches(key(1), data, 30, { dropLast: true }).next()).toThrow(/would yield nothing/);
  });
});
