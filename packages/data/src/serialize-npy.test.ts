import { ShapeError } from '@rheo/tensor';
import { describe, expect, it } from 'vitest';
import { parseNpy } from './npy.js';
import { serializeNpy } from './serialize-npy.js';

// np.lib.format.write_array(f, np.array([[1.0, 2.0]], dtype='<f4')) with NumPy 2.4, base64.
const NUMPY_1x2 = 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDEsIDIpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAIA/AAAAQA==';

describe('serializeNpy', () => {
  it('writes the same bytes as NumPy for a small float32 array', () => {
    expect(Buffer.from(serializeNpy(new Float32Array([1, 2]), [1, 2])).toString('base64')).toBe(NUMPY_1x2);
  });

  it('aligns the data to 64 bytes and round-trips through the parser, 1-D and 3-D', () => {
    const vals = new Float32Array([0.1, -3, 1e-20, 5e30, 7, 8]);
    for (const shape of [[6], [1, 2, 3]]) {
      const bytes = serializeNpy(vals, shape);
      expect((bytes.length - 24) % 64).toBe(0);
      expect(bytes[bytes.length - 25]).toBe(0x0a);
      const back = parseNpy(bytes);
      expect(back.shape).toEqual(shape);
      expect(Array.from(back.data)).toEqual(Array.from(vals));
    }
    expect(new TextDecoder().decode(serializeNpy(vals, [6]).subarray(10, 100))).toContain("'shape': (6,)");
  });

  it('switches to format 2.0 when the header outgrows a u16 length', () => {
    const shape = Array.from({ length: 25000 }, () => 1);
    const bytes = serializeNpy(new Float32Array([4.5]), shape);
    expect(bytes[6]).toBe(2);
    expect(new DataView(bytes.buffer).getUint32(8, true) + 12).toBe(bytes.length - 4);
    expect(parseNpy(bytes).data[0]).toBe(4.5);
  });

  it('rejects a shape that does not hold the values', () => {
    expect(() => serializeNpy(new Float32Array(5), [2, 3])).toThrow(ShapeError);
    expect(() => serializeNpy(new Float32Array(5), [2, 3])).toThrow(/\[2, 3\] holds 6 values, received 5/);
  });
});
