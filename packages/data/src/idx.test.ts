import { ArgumentError, DTypeError, NonFiniteError, ShapeError } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { parseIdx } from './idx.js';

/** Hand-built IDX: 00 00 type rank, big-endian u32 dims, then big-endian values written by `put`. */
function idx(type: number, dims: number[], width: number, put: (dv: DataView, at: number, i: number) => void, count: number): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + width * count);
  const dv = new DataView(out.buffer);
  out.set([0, 0, type, dims.length]);
  dims.forEach((d, i) => dv.setUint32(4 + 4 * i, d, false));
  for (let i = 0; i < count; i++) put(dv, 4 + 4 * dims.length + width * i, i);
  return out;
}

describe('parseIdx', () => {
  it('reads unsigned bytes in the MNIST layout', () => {
    const bytes = idx(0x08, [2, 2, 3], 1, (dv, at, i) => dv.setUint8(at, 250 - i), 12);
    const a = parseIdx(bytes, 'img', [-1, 2, 3]);
    expect(a.shape).toEqual([2, 2, 3]);
    expect(a.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(a.data)).toEqual(Array.from({ length: 12 }, (_, i) => 250 - i));
  });

  it('reads big-endian short, int, float and double', () => {
    expect(Array.from(parseIdx(idx(0x0b, [3], 2, (dv, at, i) => dv.setInt16(at, [-300, 2, 32000][i]!, false), 3)).data)).toEqual([-300, 2, 32000]);
    expect(Array.from(parseIdx(idx(0x0c, [2], 4, (dv, at, i) => dv.setInt32(at, [-70000, 123456789][i]!, false), 2)).data)).toEqual([-70000, 123456789]);
    expect(Array.from(parseIdx(idx(0x0d, [2], 4, (dv, at, i) => dv.setFloat32(at, [1.5, -0.25][i]!, false), 2)).data)).toEqual([1.5, -0.25]);
    expect(Array.from(parseIdx(idx(0x0e, [1], 8, (dv, at) => dv.setFloat64(at, Math.PI, false), 1)).data)).toEqual([Math.PI]);
  });

  it('rejects bad magic, unknown types, wrong shapes, truncation, NaN and gzip bytes, naming the file', () => {
    const good = idx(0x08, [2, 2], 1, (dv, at) => dv.setUint8(at, 1), 4);
    const bad = good.slice();
    bad[1] = 8;
    expect(() => parseIdx(bad, 'm.idx')).toThrow(/"m\.idx"\): expected the magic 00 00/);
    const type = good.slice();
    type[2] = 0x0a;
    expect(() => parseIdx(type, 't.idx')).toThrow(DTypeError);
    expect(() => parseIdx(good, 's.idx', [-1, 3])).toThrow(ShapeError);
    expect(() => parseIdx(good.subarray(0, good.length - 1), 'c.idx')).toThrow(/"c\.idx"\): shape \[2, 2\] of unsigned byte needs 4 data bytes, received 3/);
    expect(() => parseIdx(idx(0x0d, [2], 4, (dv, at, i) => dv.setFloat32(at, i === 1 ? NaN : 1, false), 2), 'n.idx')).toThrow(NonFiniteError);
    expect(() => parseIdx(new Uint8Array([0x1f, 0x8b, 8, 0]), 'g.gz')).toThrow(ArgumentError);
  });
});
