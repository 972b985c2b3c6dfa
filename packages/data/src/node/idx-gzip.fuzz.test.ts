import { gzipSync } from 'node:zlib';
import { fc, fuzzParser, mutatedFile } from '@rheo/fuzz';
import { RheoError } from '@rheo/tensor';
import { expect, test } from 'vitest';
import { parseIdx, type IdxArray } from '../idx.js';
import { gunzipData } from './read-data-file.js';

/** An IDX file written independently: 00 00 type rank, big-endian u32 dims, big-endian values. */
function idx(type: number, shape: readonly number[], values: readonly number[]): Uint8Array {
  const width = { 0x08: 1, 0x09: 1, 0x0b: 2, 0x0c: 4, 0x0d: 4, 0x0e: 8 }[type]!;
  const out = new Uint8Array(4 + 4 * shape.length + width * values.length);
  const v = new DataView(out.buffer);
  out.set([0, 0, type, shape.length]);
  shape.forEach((d, i) => v.setUint32(4 + 4 * i, d, false));
  const o = 4 + 4 * shape.length;
  values.forEach((x, i) => {
    if (type === 0x08) v.setUint8(o + i, x);
    else if (type === 0x09) v.setInt8(o + i, x);
    else if (type === 0x0b) v.setInt16(o + 2 * i, x, false);
    else if (type === 0x0c) v.setInt32(o + 4 * i, x, false);
    else if (type === 0x0d) v.setFloat32(o + 4 * i, x, false);
    else v.setFloat64(o + 8 * i, x, false);
  });
  return out;
}

const raw = [
  idx(0x08, [2, 3, 3], Array.from({ length: 18 }, (_, i) => i * 13)),
  idx(0x08, [5], [0, 1, 2, 3, 9]),
  idx(0x0b, [2, 2], [-300, 2, 3, 4]),
  idx(0x0d, [3], [1.5, -2, 1e-3]),
  idx(0x0e, [1, 2], [1e300, -1]),
];
const gz = raw.map((b) => new Uint8Array(gzipSync(b)));

test('IDX, gzipped or not, mutated: a RheoError or a correct parse, never another exception or an oversized allocation', () => {
  const counts = fuzzParser(
    fc.oneof(mutatedFile(gz), mutatedFile(raw), mutatedFile(raw).map((b) => new Uint8Array(gzipSync(b)))),
    (b) => parseIdx(gunzipData(b, 'fuzz.idx.gz'), 'fuzz.idx.gz'),
    (b: Uint8Array, a: IdxArray) => {
      expect(a.data.length).toBe(a.shape.reduce((x, y) => x * y, 1));
      // Gzip output is bounded by its trailer; the array by the decompressed bytes.
      const limit = b[0] === 0x1f && b[1] === 0x8b ? new DataView(b.buffer, b.byteOffset).getUint32(b.length - 4, true) : b.length;
      expect(a.data.byteLength).toBeLessThanOrEqual(limit);
      if (a.data instanceof Float32Array || a.data instanceof Float64Array) for (const v of a.data) expect(Number.isFinite(v)).toBe(true);
    },
    (err) => err instanceof RheoError,
  );
  console.log(`fuzz gunzipData + parseIdx: ${counts.runs} inputs, ${counts.parsed} parsed, ${counts.refused} refused`);
  expect(counts.parsed + counts.refused).toBe(counts.runs);
});
