import { describe, expect, it } from 'vitest';
import { add, cos, tensor } from '../../index.js';
import { arenaOfArray, outputArray } from './buffer-pool.js';
import { COS_SIMD_LIMIT, simdCos } from './wasm-cos.js';

// The reference is the plain kernel's definition: Math.cos in float64, rounded once to float32.
const want = (x: number) => Math.fround(Math.cos(x));
const pooled = (xs: Float32Array) => add(tensor(xs, [xs.length]), 0);

function expectPlainBits(xs: Float32Array): void {
  const t = pooled(xs);
  const storage = t.ref!.storage as Float32Array;
  expect(arenaOfArray(storage)).toBeDefined();
  // The kernel itself (it could decline and leave cos to the plain loop), then the op.
  const direct = outputArray('float32', xs.length, storage) as Float32Array;
  expect(simdCos(storage, direct)).toBe(true);
  for (const y of [direct, cos(t).dataSync()]) {
    let mismatches = 0;
    xs.forEach((x, i) => { if (!Object.is(y[i], want(x)) && !(Number.isNaN(y[i]) && Number.isNaN(want(x)))) mismatches++; });
    expect(mismatches).toBe(0);
  }
}

describe('cos in WebAssembly SIMD (float64 inside)', () => {
  it('gives Math.fround(Math.cos(x)) bit for bit over a million points of [−8, 8] and of [0, 2π)', () => {
    for (const [lo, hi] of [[-COS_SIMD_LIMIT, COS_SIMD_LIMIT], [0, 2 * Math.PI]] as const) {
      const n = 1 << 20;
      expectPlainBits(Float32Array.from({ length: n }, (_, i) => lo + ((hi - lo) * (i + 0.5)) / n));
    }
  });

  it('near the multiples of π/2 (cos near 0 and ±1, where the reduction cancels) and at the range edge', () => {
    const xs: number[] = [];
    const bits = new Float32Array(1), word = new Int32Array(bits.buffer);
    for (let k = -5; k <= 5; k++) {
      bits[0] = (k * Math.PI) / 2;
      for (let d = -300; d <= 300; d++) {
        const w = new Int32Array([word[0]! + (k < 0 ? -d : d)]);
        xs.push(new Float32Array(w.buffer)[0]!);
      }
    }
    for (const e of [COS_SIMD_LIMIT, -COS_SIMD_LIMIT]) for (let d = -20; d <= 20; d++) xs.push(e + d * 2 ** -20);
    expectPlainBits(Float32Array.from(xs));
  });

  it('special values and large arguments take Math.cos, also when more iterations need it than the list holds', () => {
    expectPlainBits(Float32Array.from([NaN, Infinity, -Infinity, -0, 0, 1e-40, 3e38, -1e5, 123456.7, 9, -8.5, 0.5, 1, 2, 3, 4]));
    // 8,000 arguments past the range: 2,000 iterations to recompute, more than the list's 1,023.
    expectPlainBits(Float32Array.from({ length: 8000 }, (_, i) => 10 + i / 7));
  });

  it('is used only where both arrays are pooled float32', () => {
    expect(simdCos(new Float32Array(64), new Float32Array(64))).toBe(false);
  });
});
