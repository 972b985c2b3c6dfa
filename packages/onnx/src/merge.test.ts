import { PRIMITIVES } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { ExportError } from './errors.js';
import { mergeTraces } from './merge.js';
import type { TraceGraph } from './trace.js';

const reshape = PRIMITIVES.find((p) => p.name === 'reshape')!;

// x [n, 3] → reshape [3n] (a = 3, b = 0) and a log-det fill zeros [n]; and a slice of n − 1 rows.
function trace(n: number, extra: Partial<{ size: number; fill: number[] }> = {}): TraceGraph {
  return {
    batch: n,
    nodes: [
      { kind: 'input', name: 'x', shape: [n, 3], dtype: 'float32' },
      { kind: 'op', prim: reshape, inputs: [0], attrs: { shape: [extra.size ?? 3 * n] }, shape: [extra.size ?? 3 * n], dtype: 'float32' },
      { kind: 'const', values: Float32Array.from(extra.fill ?? new Array<number>(n).fill(0)), shape: [n], dtype: 'float32' },
      { kind: 'const', values: Float32Array.of(1, 2), shape: [2], dtype: 'float32' },
    ],
    outputs: [{ name: 'y', node: 1 }],
  };
}

describe('mergeTraces', () => {
  it('solves sizes that follow the batch as a·n + b from two traces', () => {
    const g = mergeTraces(trace(13), trace(19));
    expect(g.nodes[0]!.shape).toEqual([{ a: 1, b: 0 }, 3]);
    expect(g.nodes[1]!.kind === 'op' && g.nodes[1]!.attrs).toEqual({ shape: [{ a: 3, b: 0 }] });
    expect(g.nodes[2]).toMatchObject({ kind: 'fill', value: 0, shape: [{ a: 1, b: 0 }] });
    expect(g.nodes[3]).toMatchObject({ kind: 'const', shape: [2] });
    // n − 1 rows: a = 1, b = −1.
    const h = mergeTraces(trace(13, { size: 12 }), trace(19, { size: 18 }));
    expect(h.nodes[1]!.kind === 'op' && h.nodes[1]!.attrs).toEqual({ shape: [{ a: 1, b: -1 }] });
  });

  it('refuses sizes that are not linear in the batch and constants computed from it', () => {
    // n(n + 1)/2 is 91 and 190: a = 99/6 is not an integer. (A quadratic that happens to give integers passes here;
    // the parity tests, run at batch sizes other than the traced ones, would catch it.)
    expect(() => mergeTraces(trace(13, { size: 91 }), trace(19, { size: 190 }))).toThrow(ExportError);
    expect(() => mergeTraces(trace(13, { fill: Array.from({ length: 13 }, (_, i) => i) }), trace(19, { fill: Array.from({ length: 19 }, (_, i) => i) }))).toThrow(/holds values that depend on the batch/);
  });
});
