import { describe, expect, it } from 'vitest';
import { key, uniform } from '../../index.js';
import { threefry2x32 } from '../../random/threefry.js';
import { simdThreefry } from './wasm-threefry.js';

// The reference: word i is word (i mod 2) of the scalar threefry2x32(key, (i / 2, 0)),
// whose own known-answer vectors are checked in the conformance suite.
function reference(k0: number, k1: number, n: number): Uint32Array {
  const out = new Uint32Array(n), pair = new Uint32Array(2);
  for (let i = 0; i < n; i += 2) {
    threefry2x32(k0, k1, i / 2, 0, pair, 0);
    out[i] = pair[0]!;
    if (i + 1 < n) out[i + 1] = pair[1]!;
  }
  return out;
}

describe('Threefry-2x32 in WebAssembly SIMD', () => {
  // Lengths around the 16-word step and the 16,384-word chunk; keys with high bits set.
  const cases = [[0, 0, 1], [1, 2, 15], [1, 2, 16], [1, 2, 17], [0xdeadbeef, 0x12345678, 16383], [0xffffffff, 7, 16385], [5, 0x80000000, 40001]] as const;
  for (const [k0, k1, n] of cases) {
    it(`key (${k0.toString(16)}, ${k1.toString(16)}), ${n} words: the scalar function's words, and its uniform floats, bit for bit`, () => {
      const ref = reference(k0, k1, n);
      const words = new Uint32Array(n + 3).fill(0xabcdabcd);
      expect(simdThreefry(k0, k1, words, n)).toBe(true);
      expect(Array.from(words.subarray(0, n))).toEqual(Array.from(ref));
      // Nothing past n is written.
      expect(Array.from(words.subarray(n))).toEqual([0xabcdabcd, 0xabcdabcd, 0xabcdabcd]);
      const floats = new Float32Array(n);
      expect(simdThreefry(k0, k1, floats, n)).toBe(true);
      expect(Array.from(floats)).toEqual(Array.from(ref, (w) => Math.fround((w >>> 8) / 2 ** 24)));
    });
  }

  it('uniform(key, shape) in [0, 1) draws those floats', () => {
    const k = key(12345);
    const u = uniform(k, [37, 29]).dataSync();
    const ref = reference(k.w0, k.w1, 37 * 29);
    expect(Array.from(u)).toEqual(Array.from(ref, (w) => (w >>> 8) / 2 ** 24));
  });
});
