import { ArgumentError, DTypeError, NonFiniteError, ShapeError } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { parseNpy } from './npy.js';

// Files written by NumPy 2.4 (np.lib.format.write_array), base64: known answers from an independent writer.
const NUMPY_F8_V1 = 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAD4PwAAAAAAAADAAAAAAAAACkAAAAAAAAAAAPyp8dJNYlA/AAAAAAAAHEA=';
const NUMPY_F4_V2 = 'k05VTVBZAgB0AAAAeydkZXNjcic6ICc8ZjQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwgMiksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAMA/AAAAwAAAQEAAAIBA';
const NUMPY_F4_V3 = 'k05VTVBZAwB0AAAAeydkZXNjcic6ICc8ZjQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMywpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAA/AACAPgAAAD4=';

const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

/** A hand-built v1 file: magic, version, u16 header length, dict padded to 64, then little-endian values. */
function npyBytes(descr: string, shape: string, values: number[], opts: { fortran?: boolean; width?: number; cut?: number; magic?: number[] } = {}): Uint8Array {
  const dict = `{'descr': '${descr}', 'fortran_order': ${opts.fortran === true ? 'True' : 'False'}, 'shape': ${shape}, }`;
  const pad = 64 - ((10 + dict.length + 1) % 64);
  const header = dict + ' '.repeat(pad % 64) + '\n';
  const width = opts.width ?? 4;
  const out = new Uint8Array(10 + header.length + width * values.length);
  out.set(opts.magic ?? [0x93, 78, 85, 77, 80, 89, 1, 0]);
  out[8] = header.length & 0xff;
  out[9] = header.length >> 8;
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const dv = new DataView(out.buffer);
  values.forEach((v, i) => (width === 8 ? dv.setFloat64(10 + header.length + 8 * i, v, true) : dv.setFloat32(10 + header.length + 4 * i, v, true)));
  return opts.cut === undefined ? out : out.subarray(0, out.length - opts.cut);
}

describe('parseNpy', () => {
  it('reads NumPy-written float64 v1, float32 v2 and float32 v3 files', () => {
    const a = parseNpy(b64(NUMPY_F8_V1), 'a.npy');
    expect(a.shape).toEqual([2, 3]);
    expect(a.fileDType).toBe('float64');
    expect(Array.from(a.data)).toEqual([1.5, -2, 3.25, 0, Math.fround(1e-3), 7]);
    const b = parseNpy(b64(NUMPY_F4_V2));
    expect(b.shape).toEqual([2, 2]);
    expect(Array.from(b.data)).toEqual([1.5, -2, 3, 4]);
    const c = parseNpy(b64(NUMPY_F4_V3));
    expect(c.shape).toEqual([3]);
    expect(Array.from(c.data)).toEqual([0.5, 0.25, 0.125]);
  });

  it('reads a hand-built file, including a view into a larger buffer', () => {
    const raw = npyBytes('<f4', '(2, 2)', [1, 2, 3, 4]);
    const big = new Uint8Array(raw.length + 5);
    big.set(raw, 5);
    expect(Array.from(parseNpy(big.subarray(5), 'x.npy').data)).toEqual([1, 2, 3, 4]);
  });

  it('rejects bad magic, naming the file', () => {
    const bytes = npyBytes('<f4', '(1,)', [1], { magic: [0x93, 78, 85, 77, 80, 90, 1, 0] });
    expect(() => parseNpy(bytes, 'bad.npy')).toThrow(ArgumentError);
    expect(() => parseNpy(bytes, 'bad.npy')).toThrow(/"bad\.npy".*magic.*received 93 4e 55 4d 50 5a/);
  });

  it('rejects fortran order', () => {
    expect(() => parseNpy(npyBytes('<f4', '(2, 2)', [1, 2, 3, 4], { fortran: true }), 'f.npy')).toThrow(/"f\.npy".*C order.*fortran_order True/);
  });

  it('rejects big-endian, integer and object dtypes', () => {
    expect(() => parseNpy(npyBytes('>f4', '(1,)', [1]), 'be.npy')).toThrow(DTypeError);
    expect(() => parseNpy(npyBytes('>f4', '(1,)', [1]), 'be.npy')).toThrow(/"be\.npy".*received '>f4' \(big-endian\)/);
    expect(() => parseNpy(npyBytes('<i8', '(1,)', [1], { width: 8 }), 'i.npy')).toThrow(/"i\.npy".*received '<i8'/);
    expect(() => parseNpy(npyBytes('|O', '(1,)', [1]), 'o.npy')).toThrow(DTypeError);
  });

  it('rejects truncated data and a truncated header', () => {
    const whole = npyBytes('<f8', '(2, 2)', [1, 2, 3, 4], { width: 8 });
    expect(() => parseNpy(whole.subarray(0, whole.length - 3), 't.npy')).toThrow(/"t\.npy"\): truncated data.*needs 32 bytes, received 29/);
    expect(() => parseNpy(whole.subarray(0, 40), 't.npy')).toThrow(/truncated header/);
  });

  it('rejects NaN and infinities, and float64 values that overflow float32', () => {
    expect(() => parseNpy(npyBytes('<f4', '(2, 2)', [1, 2, NaN, 4]), 'n.npy')).toThrow(NonFiniteError);
    expect(() => parseNpy(npyBytes('<f4', '(2, 2)', [1, 2, NaN, 4]), 'n.npy')).toThrow(/"n\.npy".*row 2, column 1/);
    expect(() => parseNpy(npyBytes('<f8', '(1,)', [1e300], { width: 8 }), 'big.npy')).toThrow(NonFiniteError);
  });

  it('rejects a malformed shape', () => {
    expect(() => parseNpy(npyBytes('<f4', '(2, -1)', [1, 2]), 's.npy')).toThrow(ShapeError);
  });
});
