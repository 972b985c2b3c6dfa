import { fuzzParser, mutatedFile } from '@rheo/fuzz';
import { RheoError } from '@rheo/tensor';
import { expect, test } from 'vitest';
import { npyF8 } from './testing/npy-f8.js';
import { parseNpy, type NpyArray } from './npy.js';
import { serializeNpy } from './serialize-npy.js';

const seeds = [
  serializeNpy(Float32Array.from({ length: 12 }, (_, i) => i - 5.5), [3, 4]),
  serializeNpy(Float32Array.of(1.5), [1]),
  serializeNpy(new Float32Array(0), [0, 3]),
  npyF8([1, -2, 3e10, 4e-3, 0, 6], [2, 3]),
];

test('parseNpy of mutated files: a RheoError or a correct parse, never another exception or an oversized allocation', () => {
  const counts = fuzzParser(
    mutatedFile(seeds),
    (b) => parseNpy(b, 'fuzz.npy'),
    (b: Uint8Array, a: NpyArray) => {
      expect(a.data.length).toBe(a.shape.reduce((x, y) => x * y, 1));
      // Each float32 value read needs at least 4 bytes of the file.
      expect(a.data.byteLength).toBeLessThanOrEqual(b.length);
      for (const v of a.data) expect(Number.isFinite(v)).toBe(true);
      // The values are exactly the file's last size·width bytes (no trailing bytes), read independently with a DataView.
      const width = a.fileDType === 'float32' ? 4 : 8;
      const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
      const start = b.length - a.data.length * width;
      for (let i = 0; i < a.data.length; i++) {
        const v = width === 4 ? view.getFloat32(start + 4 * i, true) : Math.fround(view.getFloat64(start + 8 * i, true));
        expect(a.data[i]).toBe(v);
      }
    },
    (err) => err instanceof RheoError,
  );
  console.log(`fuzz parseNpy: ${counts.runs} inputs, ${counts.parsed} parsed, ${counts.refused} refused`);
  expect(counts.parsed + counts.refused).toBe(counts.runs);
});
