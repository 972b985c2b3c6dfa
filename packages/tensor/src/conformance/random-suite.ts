import { describe, expect, test } from 'vitest';
import { randomUniform } from '../ops/random-uniform.js';
import { Key } from '../random/key.js';
import { threefry2x32 } from '../random/threefry.js';

/**
 * Threefry-2x32 with 20 rounds, known-answer vectors of Random123
 * (Salmon, Moraes, Dror, Shaw 2011, "Parallel random numbers: as easy as
 * 1, 2, 3"): [counter, key, output].
 */
const KAT: readonly [[number, number], [number, number], [number, number]][] = [
  [[0, 0], [0, 0], [0x6b200159, 0x99ba4efe]],
  [[0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x1cb996fc, 0xbb002be7]],
  [[0x243f6a88, 0x85a308d3], [0x13198a2e, 0x03707344], [0xc4923a9c, 0x483df7a0]],
];

export function describeRandom(): void {
  describe('randomness', () => {
    test.each(KAT.map((k, i) => [i, k] as const))('threefry2x32 known answer %i', (_i, [ctr, key, expected]) => {
      const out = new Uint32Array(2);
      threefry2x32(key[0], key[1], ctr[0], ctr[1], out, 0);
      expect(Array.from(out)).toEqual(expected);
    });

    test('randomUniform draws lie on the 2⁻²⁴ grid in [0, 1), a prefix does not depend on the size, and the mean is 1/2', async () => {
      const n = 4096;
      const t = randomUniform(new Key(0x1234, 0xabcd), [n]);
      const u = await t.data();
      t.dispose();
      const s = randomUniform(new Key(0x1234, 0xabcd), [3]);
      const prefix = await s.data();
      s.dispose();
      expect(Array.from(prefix)).toEqual(Array.from(u.subarray(0, 3)));
      let total = 0;
      for (const v of u) {
        expect(v >= 0 && v < 1 && Number.isInteger(v * 2 ** 24), `draw ${v}`).toBe(true);
        total += v;
      }
      // The mean of n uniforms has standard deviation 1/√(12n) ≈ 0.0045; allow 5σ.
      expect(Math.abs(total / n - 0.5)).toBeLessThan(5 / Math.sqrt(12 * n));
      const other = randomUniform(new Key(0x1235, 0xabcd), [8]);
      const o = await other.data();
      other.dispose();
      expect(Array.from(o)).not.toEqual(Array.from(u.subarray(0, 8)));
    });
  });
}
