import { ArgumentError, DTypeError, NonFiniteError, ShapeError } from '@rheo/tensor';
import { firstNonFinite } from './matrix.js';

/**
 * The typed array an IDX file decodes to, by its element type code (0x08 unsigned byte … 0x0E
 * double).
 */
export type IdxValues = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A parsed IDX array: values in the file's element type, C order. */
export interface IdxArray {
  readonly shape: number[];
  readonly data: IdxValues;
}

// Type codes of the IDX format (LeCun & Cortes, the MNIST database page): byte width and array type.
const TYPES: Record<number, { width: number; make: (n: number) => IdxValues; name: string }> = {
  0x08: { width: 1, make: (n) => new Uint8Array(n), name: 'unsigned byte' },
  0x09: { width: 1, make: (n) => new Int8Array(n), name: 'signed byte' },
  0x0b: { width: 2, make: (n) => new Int16Array(n), name: 'short' },
  0x0c: { width: 4, make: (n) => new Int32Array(n), name: 'int' },
  0x0d: { width: 4, make: (n) => new Float32Array(n), name: 'float' },
  0x0e: { width: 8, make: (n) => new Float64Array(n), name: 'double' },
};

/**
 * Parses the IDX format of the MNIST files: bytes 0–1 zero, byte 2 the type
 * code, byte 3 the rank r, then r big-endian u32 dimensions and the
 * big-endian values in C order. Gzipped input is refused here (browsers
 * decompress with DecompressionStream; `@rheo/data/node` does it with zlib).
 * `expectedShape` entries that are not -1 must match.
 */
export function parseIdx(bytes: Uint8Array, name = '<idx bytes>', expectedShape?: readonly number[]): IdxArray {
  const where = `parseIdx(${JSON.stringify(name)})`;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) throw new ArgumentError(`${where}: received gzip-compressed bytes, expected decompressed IDX (decompress first)`);
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    throw new ArgumentError(`${where}: expected the magic 00 00 <type> <rank>, received ${Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ')}`);
  }
  const type = TYPES[bytes[2]!];
  if (type === undefined) throw new DTypeError(`${where}: expected a type code 0x08, 0x09, 0x0b, 0x0c, 0x0d or 0x0e, received 0x${bytes[2]!.toString(16)}`);
  const rank = bytes[3]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4 + 4 * rank) throw new ArgumentError(`${where}: truncated: ${rank} dimensions need ${4 + 4 * rank} header bytes, received ${bytes.length}`);
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  if (expectedShape !== undefined && (expectedShape.length !== rank || expectedShape.some((d, i) => d !== -1 && d !== shape[i]))) {
    throw new ShapeError(`${where}: expected shape [${expectedShape.join(', ')}] (-1: any), received [${shape.join(', ')}]`);
  }
  const size = shape.reduce((a, b) => a * b, 1);
  const start = 4 + 4 * rank;
  if (bytes.length - start !== size * type.width) {
    throw new ArgumentError(`${where}: shape [${shape.join(', ')}] of ${type.name} needs ${size * type.width} data bytes, received ${bytes.length - start}`);
  }
  const data = type.make(size);
  if (type.width === 1) data.set(bytes.subarray(start, start + size));
  else {
    const read = type.width === 2 ? (o: number) => view.getInt16(o, false)
      : bytes[2] === 0x0c ? (o: number) => view.getInt32(o, false)
      : type.width === 4 ? (o: number) => view.getFloat32(o, false)
      : (o: number) => view.getFloat64(o, false);
    for (let i = 0; i < size; i++) data[i] = read(start + type.width * i);
    const bad = firstNonFinite(data);
    if (bad >= 0) throw new NonFiniteError(`${where}: expected finite values, received ${data[bad]} at flat index ${bad}`);
  }
  return { shape, data };
}
