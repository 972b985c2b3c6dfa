import { expect } from 'vitest';
import { tensor } from '../creation.js';
import type { DType } from '../dtype.js';
import type { Tensor } from '../tensor.js';
import { type Ref, sizeOfShape } from './reference.js';

/**
 * Mulberry32 (Tommy Ettinger, 2017): a tiny seeded generator for test inputs,
 * independent of the library's own PRNG.
 */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n values in [-1, 1) from a linear congruential generator (Numerical Recipes constants), as float32. */
export function lcgFloats(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/**
 * Random values rounded to float32, so the reference sees exactly what the
 * backend sees and the comparison measures only the kernel's arithmetic.
 */
export function randomRef(next: () => number, shape: readonly number[], lo = -2, hi = 2): Ref {
  const data = new Float64Array(sizeOfShape(shape));
  for (let i = 0; i < data.length; i++) data[i] = Math.fround(lo + (hi - lo) * next());
  return { shape: [...shape], data };
}

export function toTensor(x: Ref, dtype: DType = 'float32'): Tensor {
  return tensor(dtype === 'int32' ? Int32Array.from(x.data) : Float32Array.from(x.data), x.shape, dtype);
}

/** Reads a tensor through the asynchronous path every backend supports. */
export async function readRef(t: Tensor): Promise<Ref> {
  const v = await t.data();
  return { shape: [...t.shape], data: Float64Array.from(v) };
}

/**
 * |actual − expected| ≤ atol + rtol·|expected| elementwise, with the first
 * offending index in the failure message. Shapes must match exactly.
 */
export function expectClose(actual: Ref, expected: Ref, atol: number, rtol: number, what = ''): void {
  expect(actual.shape, `${what} shape`).toEqual([...expected.shape]);
  expectCloseData(actual.data, expected.data, atol, rtol, what);
}

export function expectCloseData(actual: ArrayLike<number>, expected: ArrayLike<number>, atol: number, rtol: number, what = ''): void {
  expect(actual.length, `${what} length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!, e = expected[i]!;
    if (Number.isNaN(e)) {
      expect(Number.isNaN(a), `${what}[${i}]: expected NaN, received ${a}`).toBe(true);
      continue;
    }
    if (!Number.isFinite(e)) {
      expect(a, `${what}[${i}]`).toBe(e);
      continue;
    }
    const ok = Math.abs(a - e) <= atol + rtol * Math.abs(e);
    expect(ok, `${what}[${i}]: received ${a}, expected ${e} (atol ${atol}, rtol ${rtol})`).toBe(true);
  }
}
