import { ArgumentError, DTypeError, ShapeError } from '@rheo/tensor';
import { checkFiniteMatrix, float32RangeError, type Matrix } from './matrix.js';

/** A parsed `.npy` array: values as float32 (float64 files are rounded), C order. */
export interface NpyArray {
  readonly shape: number[];
  readonly data: Float32Array;
  /** The element type stored in the file. */
  readonly fileDType: 'float32' | 'float64';
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/**
 * Parses NumPy's `.npy` format, versions 1.0, 2.0 and 3.0 (NEP 1; numpy.lib.format):
 * 6 magic bytes, major and minor version, a little-endian header length (u16 in
 * v1, u32 in v2/v3), then an ASCII (v3: UTF-8) Python dict literal with
 * 'descr', 'fortran_order' and 'shape', padded so the data starts 16- (v1) or
 * 64-byte aligned. Only little-endian float32 ('<f4') and float64 ('<f8') in C
 * order are accepted; every value must be finite. `name` (a file name) is
 * quoted in every error.
 */
export function parseNpy(bytes: Uint8Array, name = '<npy bytes>'): NpyArray {
  const where = `parseNpy(${JSON.stringify(name)})`;
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new ArgumentError(`${where}: expected the magic string \\x93NUMPY at the start, received ${hex(bytes.subarray(0, 6))}`);
  }
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw new ArgumentError(`${where}: expected format version 1, 2 or 3, received ${major}.${bytes[7]}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenBytes) throw new ArgumentError(`${where}: truncated before the header length (${bytes.length} bytes)`);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lenBytes;
  if (bytes.length < start + headerLen) {
    throw new ArgumentError(`${where}: truncated header: expected ${headerLen} header bytes, received ${bytes.length - start}`);
  }
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLen));
  // NEP 1: the header ends in '\n'. Without it the declared length is off, and the data would be read shifted.
  if (!header.endsWith('\n')) throw new ArgumentError(`${where}: expected the ${headerLen}-byte header to end in a newline, received ${JSON.stringify(header.slice(-8))} at its end`);
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new ArgumentError(`${where}: expected a header dict with 'descr', 'fortran_order' and 'shape', received ${JSON.stringify(header.trim())}`);
  }
  if (descr !== '<f4' && descr !== '<f8') {
    const why = descr.startsWith('>') ? ' (big-endian)' : '';
    throw new DTypeError(`${where}: expected dtype '<f4' (float32) or '<f8' (float64) little-endian, received '${JSON.stringify(descr).slice(1, -1)}'${why}`);
  }
  if (fortran === 'True') throw new ArgumentError(`${where}: expected C order (fortran_order False), received fortran_order True; save with np.ascontiguousarray`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0)) throw new ShapeError(`${where}: expected a shape of non-negative integers, received ${JSON.stringify(`(${shapeText})`)}`);
  const size = shape.reduce((a, b) => a * b, 1);
  const width = descr === '<f4' ? 4 : 8;
  const dataStart = start + headerLen;
  const available = bytes.length - dataStart;
  if (available < size * width) {
    throw new ArgumentError(`${where}: truncated data: shape (${shape.join(', ')}) of '${descr}' needs ${size * width} bytes, received ${available}`);
  }
  if (available > size * width) {
    throw new ArgumentError(`${where}: shape (${shape.join(', ')}) of '${descr}' needs ${size * width} data bytes, received ${available} (trailing bytes: a wrong shape or header length)`);
  }
  const data = new Float32Array(size);
  const cols = shape.length === 0 ? 1 : shape.slice(1).reduce((a, b) => a * b, 1);
  if (width === 4) for (let i = 0; i < size; i++) data[i] = view.getFloat32(dataStart + 4 * i, true);
  else {
    for (let i = 0; i < size; i++) {
      const v = view.getFloat64(dataStart + 8 * i, true);
      data[i] = v;
      // A finite float64 beyond ±3.4028235e38 rounds to ±Infinity in float32: refuse it here, where it is still visible.
      if (Number.isFinite(v) && !Number.isFinite(data[i]!)) throw float32RangeError(where, v, i, cols);
    }
  }
  checkFiniteMatrix({ data, rows: shape.length === 0 ? 1 : shape[0]!, cols }, where);
  return { shape, data, fileDType: width === 4 ? 'float32' : 'float64' };
}

/** An n×d `.npy` array as a Matrix; any other rank is a ShapeError naming the file. */
export function npyMatrix(array: NpyArray, name: string): Matrix {
  if (array.shape.length !== 2) throw new ShapeError(`${name}: expected a 2-D array (n, d), received shape (${array.shape.join(', ')})`);
  return { data: array.data, rows: array.shape[0]!, cols: array.shape[1]! };
}

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ') || '(empty)';
}
