import { describe, expect, it } from 'vitest';
import { add, concat, pad, slice, tensor, type Tensor } from '../../index.js';
import { outputArray } from './buffer-pool.js';
import { copyRowsKernel } from './wasm-copy.js';

// Row copies in WebAssembly for concat, slice and pad on pooled storage, checked
// against index arithmetic written out here (not against the ops' JavaScript loops).

const dense = (shape: readonly number[], seed: number): Tensor => {
  const n = shape.reduce((a, b) => a * b, 1);
  // add(…, 0) puts the values in pooled storage, where the kernel runs.
  return add(tensor(Float32Array.from({ length: n }, (_, i) => Math.fround(Math.sin(seed * 1000 + i) * 100)), [...shape]), 0);
};
const strides = (s: readonly number[]) => s.map((_, i) => s.slice(i + 1).reduce((a, b) => a * b, 1));
const unravel = (flat: number, s: readonly number[]) => strides(s).map((st, i) => Math.floor(flat / st) % s[i]!);
const ravel = (idx: readonly number[], s: readonly number[]) => idx.reduce((a, v, i) => a + v * strides(s)[i]!, 0);

// Cases drawn by a small linear congruential generator: ranks 1–4, sizes 1–9.
function* cases(count: number, seed: number): Generator<{ s: number[]; pick: (n: number) => number }> {
  let state = seed >>> 0;
  const pick = (n: number) => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0), Math.floor((state / 2 ** 32) * n));
  for (let c = 0; c < count; c++) yield { s: Array.from({ length: 1 + pick(4) }, () => 1 + pick(9)), pick };
}

describe('row copies in WebAssembly', () => {
  it('applies to pooled 4-byte storage, not to other arrays', () => {
    const a = outputArray('float32', 64), b = outputArray('float32', 64);
    expect(copyRowsKernel(a, b)).toBeDefined();
    expect(copyRowsKernel(new Float32Array(10), a)).toBeUndefined();
  });

  it('concat along any axis puts each element where its index says', () => {
    for (const { s, pick } of cases(60, 1)) {
      const axis = pick(s.length);
      const widths = Array.from({ length: 1 + pick(4) }, () => 1 + pick(7));
      const parts = widths.map((w, k) => dense(s.map((d, i) => (i === axis ? w : d)), k));
      const out = concat(parts, axis);
      const o = out.dataSync();
      let start = 0;
      parts.forEach((p) => {
        const v = p.dataSync();
        v.forEach((x, flat) => {
          const idx = unravel(flat, p.shape);
          idx[axis]! += start;
          expect(o[ravel(idx, out.shape)]).toBe(x);
        });
        start += p.shape[axis]!;
      });
    }
  });

  it('slice and pad are each other\'s inverse on the window, and pad fills the rest', () => {
    for (const { s, pick } of cases(60, 2)) {
      const x = dense(s, 3);
      const p = s.map((): [number, number] => [pick(4), pick(4)]);
      const padded = pad(x, p, -7);
      const ps = padded.shape, pv = padded.dataSync(), xv = x.dataSync();
      pv.forEach((v, flat) => {
        const idx = unravel(flat, ps);
        const inside = idx.every((k, i) => k >= p[i]![0] && k < p[i]![0] + s[i]!);
        expect(v).toBe(inside ? xv[ravel(idx.map((k, i) => k - p[i]![0]), s)] : -7);
      });
      const back = slice(padded, p.map((q) => q[0]), [...s]).dataSync();
      expect(Array.from(back)).toEqual(Array.from(xv));
    }
  });

  it('copies bits: NaN payloads, signalling ones included, and the tails of odd rows', () => {
    const bits = [0x7fc00001, 0x7f800001, -1, 0x80000000 | 0, 5, 0x7fbfffff, 12345678];
    const src = outputArray('float32', 3 * 9) as Float32Array, dst = outputArray('float32', 2 * 11) as Float32Array;
    const s32 = new Int32Array(src.buffer, src.byteOffset, 27), d32 = new Int32Array(dst.buffer, dst.byteOffset, 22);
    s32.set([...bits, 1, 2, ...bits.map((b) => b ^ 0x10), 3, 4, ...bits, 6, 7]);
    d32.fill(0x55555555);
    // Two rows of 7 from rows 1 and 2 of a [3, 9] array into a [2, 11] one at column 2.
    copyRowsKernel(src, dst)!(src.byteOffset + 4 * 9, 4 * 9, dst.byteOffset + 4 * 2, 4 * 11, 2, 4 * 7);
    const fill = 0x55555555;
    expect(Array.from(d32)).toEqual([fill, fill, ...bits.map((b) => b ^ 0x10), fill, fill, fill, fill, ...bits, fill, fill]);
  });

  it('int32 tensors (not pooled) take the JavaScript copy with the same result', () => {
    const v = [3, -4, 5, 0x7fffffff, -0x80000000, 9, 11];
    const i = tensor(Int32Array.from(v), [7], 'int32');
    expect(Array.from(slice(concat([i, i], 0), [3], [7]).dataSync())).toEqual([...v.slice(3), ...v.slice(0, 3)]);
  });
});
